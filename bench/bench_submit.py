"""Benchmark (b): applications submitted per second through the API.

    .venv/bin/python bench/bench_submit.py [--applications 200] [--threads 4] [--seconds 120]

Serves the project like bench_tracking.py (gunicorn, 2 sync workers, 127.0.0.1, a scratch SQLite file
or DATABASE_URL) with a seeded tenant (demo catalogue, permit office, citizens), gives each client thread
its own citizen and personal token (scopes permits:read, permits:apply), and for each application:

    POST /api/v1/<tenant>/permits/applications/             create the draft (Izin Penelitian, JSON)
    POST .../applications/<id>/documents/   × 2             upload a small PDF for each mandatory document
    POST .../applications/<id>/submit/                      submit: the registration number comes back

Prints applications submitted per second (and HTTP requests per second). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._server import HOST, Server, scratch_environment, setup_django  # noqa: E402

PERMIT_TYPE = "penelitian"
FORM = {"judul": "Pola belanja warung", "lembaga": "Universitas Sultan Ageng Tirtayasa", "lokasi": "Kecamatan Serang",
        "mulai": "2026-04-01", "selesai": "2026-06-30"}


def seed(threads: int):
    from balai.core.api import services as api_services
    from balai.core.api.models import ApiToken
    from balai.core.files.tests.factories import pdf_bytes
    from balai.permits.api.registry import register
    from bench.gen_permits import prepare

    register()
    tenant, types, staff = prepare(citizens=threads)
    documents = [d["code"] for d in types[[t.code for t in types].index(PERMIT_TYPE)].current_version.documents
                 if d["mandatory"]]
    tokens = []
    for citizen in staff.citizens[:threads]:
        _token, raw = api_services.token_create(
            tenant=tenant, kind=ApiToken.Kind.USER, user=citizen, scopes=["permits:read", "permits:apply"], actor=citizen
        )
        tokens.append(raw)
    return tenant.slug, tokens, documents, pdf_bytes("Surat pengantar")


def multipart(fields: dict, file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=120.0, help="time limit")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    env, var_dir = scratch_environment()
    try:
        setup_django()
        from django.conf import settings

        print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        slug, tokens, documents, pdf = seed(args.threads)
        base = f"/api/v1/{slug}/permits/applications/"
        lock = threading.Lock()
        remaining = [args.applications]
        done, failures, requests = [0], [], [0]
        numbers: list[str] = []

        def call(conn, method, path, body, content_type, token):
            conn.request(method, path, body=body, headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
            response = conn.getresponse()
            data = response.read()
            with lock:
                requests[0] += 1
            return response.status, json.loads(data or b"null")

        def worker(token, deadline):
            conn = http.client.HTTPConnection(HOST, server.port, timeout=60)
            while time.monotonic() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        break
                    remaining[0] -= 1
                try:
                    status, body = call(conn, "POST", base, json.dumps({"permit_type": PERMIT_TYPE, "form_data": FORM}),
                                        "application/json", token)
                    assert status == 201, (status, body)
                    pk = body["id"]
                    for code in documents:
                        payload, content_type = multipart({"requirement_code": code}, "file", f"{code}.pdf", pdf)
                        status, body = call(conn, "POST", f"{base}{pk}/documents/", payload, content_type, token)
                        assert status == 201, (status, body)
                    status, body = call(conn, "POST", f"{base}{pk}/submit/", b"", "application/json", token)
                    assert status == 200, (status, body)
                    with lock:
                        done[0] += 1
                        numbers.append(body["registration_number"])
                except (AssertionError, OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, server.port, timeout=60)
                    with lock:
                        failures.append(repr(exc)[:300])
            conn.close()

        with Server(env, workers=args.workers) as server:
            print(f"gunicorn: {args.workers} workers on 127.0.0.1:{server.port}; {args.threads} client threads "
                  f"(one citizen and token each); {args.applications} applications, at most {args.seconds:.0f} s; "
                  f"each = create + {len(documents)} uploads + submit")
            deadline = time.monotonic() + args.seconds
            started = time.perf_counter()
            pool = [threading.Thread(target=worker, args=(tokens[i % len(tokens)], deadline)) for i in range(args.threads)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            elapsed = time.perf_counter() - started
            if failures:
                print("Server log (tail):\n" + server.log_tail())
        print(f"  submitted {done[0]} applications in {elapsed:.1f} s: {done[0] / elapsed:.1f} applications/s "
              f"({requests[0] / elapsed:.1f} requests/s)")
        if numbers:
            print(f"  registration numbers {min(numbers)} … {max(numbers)}, {len(set(numbers))} distinct")
        if failures:
            print(f"WARNING: {len(failures)} failed; first: {failures[0]}")
        return 0 if not failures else 1
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
