"""What the browser journeys do often: log in through the real form, pass the officer's second
factor, check a page for accessibility problems, and look at the page the way a person would.

Import them in a journey with `from .helpers import log_in, assert_accessible, ...`.
"""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from balai.testing.personas import PASSWORD

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_JS = VENDOR / "axe.min.js"

# WCAG 2.1 level A and AA, as the design asks (STYLE.md: WCAG AA).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")

PHONE_WIDTH = 360


# --- finding one's way ---------------------------------------------------------------------------


def open_menu(page: Page) -> None:
    """On a phone the navigation sits behind the menu button: open it, as a person would.

    Does nothing on a wide screen, where the navigation is always shown.
    """
    # By its place, not its label: the label follows the interface language ("Buka menu", "Open menu").
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
        # Bootstrap sets "show" once the menu has finished opening.
        expect(page.locator(".navbar-collapse")).to_have_class(re.compile(r"\bshow\b"))


# --- logging in ---------------------------------------------------------------------------------


def log_in(page: Page, base_url: str, *, login: str, password: str = PASSWORD, next_url: str = "") -> None:
    """Log in through the real login form (/accounts/masuk/), as a person would.

    `login` is what the person types in "Surel atau nomor ponsel": an e-mail address or a phone
    number. Waits until the form is submitted and the next page has loaded; it does not assert
    success, so a journey can also check the error a wrong password gives.
    """
    url = f"{base_url}/accounts/masuk/"
    if next_url:
        url += f"?next={next_url}"
    page.goto(url)
    page.get_by_label("Surel atau nomor ponsel", exact=True).fill(login)
    page.get_by_label("Kata sandi", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk", exact=True).click()


def log_out(page: Page) -> None:
    """Press "Keluar" in the navigation."""
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Keluar", exact=True).click()


def totp_device_for(user) -> TOTPDevice:
    """The user's confirmed TOTP device, created if there is none: what the officer's phone app holds.

    Create it BEFORE the officer logs in, so that the two-factor step asks for a code rather than
    starting the enrolment of a new device.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Ponsel", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the officer's authenticator app would show now, as the officer would type it.

    A TOTP code is accepted once only: when this step's code was already used (a second login
    within 30 seconds), the next step's code is given, which the device accepts within its
    tolerance of one step. Equivalent to django_otp.oath.totp(device.bin_key) in the common case.
    """
    device.refresh_from_db()
    now_t = (int(time.time()) - device.t0) // device.step + device.drift
    t = max(now_t, device.last_t + 1)
    return f"{hotp(device.bin_key, t, digits=device.digits):0{device.digits}d}"


def pass_second_factor(page: Page, device: TOTPDevice) -> None:
    """On the two-factor page (accounts:two_factor), type the current code and submit it.

    Create the device with `totp_device_for(user)` before the officer logs in; the page then asks
    for the code of that device, as the officer's authenticator app would show it.
    """
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi dua langkah")
    page.get_by_label("Kode 6 angka").fill(totp_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Verifikasi", exact=True).click()


def enrol_second_factor(page: Page) -> str:
    """On the two-factor set-up page, do what an officer with an authenticator app does: add the key
    shown under the QR code to the app, then type the code the app shows. Returns the key (base32)."""
    secret = "".join(page.locator("#totp-secret").inner_text().split())
    key = base64.b32decode(secret)
    code = f"{hotp(key, int(time.time()) // 30):06d}"
    page.get_by_label("Kode 6 angka").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Aktifkan verifikasi dua langkah").click()
    return secret


# --- looking at the page ------------------------------------------------------------------------


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it needs no sideways scrolling)."""
    return page.evaluate("() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth")


def scroll_width(page: Page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth")


# --- accessibility (axe-core) -------------------------------------------------------------------


def axe_violations(page: Page, *, tags: list[str] | None = None) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations (axe's own dictionaries).

    axe is vendored in tests/e2e/vendor/ (see README there). It is injected by `page.evaluate`,
    which runs through the DevTools protocol and is not governed by the page's Content Security
    Policy, so the page keeps its real CSP: no `bypass_csp` anywhere. (`page.add_script_tag(path=...)`
    does NOT work here: it inserts an inline <script>, which `script-src 'self'` refuses.)
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags or WCAG_TAGS,
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    """A readable report: one block per rule, with the offending elements and how to fix them."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            target = " ".join(json.dumps(t) if not isinstance(t, str) else t for t in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more elements")
    return "\n".join(lines)


def assert_accessible(page: Page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> None:
    """Fail when axe finds a serious or critical WCAG 2.1 A/AA violation on the current page."""
    found = [v for v in axe_violations(page) if v.get("impact") in impacts]
    assert not found, f"Accessibility violations on {page.url}:\n{describe_violations(found)}"
