"""An Izin Reklame from the citizen's phone to a revoked permit on /verify/.

A shop owner in Kota Serang applies on a cheap phone for a 3 × 5 m billboard. The verifier, at his
desktop, returns the file because the ID card scan is unreadable; she replaces only that scan and sends
it back. The verifier then finds everything in order, and since the board is larger than 10 m² the
file goes to field inspection; the inspector records his report with a photo. She pays the fee in the
payment simulator, the head of office approves, the signer signs, and she downloads the signed permit,
whose /verify/ page says it is valid. Later the approver revokes it, and the same page says so, with
the reason. Each officer is a different person (segregation of duties) and passes the second factor.
"""

import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from balai.core.files.tests.factories import image_bytes, pdf_bytes
from balai.core.tenants.services import tenant_module_configure
from balai.permits.demo import demo_permit_catalogue
from balai.testing.personas import build_world, make_person

from .helpers import (
    PHONE_WIDTH,
    assert_accessible,
    log_in,
    log_out,
    pass_second_factor,
    scroll_width,
    totp_device_for,
)

pytestmark = pytest.mark.browser

FEE = "Rp 14.062.500"  # 25% × 3 m × 5 m × 30 days × Rp 125.000
KTP, DESAIN, IZIN_PEMILIK = "KTP pemohon", "Desain/gambar reklame", "Surat persetujuan pemilik lahan/bangunan"
KTP_NOTE = "Foto KTP buram; unggah pindaian yang terbaca."
REVOKE_REASON = "Papan dipasang melebihi ukuran yang diizinkan."


@pytest.fixture
def permit_engine(settings, tmp_path_factory):
    """Signed permits need a CA: a demo one outside the checkout (settings reach the live server too)."""
    settings.BALAI_PKI_DIR = tmp_path_factory.mktemp("pki")
    settings.BALAI_SIGNING_P12 = ""
    settings.PRODUCTION = False


def officer(page, base_url, user, device):
    """Log `user` in at the office desktop, pass the second factor and open the permits inbox from the
    dashboard's "Perizinan Online" tile."""
    log_in(page, base_url, login=user.email, next_url="/kota-serang/dasbor/")
    pass_second_factor(page, device)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor petugas")
    page.get_by_role("link", name=re.compile(r"^Perizinan Online")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kotak masuk perizinan")


def flash(page):
    """The message the last action left at the top of the page."""
    return page.locator(".messages").get_by_role("status")


def open_file(page, number):
    page.get_by_role("row", name=re.compile(number)).get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def test_it_takes_a_billboard_permit_from_a_phone_application_to_revocation(
    live_server, phone_page, desktop_page, tmp_path, permit_engine
):
    world = build_world()
    tenant = world.serang.tenant
    tenant_module_configure(tenant=tenant, module="permits", enabled=True)
    demo_permit_catalogue(tenant=tenant, actor=None)
    citizen = world.serang.people["citizen"]

    def staff(name, role):
        person = make_person(name, tenant=tenant, roles=[role, "core.officer"])
        return person, totp_device_for(person)  # the authenticator app on each officer's phone

    verifier = staff("Vina Verifikator", "permits.verifier")
    inspector = staff("Indra Surveyor", "permits.inspector")
    approver = staff("Agus Kepala", "permits.approver")
    signer = staff("Sinta Penandatangan", "permits.signer")

    files = {
        "ktp_blur.png": image_bytes("PNG", (60, 40)),
        "ktp.pdf": pdf_bytes("KTP Citra Lestari"),
        "desain.png": image_bytes("PNG"),
        "izin_pemilik.pdf": pdf_bytes("Surat persetujuan pemilik bangunan"),
        "lokasi.jpg": image_bytes("JPEG"),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    year = timezone.now().astimezone(ZoneInfo("Asia/Jakarta")).year
    number_pattern = re.compile(rf"^REG-3673-{year}-\d{{6}}$")

    base = live_server.url
    phone, desk = phone_page, desktop_page

    # --- 1. The citizen applies on her phone -----------------------------------------------------
    log_in(phone, base, login=citizen.email)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Akun saya")
    phone.get_by_role("link", name="Kota Serang", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Kota Serang")
    phone.get_by_role("link", name="Perizinan Online").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Perizinan")
    assert scroll_width(phone) <= PHONE_WIDTH
    assert_accessible(phone)
    phone.get_by_role("link", name="Izin Reklame").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Izin Reklame")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Ajukan permohonan").click()

    # The form, three questions a page on her phone; the business data last, which she leaves empty.
    expect(phone.get_by_role("heading", level=1)).to_have_text("Isi formulir permohonan")
    expect(flash(phone)).to_contain_text("Draf permohonan Izin Reklame dibuat")
    expect(phone.get_by_text("Bagian 1 dari 3", exact=True)).to_be_visible()
    assert scroll_width(phone) <= PHONE_WIDTH
    assert_accessible(phone)
    phone.get_by_label("Naskah/judul reklame", exact=True).fill("Warung Citra, buka setiap hari")
    phone.get_by_label("Alamat lokasi papan", exact=True).fill("Jl. Jenderal Sudirman No. 5, Serang")
    phone.get_by_label("Lebar papan (m)", exact=True).fill("3")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Simpan dan lanjut", exact=True).click()

    expect(phone.get_by_text("Bagian 2 dari 3", exact=True)).to_be_visible()
    # She forgets the location class: the summary at the top says so and takes her to the question.
    phone.get_by_label("Tinggi papan (m)", exact=True).fill("5")
    phone.get_by_label("Lama pemasangan (hari)", exact=True).fill("30")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Simpan dan lanjut", exact=True).click()
    summary = phone.get_by_role("alert").filter(has_text="Ada yang perlu diperbaiki")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name=re.compile(r"^Kelas lokasi strategis")).click()
    expect(phone.get_by_label(re.compile(r"^Kelas A: jalan protokol"))).to_be_in_viewport()
    expect(phone.get_by_label(re.compile(r"^Kelas A: jalan protokol"))).to_be_focused()
    assert scroll_width(phone) <= PHONE_WIDTH
    assert_accessible(phone)
    phone.get_by_label(re.compile(r"^Kelas A: jalan protokol")).check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Simpan dan lanjut", exact=True).click()

    expect(phone.get_by_text("Bagian 3 dari 3", exact=True)).to_be_visible()
    # One page back: what she chose is still there.
    phone.get_by_role("link", name="Kembali ke bagian 2").click()
    expect(phone.get_by_label("Tinggi papan (m)", exact=True)).to_have_value("5")
    expect(phone.get_by_label(re.compile(r"^Kelas A: jalan protokol"))).to_be_checked()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Simpan dan lanjut", exact=True).click()
    expect(phone.get_by_role("group", name="Data usaha (bila ada)")).to_be_visible()
    assert_accessible(phone)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Simpan dan lanjut ke dokumen").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Unggah dokumen persyaratan")
    assert_accessible(phone)
    for label, name in ((KTP, "ktp_blur.png"), (DESAIN, "desain.png"), (IZIN_PEMILIK, "izin_pemilik.pdf")):
        phone.get_by_label(label, exact=True).set_input_files(tmp_path / name)
        with phone.expect_navigation():
            phone.get_by_role("button", name=f"Unggah {label}").click()
        expect(flash(phone)).to_contain_text(f"{label} tersimpan.")
    expect(phone.get_by_text("Belum diunggah")).to_have_count(0)
    phone.get_by_role("link", name="Lanjut ke pemeriksaan").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Periksa permohonan Anda")
    expect(phone.get_by_text("Permohonan belum dapat diajukan")).to_have_count(0)
    expect(phone.get_by_text(FEE, exact=True)).to_be_visible()
    assert_accessible(phone)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Ajukan permohonan").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Permohonan diterima")
    number = phone.locator(".display-6").inner_text().strip()
    assert number_pattern.match(number), number
    expect(phone.get_by_text("Lacak di")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="Lihat perkembangan permohonan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Izin Reklame")
    expect(phone.get_by_role("heading", name=re.compile(r"^Status sekarang"))).to_have_text(
        "Status sekarang: Verifikasi"
    )
    detail_url = phone.url
    assert scroll_width(phone) <= PHONE_WIDTH
    assert_accessible(phone)

    # --- 2. The verifier returns it: the ID card scan is unreadable -------------------------------
    officer(desk, base, *verifier)
    open_file(desk, number)
    expect(desk.get_by_role("heading", name="Daftar periksa verifikasi")).to_be_visible()
    desk.get_by_role("group", name=KTP, exact=True).get_by_label("Perlu diperbaiki").check()
    desk.get_by_label(f"Catatan perbaikan: {KTP}", exact=True).fill(KTP_NOTE)
    desk.get_by_label(re.compile(r"^Catatan untuk pemohon")).fill("Mohon unggah ulang KTP yang terbaca.")
    with desk.expect_navigation():
        desk.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    expect(flash(desk)).to_contain_text("Berkas dikembalikan kepada pemohon untuk diperbaiki")
    expect(desk.get_by_text("Sedang dikembalikan untuk diperbaiki")).to_be_visible()
    office_file_url = desk.url

    # --- 3. The citizen sees it returned, with the clock paused, and replaces only the ID card ------
    phone.goto(detail_url)
    expect(phone.get_by_role("heading", name=re.compile(r"^Status sekarang"))).to_have_text(
        "Status sekarang: Dikembalikan untuk diperbaiki"
    )
    expect(phone.locator(".sla-paused")).to_contain_text("Jam layanan berhenti sementara")
    expect(phone.locator(".sla-paused")).to_contain_text("dikembalikan ke pemohon")
    expect(phone.get_by_text(f"{KTP}: {KTP_NOTE}")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="Perbaiki permohonan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Perbaiki permohonan")
    phone.get_by_role("link", name="Unggah ulang dokumen yang diminta").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Unggah dokumen persyaratan")
    # Only the ID card may be replaced; the other documents have no upload form.
    expect(phone.get_by_role("button", name=re.compile(r"^Ganti "))).to_have_count(1)
    phone.get_by_label(KTP, exact=True).set_input_files(tmp_path / "ktp.pdf")
    with phone.expect_navigation():
        phone.get_by_role("button", name=f"Ganti {KTP}").click()
    expect(flash(phone)).to_contain_text(f"{KTP} tersimpan.")
    phone.get_by_role("link", name="Kembali ke perbaikan").click()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Kirim perbaikan").click()
    expect(flash(phone)).to_contain_text("Perbaikan terkirim")
    expect(phone.get_by_role("heading", name=re.compile(r"^Status sekarang"))).to_have_text(
        "Status sekarang: Verifikasi"
    )

    # --- 4. Verified; 15 m² > 10 m², so the inspector goes to the site --------------------------------
    desk.goto(office_file_url)
    for option in desk.get_by_label("Sesuai", exact=True).all():
        option.check()
    with desk.expect_navigation():
        desk.get_by_role("button", name="Nyatakan lengkap, lanjut survei lapangan").click()
    expect(flash(desk)).to_contain_text("Berkas dinyatakan lengkap")
    expect(desk.get_by_role("heading", name="Daftar periksa verifikasi")).to_have_count(0)
    log_out(desk)

    officer(desk, base, *inspector)
    open_file(desk, number)
    desk.get_by_role("textbox", name="Laporan survei lapangan").fill(
        "Papan 3 × 5 m di lokasi sesuai desain; konstruksi rangka baja aman."
    )
    desk.get_by_label(re.compile(r"^Foto lokasi")).set_input_files(tmp_path / "lokasi.jpg")
    with desk.expect_navigation():
        desk.get_by_role("button", name="Simpan laporan survei dan teruskan").click()
    expect(flash(desk)).to_contain_text("Laporan survei lapangan disimpan.")
    expect(desk.get_by_role("heading", name="Hasil survei lapangan")).to_be_visible()
    expect(desk.get_by_role("link", name="Foto 1")).to_be_visible()
    log_out(desk)

    # --- 5. The citizen pays in the simulator ---------------------------------------------------------
    phone.goto(detail_url)
    expect(phone.get_by_role("heading", name=re.compile(r"^Status sekarang"))).to_have_text(
        "Status sekarang: Menunggu pembayaran"
    )
    expect(phone.get_by_text(f"Bayar retribusi {FEE}")).to_be_visible()
    phone.get_by_role("link", name="Bayar retribusi").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bayar retribusi")
    assert_accessible(phone)
    phone.get_by_role("link", name=f"Lanjut ke pembayaran {FEE}").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Pembayaran tagihan daerah")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Bayar (simulasi)").click()
    expect(phone).to_have_url(detail_url)
    expect(flash(phone)).to_contain_text("Pembayaran diterima")
    expect(phone.get_by_role("heading", name=re.compile(r"^Status sekarang"))).to_have_text(
        "Status sekarang: Persetujuan"
    )

    # --- 6. Approved by the head of office, signed by the signer ----------------------------------------
    officer(desk, base, *approver)
    open_file(desk, number)
    with desk.expect_navigation():
        desk.get_by_role("button", name="Setujui", exact=True).click()
    expect(flash(desk)).to_contain_text("Permohonan disetujui")
    log_out(desk)

    officer(desk, base, *signer)
    open_file(desk, number)
    with desk.expect_navigation():
        desk.get_by_role("button", name="Tandatangani dan terbitkan").click()
    expect(flash(desk)).to_contain_text("Izin ditandatangani dan diterbitkan.")
    log_out(desk)

    # --- 7. The citizen downloads the signed permit; /verify/ says it is valid -----------------------
    phone.goto(detail_url)
    expect(phone.get_by_role("heading", name=re.compile(r"^Status sekarang"))).to_have_text(
        "Status sekarang: Terbit"
    )
    expect(phone.get_by_text("Izin Anda sudah terbit")).to_be_visible()
    expect(phone.get_by_role("img", name="Kode QR untuk memeriksa keaslian izin")).to_be_visible()
    assert_accessible(phone)
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Unduh izin (PDF bertanda tangan)").click()
    download = download_info.value
    assert download.suggested_filename.lower().endswith(".pdf")
    assert download.path().read_bytes().startswith(b"%PDF")

    phone.get_by_role("link", name="Periksa keaslian di halaman verifikasi").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Verifikasi dokumen")
    expect(phone.get_by_role("status").filter(has_text="Sah")).to_contain_text("masih berlaku")
    expect(phone.get_by_text("Dicabut")).to_have_count(0)
    verify_url = phone.url
    assert re.search(r"/verify/[A-Z2-7]+/$", verify_url), verify_url
    assert_accessible(phone)

    # --- 8. The approver revokes it; the same page now says so, with the reason ------------------------
    officer(desk, base, *approver)
    # An issued permit is in nobody's inbox: the approver returns to the file he approved.
    desk.goto(office_file_url)
    expect(desk.get_by_role("heading", name="Cabut izin")).to_be_visible()
    desk.get_by_label("Alasan pencabutan", exact=True).fill(REVOKE_REASON)
    with desk.expect_navigation():
        desk.get_by_role("button", name="Cabut izin ini").click()
    expect(flash(desk)).to_contain_text("Izin dicabut")

    phone.goto(verify_url)
    revoked = phone.get_by_role("status").filter(has_text="Dicabut")
    expect(revoked).to_contain_text("tidak berlaku lagi")
    expect(revoked).to_contain_text(REVOKE_REASON)
    expect(phone.get_by_text("Sah", exact=True)).to_have_count(0)
