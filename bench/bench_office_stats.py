"""Benchmark (c) of issue 4: with N applications in one tenant on PostgreSQL, the server time of the
officer inbox's first page and of the public statistics page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/balai_bench .venv/bin/python bench/bench_office_stats.py --applications 100000

Creates the database if missing, migrates, tops the bench tenant up to N applications with
bench/gen_permits.py, then requests each page with Django's test client (in process: server time
without a network): warm-up, then 30 timed requests; prints the median and the 90th percentile, the
ratio to the 100 ms target, and the number of queries per request. The inbox is the office area's
`permits:office_inbox` when it exists, else the workflow engine's `workflow:inbox`, as a verifier
holding many files.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MS = 100.0


def _ensure_database(url: str) -> None:
    """CREATE DATABASE for a postgres:// URL whose database does not exist yet."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _measure(client, path: str, *, runs: int, warmup: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    status = 0
    for _ in range(warmup):
        status = client.get(path).status_code
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return times, status, len(queries)


def _report(label: str, path: str, times: list[float], status: int, queries: int) -> dict:
    times = sorted(times)
    median = statistics.median(times)
    p90 = times[max(0, int(round(0.9 * len(times))) - 1)]
    print(f"{label}: {path}")
    print(f"  HTTP {status}, {queries} queries per request, {len(times)} requests")
    print(f"  median {median:.1f} ms, p90 {p90:.1f} ms, min {times[0]:.1f} ms, max {times[-1]:.1f} ms")
    print(f"  median / 100 ms target = {median / TARGET_MS:.2f}  ({'within' if median < TARGET_MS else 'OVER'} target)")
    return {"median": median, "p90": p90, "queries": queries, "status": status}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Inbox and statistics page server time with many applications.")
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Warning: DATABASE_URL is not PostgreSQL; the figures will not be comparable to the target.")
    else:
        _ensure_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    call_command("migrate", verbosity=0)
    from balai.core.workflow.models import WorkflowInstance
    from balai.permits.models import Application
    from balai.permits.services_stats import stats_refresh_recent
    from balai.testing.clients import login
    from bench.gen_permits import generate, prepare

    tenant, types, staff = prepare()
    have = Application.objects.filter(tenant=tenant).count()
    if have < args.applications:
        print(f"Generating {args.applications - have} applications in {tenant.slug} (have {have})...")
        started = time.perf_counter()
        generate(
            tenant=tenant, types=types, staff=staff, applications=args.applications - have, seed=have + 1,
            progress=lambda made: print(f"  {made}", flush=True),
        )
        print(f"  done in {time.perf_counter() - started:.0f} s")
    else:
        stats_refresh_recent(tenant=tenant)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in production
    total = Application.objects.filter(tenant=tenant).count()
    open_files = WorkflowInstance.objects.filter(tenant=tenant, is_terminal=False).exclude(state="issued").count()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False

    # The verifier holding the most open files.
    verifier = max(
        staff.verifiers, key=lambda u: WorkflowInstance.objects.filter(tenant=tenant, assignee=u, is_terminal=False).count()
    )
    held = WorkflowInstance.objects.filter(tenant=tenant, assignee=verifier, is_terminal=False).count()
    client = Client()
    login(client, verifier)
    try:
        inbox_name = "permits:office_inbox"
        inbox = reverse(inbox_name, kwargs={"tenant": tenant.slug})
    except NoReverseMatch:
        inbox_name = "workflow:inbox"
        inbox = reverse(inbox_name, kwargs={"tenant": tenant.slug})
    stats = reverse("permits:stats_index", kwargs={"tenant": tenant.slug})

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"\n{total} applications in {tenant.slug} on {engine}; {open_files} open files; verifier holds {held}.\n")
    results = {}
    results["inbox"] = _report(f"Officer inbox, first page ({inbox_name})", inbox, *_measure(client, inbox, runs=args.runs, warmup=args.warmup))
    anonymous = Client()
    results["stats"] = _report("Public statistics page (permits:stats_index)", stats, *_measure(anonymous, stats, runs=args.runs, warmup=args.warmup))
    ok = all(r["status"] == 200 for r in results.values())
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
