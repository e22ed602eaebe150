"""Shared by the benchmarks: a scratch database, gunicorn on a free loopback port, and a load driver
(threads, each with one keep-alive `http.client` connection, bounded by a request count and a time limit)."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def scratch_environment() -> tuple[dict[str, str], Path]:
    """Environment for this process and the server: the bench settings, a scratch var dir, and a SQLite
    file there unless DATABASE_URL names another database (PostgreSQL)."""
    var_dir = Path(tempfile.mkdtemp(prefix="balai-bench-"))
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "BALAI_VAR_DIR": str(var_dir),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{var_dir / 'bench.sqlite3'}",
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return env, var_dir


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the project (2 sync workers) on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int = 2):
        self.port = free_port()
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        # The server's log goes to a file (an unread pipe would fill up and stall the workers).
        self.log_path = Path(env["BALAI_VAR_DIR"]) / "gunicorn.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [gunicorn, "balai.wsgi:application", "--workers", str(workers), "--bind", f"{HOST}:{self.port}",
             "--log-level", "warning", "--chdir", str(ROOT)],
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=self.log,
        )

    def log_tail(self, size: int = 2000) -> str:
        return self.log_path.read_bytes()[-size:].decode(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn stopped: " + self.log_tail())
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.process.kill()
        self.log.close()

    def __enter__(self):
        self.wait_ready()
        return self

    def __exit__(self, *exc):
        self.stop()


@dataclass
class Result:
    requests: int
    seconds: float
    errors: int
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def drive(port: int, path_for: Callable[[int], str], *, requests: int, seconds: float, threads: int,
          expect: int = 200, headers: dict | None = None) -> Result:
    """GET `path_for(i)` for i in 0..requests-1 from `threads` keep-alive connections; stop at the count
    or after `seconds`, whichever comes first."""
    lock = threading.Lock()
    counter = iter(range(requests))
    statuses: dict[int, int] = {}
    done = [0, 0]
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            try:
                conn.request("GET", path_for(i), headers=headers or {})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                status = 0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                done[0] += 1
                done[1] += status != expect
        conn.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return Result(done[0], time.perf_counter() - started, done[1], statuses)
