"""A real Celery worker on Redis runs a job that the application queued: the one-server tier end to end.

The worker gets the broker on Redis database 15 and a queue of its own, so it never takes another
run's work. On PostgreSQL (CI) it is a separate `celery -A balai worker` process on the test
database; SQLite's in-memory test database cannot be shared with another process, so there the
worker runs in a thread of this one (still consuming from Redis). Skipped when no Redis answers,
except under CI, where a missing Redis fails the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.db import connection

from balai import celery_app
from balai.core.jobs.models import JobRun
from balai.core.jobs.services import job_start
from balai.core.jobs.tasks import EXAMPLE_TASK
from balai.core.tenants.services import tenant_create

ROOT = Path(__file__).resolve().parents[4]
WAIT_SECONDS = 60

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _redis_url() -> str | None:
    url = os.environ.get("REDIS_URL") or ("redis://127.0.0.1:6379" if os.environ.get("CI") == "true" else "")
    if not url:
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/15", "", ""))


@pytest.fixture
def broker_url():
    url = _redis_url()
    reason = "no Redis: set REDIS_URL (or run under CI with Redis on 127.0.0.1:6379)"
    if url is not None:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            reason = f"Redis at {url} does not answer PING: {exc}"
        else:
            return url
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _reset_producers():
    # The app caches its broker connections; drop them so the next message uses the current broker_url.
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def queued_on_redis(broker_url):
    # The app reads Django settings under the CELERY_ namespace, so the prefixed keys are the ones that count.
    saved = {k: celery_app.conf[k] for k in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER")}
    celery_app.conf.update(CELERY_BROKER_URL=broker_url, CELERY_TASK_ALWAYS_EAGER=False)
    _reset_producers()
    yield broker_url
    celery_app.conf.update(saved)
    _reset_producers()


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def _worker_process(broker_url: str, queue: str, log_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "BALAI_DEMO"}}
    env.update(DATABASE_URL=_database_url(), BALAI_BROKER_URL=broker_url, BALAI_LOG_FORMAT="text")
    command = [
        sys.executable, "-m", "celery", "-A", "balai", "worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h",
        "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def _worker_thread(queue: str):
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=20):
        yield None


def test_a_real_worker_on_redis_runs_a_queued_job_to_the_end(queued_on_redis, tmp_path):
    tenant = tenant_create(code="36.73")
    queue = f"balai-test-{uuid.uuid4().hex[:12]}"
    on_postgres = connection.vendor == "postgresql"
    worker = _worker_process(queued_on_redis, queue, tmp_path / "worker.log") if on_postgres else _worker_thread(queue)

    with worker as process:
        job = job_start(tenant=tenant, kind="example", label="Hitung di worker", actor=None, task_name=EXAMPLE_TASK,
                        kwargs={"steps": 4, "delay": 0.2}, queue=queue)
        deadline = time.monotonic() + WAIT_SECONDS
        seen = set()
        while time.monotonic() < deadline:
            job.refresh_from_db()
            seen.add(job.status)
            if job.is_finished or (process is not None and process.poll() is not None):
                break
            time.sleep(0.2)

    log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:] if on_postgres else ""
    assert job.status == JobRun.Status.DONE, f"job ended {job.status!r} ({job.message}); worker log:\n{log}"
    assert (job.done, job.total, job.result["count"]) == (4, 4, 4)
    assert "running" in seen  # the page would have shown it moving
    if on_postgres:
        assert f"Task {EXAMPLE_TASK}" in log and "succeeded" in log
