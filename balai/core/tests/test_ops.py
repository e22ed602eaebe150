import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from balai.core.logging import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_reports_the_database():
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_is_down(monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "error"


@pytest.mark.django_db
def test_pages_carry_security_headers_and_a_csp_without_inline_scripts():
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32
    html = response.content.decode()
    # No inline script bodies or style attributes: everything the page runs comes from a file.
    assert "<script>" not in html and "style=" not in html


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BALAI_")}
    env.update(
        BALAI_PRODUCTION="1",
        BALAI_SECRET_KEY="k" * 20 + "production-secret-for-the-deploy-check-0123456789",
        BALAI_ALLOWED_HOSTS="balai.example.go.id",
        DJANGO_SETTINGS_MODULE="balai.settings",
        **extra,
    )
    return env


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_demo_secret():
    env = _production_env()
    env.pop("BALAI_SECRET_KEY")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "BALAI_SECRET_KEY" in result.stderr


def test_logs_are_json_lines_with_the_request_id():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("balai.test")
    logger.addHandler(handler)
    try:
        logger.warning("permohonan %s ditolak", "REG-1", extra={"tenant": "kota-serang"})
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["message"] == "permohonan REG-1 ditolak"
    assert line["tenant"] == "kota-serang"
    assert line["level"] == "WARNING"
    assert "request_id" in line
