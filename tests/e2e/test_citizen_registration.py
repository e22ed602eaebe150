"""A resident of Kota Serang registers on a cheap phone, confirms her e-mail, and logs in again.

She makes the mistake people make (a birth date that does not match her NIK), is told exactly what
is wrong, corrects it, and ends up with one Balai account in which Kota Serang knows her as a citizen.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from balai.core.accounts.models import Membership, User
from balai.core.tenants.services import tenant_create

from .helpers import PHONE_WIDTH, assert_accessible, log_in, log_out, scroll_width

pytestmark = pytest.mark.browser

NAME = "Siti Rahmawati"
EMAIL = "siti.rahmawati@contoh.id"
PHONE = "0812 3456 7890"
# Kecamatan Serang (36.73.01), born 17 August 1990, a woman (day + 40), serial 0002.
NIK = "3673015708900002"
BIRTH_DATE = "1990-08-17"
PASSWORD = "Kopi-Banten-2026"


def fill_registration(page, *, birth_date):
    # Exact labels: the consent text also mentions "nama", "tanggal lahir" and "nomor ponsel".
    page.get_by_label("Nama lengkap", exact=True).fill(NAME)
    page.get_by_label("NIK", exact=True).fill(NIK)
    page.get_by_label("Tanggal lahir", exact=True).fill(birth_date)
    page.get_by_label("Surel", exact=True).fill(EMAIL)
    page.get_by_label(re.compile(r"^Nomor ponsel")).fill(PHONE)  # "(opsional)" follows
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi", exact=True).fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile(r"^Saya setuju")).check()


def test_it_registers_a_citizen_who_then_logs_in_on_a_phone(live_server, phone_page):
    serang = tenant_create(code="36.73")
    page = phone_page

    page.goto(f"{live_server.url}/kota-serang/")
    page.get_by_role("link", name="Daftar sebagai warga").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar sebagai warga")
    assert scroll_width(page) <= PHONE_WIDTH
    assert_accessible(page)

    # A birth date that does not match the NIK: the form says which and what to do.
    fill_registration(page, birth_date="1991-08-17")
    with page.expect_navigation():
        page.get_by_role("button", name="Daftar", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Ada yang perlu diperbaiki")
    expect(summary).to_contain_text("Tanggal lahir dalam NIK (570890")
    expect(summary).to_be_focused()
    assert_accessible(page)
    assert not User.objects.filter(email=EMAIL).exists()

    fill_registration(page, birth_date=BIRTH_DATE)
    with page.expect_navigation():
        page.get_by_role("button", name="Daftar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa surel Anda")
    expect(page.get_by_text(EMAIL)).to_be_visible()
    assert_accessible(page)

    user = User.objects.get(email=EMAIL)
    assert user.nik == NIK and str(user.birth_date) == BIRTH_DATE
    assert Membership.objects.get(user=user, tenant=serang).roles == ["core.citizen"]

    # The confirmation link from the e-mail.
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    link = re.search(r"https?://\S+/accounts/surel/konfirmasi/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("status")).to_contain_text("alamat surel Anda sudah terkonfirmasi")

    log_out(page)
    # Back again another day, logging in with her phone number this time.
    log_in(page, live_server.url, login=PHONE, password=PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")
    expect(page.get_by_text("terkonfirmasi", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Kota Serang")).to_be_visible()
    expect(page.get_by_text("Warga / pemohon")).to_be_visible()
    assert scroll_width(page) <= PHONE_WIDTH
    assert_accessible(page)


def test_it_refuses_a_wrong_password_and_says_what_to_do(live_server, phone_page):
    tenant_create(code="36.73")
    User.objects.create_user(EMAIL, PASSWORD, full_name=NAME)
    page = phone_page

    log_in(page, live_server.url, login=EMAIL, password="salah-sekali-2026")
    expect(page.get_by_role("alert")).to_contain_text("Surel/nomor ponsel atau kata sandi salah")
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")
    assert_accessible(page)
