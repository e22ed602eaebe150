"""Where a public tracking look-up goes, in-process: time per request and queries, against the bare view.

    .venv/bin/python bench/profile_tracking.py [--applications 3500] [--requests 1000] [--rounds 10]
                                                [--profile page|api|bare] [--sql]

Seeds a scratch SQLite database like bench_tracking.py (bench/gen_permits.py, facts published), then
calls the project's WSGI handler directly (the full middleware stack, no server, no network) for:
the bare view, the tracking page and the tracking API with a never-seen number every time (the
one-minute tracking cache cannot answer), and the page with the same number again (answered from it).
It prints the CPU time per request (median of interleaved rounds, so that other work on the machine
moves it little), its ratio to the bare view, and the queries one request makes (their SQL with
--sql). With --profile it prints the cProfile of the cold page, API or
bare view (cumulative time, top 40). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._server import scratch_environment, setup_django  # noqa: E402


def environ(path: str, query: str = "") -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=3500)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--profile", choices=("page", "api", "bare", "hot"))
    parser.add_argument("--sql", action="store_true", help="print the SQL of one cold page look-up")
    args = parser.parse_args(argv)
    _env, var_dir = scratch_environment()
    try:
        setup_django()
        from django.core.handlers.wsgi import WSGIHandler
        from django.db import connection
        from django.urls import reverse

        from bench.bench_tracking import seed

        slug, numbers = seed(args.applications)
        random.Random(7).shuffle(numbers)
        handler = WSGIHandler()
        page = reverse("permits:public_tracking", kwargs={"tenant": slug})

        def api(number):
            return reverse("permits_api:track", kwargs={"tenant": slug, "registration_number": number})

        def call(path, query=""):
            status = []
            body = b"".join(handler(environ(path, query), lambda s, h, *a: status.append(s)))
            if not status[0].startswith("200"):
                raise SystemExit(f"{path}?{query}: {status[0]}\n{body[:2000].decode(errors='replace')}")
            return body

        counter = iter(range(10**9))

        def cold_page():
            call(page, f"nomor={numbers[next(counter) % len(numbers)]}")

        def cold_api():
            call(api(numbers[next(counter) % len(numbers)]))

        def hot_page():
            call(page, f"nomor={numbers[0]}")

        def bare():
            call("/bench/bare/")

        cases = {"bare view": bare, "page, cold": cold_page, "page, hot": hot_page, "API, cold": cold_api}
        for fn in cases.values():  # warm up: imports, templates, calendars, connections
            for _i in range(50):
                fn()
        # Interleaved rounds, CPU time of this process, median per case: other work on the machine
        # moves wall-clock figures far more than it moves these.
        samples = {name: [] for name in cases}
        queries = {}
        for name, fn in cases.items():
            found = queries[name] = []
            with connection.execute_wrapper(
                lambda execute, sql, *a, found=found: found.append(sql) or execute(sql, *a)
            ):
                fn()
        per_round = max(args.requests // args.rounds, 1)
        for _round in range(args.rounds):
            for name, fn in cases.items():
                started = time.process_time()
                for _i in range(per_round):
                    fn()
                samples[name].append((time.process_time() - started) / per_round * 1000)
        results = {name: statistics.median(values) for name, values in samples.items()}
        bare_ms = results["bare view"]
        print(
            f"{args.rounds} rounds of {per_round} requests per case; CPU ms per request, median of the rounds"
        )
        for name, ms in results.items():
            print(
                f"{name:<12} {ms:6.3f} ms/request  (bare/this {bare_ms / ms:4.2f})  {len(queries[name])} queries"
            )
            if args.sql:
                for sql in queries[name]:
                    print("     ", sql[:200])
        if args.profile:
            fn = {"page": cold_page, "api": cold_api, "bare": bare, "hot": hot_page}[args.profile]
            profiler = cProfile.Profile()
            profiler.enable()
            for _i in range(args.requests):
                fn()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return 0
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
