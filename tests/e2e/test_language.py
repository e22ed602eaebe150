"""A resident of Kota Serang on a cheap phone: the site speaks Indonesian, switches to English and
back, fits the screen, and passes the accessibility check."""

import pytest
from playwright.sync_api import expect

from balai.core.tenants.services import tenant_create

from .helpers import PHONE_WIDTH, assert_accessible, open_menu, scroll_width

pytestmark = pytest.mark.browser


@pytest.fixture
def serang(live_server):
    return tenant_create(code="36.73")


def test_it_speaks_indonesian_and_switches_to_english_and_back(live_server, serang, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/kota-serang/")

    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Serang")
    open_menu(page)
    expect(page.get_by_role("navigation").get_by_role("link", name="Layanan", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Bahasa Indonesia")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("button", name="English")).not_to_have_attribute("aria-current", "true")

    # The switch posts a form and comes back to the same page; wait for the answer, not for a fixed event.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=30_000)

    # Still Kota Serang, now in English.
    assert page.url == f"{live_server.url}/kota-serang/"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Serang")
    expect(page.get_by_text("Online services available from this regional government.")).to_be_visible()
    open_menu(page)
    expect(page.get_by_role("navigation").get_by_role("link", name="Services", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("button", name="Bahasa Indonesia")).not_to_have_attribute("aria-current", "true")

    # The choice is remembered on the next page.
    page.goto(f"{live_server.url}/accounts/masuk/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")

    open_menu(page)
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id", timeout=30_000)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")


PAGES = ["/", "/kota-serang/", "/accounts/masuk/"]


@pytest.mark.parametrize("path", PAGES)
def test_it_needs_no_sideways_scrolling_on_a_phone(live_server, serang, phone_page, path):
    page = phone_page
    page.goto(f"{live_server.url}{path}")
    assert scroll_width(page) <= PHONE_WIDTH, f"{path} is wider than the phone"
    open_menu(page)
    assert scroll_width(page) <= PHONE_WIDTH, f"{path} with the menu open is wider than the phone"


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("screen", ["phone_page", "desktop_page"])
def test_it_passes_the_accessibility_check(live_server, serang, request, screen, path):
    page = request.getfixturevalue(screen)
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)
    if screen == "phone_page":
        open_menu(page)
        assert_accessible(page)
