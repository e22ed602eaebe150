import datetime
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balai.core.documents.selectors import document_pdf_bytes
from balai.core.documents.services import document_revoke
from balai.core.documents.verify_views import local_time_label


def _qr_payload(pdf: bytes, tmp_path) -> str:
    """Render the PDF's first page as a picture and read its QR code, as a phone would."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed: apt-get install poppler-utils")
    zxingcpp = pytest.importorskip("zxingcpp", reason="the QR decoder zxing-cpp is a dev dependency")
    from PIL import Image

    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "doc.pdf"), str(tmp_path / "page")],
        check=True, timeout=60,
    )
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert found, "no QR code found on the first page"
    return found[0].text


@pytest.mark.django_db
def test_the_qr_code_on_the_pdf_opens_a_verification_page_that_says_valid(client, issue, tmp_path):
    doc = issue(valid_until=datetime.date(2099, 12, 31))
    url = _qr_payload(document_pdf_bytes(doc), tmp_path)
    assert url == f"https://balai.example.id/verify/{doc.code}/"
    response = client.get(url.removeprefix("https://balai.example.id"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sah" in page and "Dicabut" not in page
    assert doc.number in page
    assert "Kota Serang" in page
    assert "3673********0001" in page and "3673014501900001" not in page
    assert "Citra Dewi" not in page and "Ci*** De**" in page
    assert "Budi Santoso" in page  # who signed
    assert doc.sha256 in page
    assert "31 Desember 2099" in page


@pytest.mark.django_db
def test_a_revoked_document_says_revoked_with_reason_and_date(client, issue, world):
    doc = issue()
    document_revoke(document=doc, reason="Usaha ditutup atas permintaan pemilik.", actor=world.serang.people["admin"])
    page = client.get(reverse("verify:document", kwargs={"code": doc.code})).content.decode()
    assert "Dicabut" in page and "Usaha ditutup atas permintaan pemilik." in page
    assert "WIB" in page
    # The PDF itself is unchanged: it still hashes to the record.
    import hashlib

    assert hashlib.sha256(document_pdf_bytes(doc)).hexdigest() == doc.sha256


@pytest.mark.django_db
def test_revoking_needs_a_reason_and_happens_once(issue, world):
    from django.core.exceptions import ValidationError

    doc = issue()
    with pytest.raises(ValidationError):
        document_revoke(document=doc, reason=" ", actor=world.serang.people["admin"])
    document_revoke(document=doc, reason="Salah ketik nama.", actor=world.serang.people["admin"])
    with pytest.raises(ValidationError):
        document_revoke(document=doc, reason="Lagi.", actor=world.serang.people["admin"])


@pytest.mark.django_db
def test_a_document_past_its_validity_says_expired(client, issue):
    doc = issue(valid_until=datetime.date(2020, 1, 31))
    page = client.get(reverse("verify:document", kwargs={"code": doc.code})).content.decode()
    assert "Kedaluwarsa" in page and "31 Januari 2020" in page


@pytest.mark.django_db
def test_an_unknown_code_is_404_with_advice(client):
    response = client.get(reverse("verify:document", kwargs={"code": "AAAABBBBCCCCDDDD"}))
    assert response.status_code == 404
    assert "Dokumen tidak ditemukan" in response.content.decode()
    assert "Periksa kembali kode" in response.content.decode()


@pytest.mark.django_db
def test_a_code_typed_from_paper_with_dashes_and_lookalike_digits_is_found(client, issue):
    doc = issue()
    typed = doc.code_display.lower().replace("o", "0").replace("i", "1")
    response = client.get(reverse("verify:lookup"), {"kode": typed})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_comparing_a_file_says_whether_it_is_the_issued_one(client, issue):
    doc = issue()
    url = reverse("verify:document", kwargs={"code": doc.code})
    same = SimpleUploadedFile("izin.pdf", document_pdf_bytes(doc), content_type="application/pdf")
    assert "Cocok:" in client.post(url, {"berkas": same}).content.decode()
    forged = SimpleUploadedFile("izin.pdf", document_pdf_bytes(doc) + b"\n", content_type="application/pdf")
    assert "Tidak cocok" in client.post(url, {"berkas": forged}).content.decode()


@pytest.mark.django_db
def test_lookups_are_rate_limited_per_address(client, settings, issue):
    settings.BALAI_VERIFY_RATE_PER_MINUTE = 3
    cache.clear()
    url = reverse("verify:document", kwargs={"code": issue().code})
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Tunggu satu menit" in client.get(url).content.decode()
    other = client.get(url, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200


def test_times_are_shown_in_the_issuing_tenants_zone(world):
    moment = datetime.datetime(2026, 11, 28, 3, 15, tzinfo=datetime.UTC)
    assert local_time_label(moment, world.serang.tenant) == "28 November 2026 10.15 WIB"
