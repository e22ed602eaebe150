"""The administrator of Kota Serang, at her office desktop, sets up the organisation: she passes the
second factor, adds an OPD and a bidang under it, then gives a colleague an officer account; the
colleague sets a password from the e-mail and enrols his own second factor."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from balai.core.accounts.models import Membership
from balai.core.accounts.services import officer_create
from balai.core.orgs.models import Unit
from balai.testing.personas import build_world

from .helpers import assert_accessible, enrol_second_factor, log_in, pass_second_factor, totp_device_for

pytestmark = pytest.mark.browser

OPD = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
BIDANG = "Bidang Pelayanan Perizinan"
OFFICER = "Hendra Wijaya"
OFFICER_EMAIL = "hendra.wijaya@contoh.id"


def test_it_lets_the_administrator_add_a_unit_and_an_officer(live_server, desktop_page):
    world = build_world()
    admin = world.serang.people["admin"]
    device = totp_device_for(admin)  # the authenticator app on her phone
    page = desktop_page

    log_in(page, live_server.url, login=admin.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")
    page.goto(f"{live_server.url}/kota-serang/")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Struktur organisasi"
    ).click()

    # Officer pages need the second factor first, then lead on to where she was going.
    assert_accessible(page)
    pass_second_factor(page, device)
    expect(page).to_have_url(f"{live_server.url}/kota-serang/organisasi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Struktur organisasi")
    expect(page.get_by_text("Belum ada unit.")).to_be_visible()
    assert_accessible(page)

    # An OPD ...
    page.get_by_role("link", name="Tambah unit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah unit")
    assert_accessible(page)
    page.get_by_label("Nama unit").fill(OPD)
    page.get_by_label(re.compile(r"^Singkatan")).fill("DPMPTSP")
    page.get_by_label("Kode unit").fill("DPMPTSP")
    page.get_by_label("Jenis unit").select_option(label="OPD")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan unit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OPD)
    expect(page.get_by_role("status")).to_contain_text(f"Unit {OPD} ditambahkan.")
    assert_accessible(page)

    # ... and a bidang under it: the form already knows its parent and kind.
    page.get_by_role("link", name="Tambah unit di bawahnya").click()
    expect(page.get_by_label("Jenis unit")).to_have_value("bidang")
    page.get_by_label("Nama unit").fill(BIDANG)
    page.get_by_label("Kode unit").fill("DPMPTSP-PRZ")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan unit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BIDANG)
    expect(page.get_by_role("navigation", name="Letak unit")).to_contain_text("DPMPTSP")

    page.get_by_role("navigation", name="Letak unit").get_by_role("link", name="Struktur organisasi").click()
    tree = page.locator("#unit-tree")
    expect(tree.get_by_role("link", name=OPD)).to_be_visible()
    expect(tree.get_by_role("link", name=BIDANG)).to_be_visible()
    bidang = Unit.objects.get(tenant=world.serang.tenant, code="DPMPTSP-PRZ")
    assert bidang.parent.code == "DPMPTSP"

    # A colleague gets an officer account.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Petugas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun petugas")
    page.get_by_role("link", name="Tambah petugas").click()
    assert_accessible(page)
    page.get_by_label("Nama lengkap").fill(OFFICER)
    page.get_by_label("Surel", exact=True).fill(OFFICER_EMAIL)
    page.get_by_role("checkbox", name="Petugas (ASN)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Tambah petugas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun petugas")
    expect(page.get_by_role("status")).to_contain_text(f"{OFFICER} ditambahkan sebagai petugas")
    expect(page.get_by_role("row", name=re.compile(OFFICER))).to_contain_text("Petugas (ASN)")
    assert_accessible(page)

    membership = Membership.objects.get(tenant=world.serang.tenant, user__email=OFFICER_EMAIL)
    assert membership.roles == ["core.officer"]
    assert [m.to for m in mail.outbox] == [[OFFICER_EMAIL]]


def test_it_lets_a_new_officer_set_a_password_and_enrol_the_second_factor(live_server, desktop_page):
    world = build_world()
    officer_create(
        tenant=world.serang.tenant,
        email=OFFICER_EMAIL,
        full_name=OFFICER,
        roles=["core.officer"],
        actor=world.serang.people["admin"],
        site_url=live_server.url,
    )
    page = desktop_page

    link = re.search(r"https?://\S+/accounts/sandi/atur/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Buat kata sandi baru")
    page.get_by_label("Kata sandi baru", exact=True).fill("Serang-Madani-2026")
    page.get_by_label("Ulangi kata sandi baru", exact=True).fill("Serang-Madani-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan kata sandi").click()

    log_in(
        page,
        live_server.url,
        login=OFFICER_EMAIL,
        password="Serang-Madani-2026",
        next_url="/kota-serang/organisasi/",
    )
    # First time: the page shows the key to add to the authenticator app.
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi dua langkah")
    assert_accessible(page)
    enrol_second_factor(page)
    expect(page).to_have_url(f"{live_server.url}/kota-serang/organisasi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Struktur organisasi")
    # An officer sees the structure but cannot change it.
    expect(page.get_by_role("link", name="Tambah unit")).to_have_count(0)
