import re

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings


def test_the_schema_generates_without_warnings_and_lists_the_tenant_endpoints(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/tenants/:", "/api/v1/{tenant}/:", "/api/v1/{tenant}/me/:", "/api/v1/{tenant}/orgs/units/{id}/:",
                 "/api/v1/{tenant}/orgs/employees/:"):
        assert f"  {path}" in text
    assert "Idempotency-Key" in text and "bearerFormat: balai_<prefix>_<secret>" in text


def test_the_schema_is_served(db):
    response = Client().get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Balai API"


def test_the_docs_page_loads_without_inline_scripts_or_styles(db):
    client = Client()
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html and "style=" not in html
    assert "cdn" not in html.lower() and "http" not in html.replace("http-equiv", "")
    # Every script and stylesheet it names is served from here, and the init script points at our schema.
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert client.get(src.replace("&amp;", "&")).status_code == 200, src
    init = client.get(re.findall(r'src="([^"]+\?[^"]*script[^"]*)"', html)[0].replace("&amp;", "&"))
    assert init["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in init.content.decode()


# A short property-based run against the schema for the public endpoints (a few examples each, in-process).
@pytest.fixture
def connection_kept_open():
    # Real WSGI calls end with request_finished, which closes the database connection; inside a test's
    # transaction that would lose it. Django's own test client disconnects the same handlers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_public_endpoints_keep_to_the_schema(world, connection_kept_open):
    schema = schemathesis.openapi.from_wsgi(reverse("api:schema") + "?format=json", get_wsgi_application())
    operations = [r.ok() for r in schema.include(operation_id=["index", "tenant_list", "tenant_detail"]).get_all_operations()]
    assert len(operations) == 3

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            if "tenant" in (case.path_parameters or {}):
                case.path_parameters = {"tenant": world.serang.tenant.slug}
            case.call_and_validate()

        check()
