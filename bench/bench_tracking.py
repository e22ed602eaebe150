"""Benchmark (a): public tracking look-ups per second against a bare Django view served the same way.

    .venv/bin/python bench/bench_tracking.py [--applications 5000] [--requests 3000] [--seconds 30]
                                             [--threads 4] [--hot 100]

Seeds a scratch database (SQLite file in a temporary folder; PostgreSQL when DATABASE_URL is set) with
one tenant and N applications with real workflow history (bench/gen_permits.py), serves the project
with gunicorn (2 sync workers) on a free 127.0.0.1 port under bench.bench_settings, and drives, from
threads with keep-alive connections, for each target the same number of GETs (bounded by count and time):

- the public tracking page `permits:public_tracking` (`/<tenant>/izin/lacak/?nomor=REG-...`) and the
  API's tracking endpoint `permits_api:track` (`/api/v1/<tenant>/permits/track/REG-.../`), each cold
  (every look-up a different file: the answer is computed from the file's published facts) and hot (a
  set of `--hot` files looked up again and again, as people re-check their file: answered from the
  one-minute tracking cache, per gunicorn worker with the default local-memory cache);
- a bare Django view returning a small HttpResponse (`/bench/bare/`, only in bench/bench_urls.py).

Prints requests per second of each and the ratio to the bare view. Target: tracking ≥ 0.5 × bare.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._server import Server, drive, scratch_environment, setup_django  # noqa: E402

TARGET = 0.5


def seed(applications: int) -> tuple[str, list[str]]:
    from django.db.models import Q

    from balai.permits.models import Application
    from bench.gen_permits import generate, prepare

    tenant, types, staff = prepare(citizens=50)
    started = time.perf_counter()
    generate(tenant=tenant, types=types, staff=staff, applications=applications, seed=2026, publish_tracking=True)
    numbers = list(
        Application.objects.filter(tenant=tenant).exclude(Q(registration_number="") | Q(workflow__isnull=True))
        .values_list("registration_number", flat=True)
    )
    print(f"Seeded {len(numbers)} applications in {tenant.slug} in {time.perf_counter() - started:.1f} s")
    return tenant.slug, numbers


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=3000, help="requests per target (after 200 to warm up)")
    parser.add_argument("--hot", type=int, default=100, help="files in the warm run's hot set")
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per target")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    env, var_dir = scratch_environment()
    try:
        setup_django()
        from django.conf import settings
        from django.urls import NoReverseMatch, reverse

        print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        slug, numbers = seed(args.applications)
        rng = random.Random(7)
        rng.shuffle(numbers)
        # Cold: every look-up a different file (as far as N allows), so the API's one-minute cache rarely
        # helps; warm: the same few files looked up again and again (people re-checking their file).
        cold = [numbers[i % len(numbers)] for i in range(args.requests + 200)]
        hot = numbers[: args.hot]
        warm = [rng.choice(hot) for _i in range(args.requests + 200)]
        try:
            page = reverse("permits:public_tracking", kwargs={"tenant": slug})
        except NoReverseMatch:
            page = None
        def api(picks, offset):
            return lambda i: reverse("permits_api:track", kwargs={"tenant": slug, "registration_number": picks[i + offset]})

        targets = {}
        if page:
            targets["tracking page, cold"] = (
                lambda i: f"{page}?nomor={cold[i]}", lambda i: f"{page}?nomor={cold[(i + 200) % len(cold)]}"
            )
            targets[f"tracking page, {args.hot} hot"] = lambda i: f"{page}?nomor={warm[i]}"
        # The warm-up takes cold[0:200]; the measured cold run starts after them.
        targets["tracking API, cold"] = (api(cold, 0), api(cold, 200))
        targets[f"tracking API, {args.hot} hot"] = api(warm, 0)
        targets["bare Django view"] = lambda i: "/bench/bare/"
        results = {}
        with Server(env, workers=args.workers) as server:
            print(f"gunicorn: {args.workers} workers on 127.0.0.1:{server.port}; {args.threads} client threads; "
                  f"{args.requests} requests per target, at most {args.seconds:.0f} s each")
            for name, paths in targets.items():
                warmup, path_for = paths if isinstance(paths, tuple) else (paths, paths)
                drive(server.port, warmup, requests=200, seconds=10, threads=args.threads)  # warm-up
                results[name] = result = drive(
                    server.port, path_for, requests=args.requests, seconds=args.seconds, threads=args.threads
                )
                print(f"  {name:<26} {result.rate:8.1f} req/s  ({result.requests} in {result.seconds:.1f} s, "
                      f"statuses {dict(sorted(result.statuses.items()))})")
        bare = results["bare Django view"].rate
        print()
        for name, result in results.items():
            if name == "bare Django view":
                continue
            ratio = result.rate / bare if bare else 0.0
            verdict = "meets" if ratio >= TARGET else "misses"
            print(f"{name}: {result.rate:.1f} req/s; bare view: {bare:.1f} req/s; ratio {ratio:.2f} "
                  f"(target ≥ {TARGET}: {verdict})")
        failed = sum(r.errors for r in results.values())
        if failed:
            print(f"WARNING: {failed} responses were not 200")
        return 0
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
