#!/usr/bin/env python3
"""Set up and run Balai with nothing but python3 (3.11+).

    python3 dev.py demo   # virtual environment, locked dependencies, database, demo data, server on :8000
    python3 dev.py test   # virtual environment, locked dependencies with the test tools, the test suite

Everything lands in `.venv` (Python packages) and `var/` (database, uploads). Dependencies are
installed from the lock files and reinstalled only when a lock file changes. Extra arguments after
`test` go to pytest (`python3 dev.py test -k tenants`). `PORT` changes the demo's port.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"[balai] {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_venv(lock_name: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Balai needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        say("creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = ROOT / lock_name
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    marker = VENV / f".installed-{lock_name}"
    if marker.exists() and marker.read_text().strip() == digest:
        return
    say(f"installing locked dependencies from {lock_name}")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", lock)
    marker.write_text(digest)


def base_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("BALAI_LOG_FORMAT", "text")
    env.update(extra)
    return env


def demo() -> None:
    ensure_venv("requirements.lock")
    env = base_env(BALAI_DEMO="1")
    (ROOT / "var").mkdir(exist_ok=True)
    port = os.environ.get("PORT", "8000")
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v", "0", env=env)
    quiet = {**env, "BALAI_LOG_LEVEL": os.environ.get("BALAI_LOG_LEVEL", "WARNING")}
    run(PYTHON, "manage.py", "demo_seed", "--base-url", f"http://127.0.0.1:{port}", env=quiet)
    say(f"serving the demo on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    os.execve(PYTHON, [str(PYTHON), "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], env)


def test(args: list[str]) -> None:
    ensure_venv("requirements-dev.lock")
    env = base_env()
    env.pop("BALAI_DEMO", None)
    result = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env)
    sys.exit(result.returncode)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"demo", "test"}:
        sys.exit(__doc__)
    if argv[0] == "demo":
        demo()
    else:
        test(argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
