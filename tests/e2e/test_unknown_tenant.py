"""Someone types a wrong region address: they are told so, and shown the way on."""

import pytest
from playwright.sync_api import expect

from balai.core.tenants.services import tenant_create

from .helpers import assert_accessible

pytestmark = pytest.mark.browser


def test_it_says_the_region_does_not_exist(live_server, phone_page):
    page = phone_page
    response = page.goto(f"{live_server.url}/kota-tidak-ada/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pemda tidak ditemukan")
    expect(page.get_by_text("kota-tidak-ada")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Lihat semua daerah").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilih daerah Anda")


def test_it_suggests_the_region_meant_by_a_misspelt_address(live_server, desktop_page):
    tenant_create(code="36.73")
    page = desktop_page
    response = page.goto(f"{live_server.url}/kota-serangg/")

    assert response.status == 404
    expect(page.get_by_text("Mungkin maksud Anda:")).to_be_visible()
    page.get_by_role("link", name="Kota Serang", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/kota-serang/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Serang")
