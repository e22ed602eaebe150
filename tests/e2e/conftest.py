"""Browser journeys: a real Chromium, driven by Playwright, against pytest-django's live server.

Fixtures:
- `browser`: one headless Chromium per test module (Debian's /usr/bin/chromium, or the path in
  BALAI_CHROMIUM; the fixture says why not one per session). Without a Chromium the journeys are
  SKIPPED, so that a bare machine with only python3 still passes `python3 dev.py test`; under CI
  (CI=true) a missing Chromium FAILS them.
- `phone_page`: a 360x740 touch phone (is_mobile), Indonesian locale; a fresh context per test.
- `desktop_page`: a 1280x800 desktop, Indonesian locale; a fresh context per test.
- `live_server` (pytest-django): the app served on a free port; `live_server.url` is its base URL.
  It makes the test transactional: data the test creates is committed and visible to the server.

Every page fails its test at the end when the browser reported a Content Security Policy violation,
an uncaught JavaScript error, or a stylesheet, script, font or image that did not load. A failing
journey leaves a full-page screenshot in test-results/ (git-ignored).
Mark journeys with `pytestmark = pytest.mark.browser`; helpers are in tests/e2e/helpers.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-results"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Flags this machine needs: no sandbox (root), no GPU, and no calls home (the network is closed,
# and refused connections would slow every start).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000
ASSET_TYPES = {"stylesheet", "script", "font", "image"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def chromium_executable() -> str | None:
    """The Chromium to drive: BALAI_CHROMIUM when set (and then only that), else Debian's."""
    path = os.environ.get("BALAI_CHROMIUM") or DEFAULT_CHROMIUM
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def _unavailable(problem: str):
    if _in_ci():
        pytest.fail(f"{problem} CI must run the browser journeys: apt-get install chromium.")
    pytest.skip(
        f"{problem} Browser journeys skipped: apt-get install chromium, or set BALAI_CHROMIUM to its path."
    )


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for one test module.

    Not for the whole session, on purpose: while a Playwright sync browser is open, its asyncio event
    loop counts as running in this thread, and Django then refuses every ORM call made here
    (SynchronousOnlyOperation), although the calls are synchronous and nothing runs concurrently.
    DJANGO_ALLOW_ASYNC_UNSAFE switches that guard off, and only while the browser is open: the
    project has no async code for the guard to protect, but a process-wide setting would leak into
    every later test, and into the subprocesses some of them start (`manage.py check --deploy`
    rightly refuses to pass with it set). One Chromium start per module costs well under a second.
    """
    executable = chromium_executable()
    if executable is None:
        _unavailable(f"No Chromium at {os.environ.get('BALAI_CHROMIUM') or DEFAULT_CHROMIUM}.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in requirements-dev.lock
        _unavailable("The playwright package is not installed.")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_FLAGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a MEDIA_URL that Django's test server can parse.

    Balai sets MEDIA_URL = None on purpose (uploads are served only through permission-checking
    views), but Django's LiveServerThread wraps the app in a media-file handler that parses
    MEDIA_URL once, when the server starts; with None every request fails with a TypeError. The
    server starts with a prefix that no page links to, and the setting is restored at once.
    """
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or "localhost"
    with override_settings(MEDIA_URL="/__uploads-are-not-served-here__/"):
        server = LiveServer(addr)  # returns once the server thread has built its handlers
    yield server
    server.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's outcome on the test item, so the page fixtures know whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _watch(page, problems: list[str]) -> None:
    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP violation: {message.text}")

    def on_response(response):
        # A stylesheet, script, font or image that does not load leaves a broken page behind.
        if response.status >= 400 and response.request.resource_type in ASSET_TYPES:
            problems.append(f"{response.request.resource_type} {response.url} answered {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on("response", on_response)


def _open_page(request, browser, **context_options):
    # Reduced motion, as many people set it: Bootstrap then opens the menu and scrolls without
    # animation, so a click never lands on a button that is still sliding into place (a click on the
    # language switch was lost that way in CI, once in many runs).
    context = browser.new_context(reduced_motion="reduce", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    _watch(page, problems)
    yield page
    report = getattr(request.node, "report_call", None)
    failed = report is not None and report.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception:  # noqa: BLE001, S110 - a screenshot is a courtesy; never mask the real failure
            pass
    context.close()
    if not failed:
        assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def phone_page(request, browser):
    """A cheap phone: 360x740 CSS pixels, touch, mobile layout, Indonesian."""
    yield from _open_page(
        request,
        browser,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )


@pytest.fixture
def desktop_page(request, browser):
    """An office desktop: 1280x800, Indonesian."""
    yield from _open_page(
        request,
        browser,
        viewport={"width": 1280, "height": 800},
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
