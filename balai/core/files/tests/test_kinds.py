"""Every kind is recognised by its content, and every disguise or breakage gets a refusal a person can act on."""

import pytest

from balai.core.files.kinds import (
    DEFAULT_POLICY,
    IMAGES_ONLY,
    MB,
    PDF_ONLY,
    SPREADSHEETS,
    UploadPolicy,
    UploadRefused,
    check_upload,
    human_size,
)

from .factories import encrypted_pdf_bytes, image_bytes, pdf_bytes, upload, xlsx_bytes, zip_bytes


def refusal(data, name, policy=DEFAULT_POLICY) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        check_upload(upload(data, name), name=name, policy=policy)
    return caught.value


@pytest.mark.parametrize(
    ("make", "name", "kind", "policy"),
    [
        (pdf_bytes, "izin.pdf", "pdf", DEFAULT_POLICY),
        (lambda: image_bytes("JPEG"), "ktp.jpg", "jpeg", DEFAULT_POLICY),
        (lambda: image_bytes("PNG"), "denah.png", "png", DEFAULT_POLICY),
        (xlsx_bytes, "unit.xlsx", "xlsx", SPREADSHEETS),
        (lambda: b"kode,nama\nDPMPTSP,Dinas Penanaman Modal dan PTSP\n", "unit.csv", "csv", SPREADSHEETS),
    ],
)
def test_it_accepts_each_kind_by_its_content(make, name, kind, policy):
    checked = check_upload(upload(make(), name, content_type="application/octet-stream"), name=name, policy=policy)
    assert checked.kind.code == kind


def test_it_records_the_real_kind_when_the_name_lies():
    checked = check_upload(upload(image_bytes("PNG"), "surat.pdf"), name="surat.pdf")
    assert (checked.kind.code, checked.kind.extension, checked.kind.content_type) == ("png", "png", "image/png")


def test_it_ignores_the_content_type_the_browser_claims():
    data = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
    error = refusal(data, "surat.pdf")
    assert error.code == "disguised"


def test_it_refuses_html_named_pdf_and_says_what_it_is():
    error = refusal(b"<html><body><script>alert(1)</script></body></html>", "surat.pdf")
    assert error.code == "disguised"
    assert "halaman web (HTML)" in error.message
    assert ".pdf" in error.message and "unggah lagi" in error.message


def test_it_refuses_a_program_named_pdf():
    error = refusal(b"MZ\x90\x00\x03" + b"\x00" * 200, "ktp.pdf")
    assert error.code == "disguised"
    assert "program" in error.message


def test_it_refuses_a_png_where_only_pdf_is_taken():
    error = refusal(image_bytes("PNG"), "surat.pdf", PDF_ONLY)
    assert error.code == "kind_not_allowed"
    assert error.message.startswith("Berkas ini adalah gambar PNG")
    assert "hanya PDF" in error.message


def test_it_refuses_a_pdf_where_only_images_are_taken():
    error = refusal(pdf_bytes(), "pasfoto.jpg", IMAGES_ONLY)
    assert error.code == "kind_not_allowed"
    assert "JPEG atau PNG" in error.message


def test_it_refuses_a_zip_named_xlsx_that_has_no_workbook():
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", "isi/data.txt": b"halo"})
    error = refusal(data, "unit.xlsx", SPREADSHEETS)
    assert error.code == "disguised"
    assert "berakhiran .xlsx, tetapi isinya arsip ZIP" in error.message


def test_it_refuses_a_workbook_without_its_content_types():
    data = zip_bytes({"xl/workbook.xml": b"<workbook/>"})
    assert refusal(data, "unit.xlsx", SPREADSHEETS).code == "xlsx_broken"


def test_it_refuses_a_cut_off_workbook():
    data = xlsx_bytes()
    assert refusal(data[: len(data) // 2], "unit.xlsx", SPREADSHEETS).code == "xlsx_broken"


def test_it_refuses_a_truncated_pdf_with_the_message_that_says_what_to_do():
    data = pdf_bytes()
    error = refusal(data[: len(data) // 2], "izin.pdf")
    assert error.code == "pdf_broken"
    assert error.message == (
        "Berkas ini bukan PDF yang utuh (rusak atau terpotong). Simpan ulang dokumen sebagai PDF lalu unggah lagi."
    )


def test_it_refuses_a_pdf_whose_end_was_forged():
    data = pdf_bytes()
    assert refusal(data[:-300] + b"\n%%EOF\n", "izin.pdf").code == "pdf_broken"


def test_it_refuses_a_pdf_header_on_anything_else():
    assert refusal(b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n", "izin.pdf").code == "pdf_broken"


def test_it_refuses_an_encrypted_pdf_and_says_how_to_fix_it():
    error = refusal(encrypted_pdf_bytes(), "izin.pdf")
    assert error.code == "pdf_encrypted"
    assert "kata sandi" in error.message and "simpan ulang tanpa kata sandi" in error.message


def test_it_refuses_a_pdf_locked_only_by_its_owner_password_too():
    assert refusal(encrypted_pdf_bytes(user_password=""), "izin.pdf").code == "pdf_encrypted"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_it_refuses_a_cut_off_image(fmt):
    data = image_bytes(fmt, size=(400, 300))
    for cut in (data[: len(data) // 2], data[:-2]):
        error = refusal(cut, f"foto.{fmt.lower()}")
        assert error.code == f"{fmt.lower()}_broken"
        assert "tidak utuh" in error.message or "bukan gambar" in error.message


def test_it_refuses_an_image_bigger_than_the_pixel_limit():
    policy = UploadPolicy(max_pixels=10_000)
    error = refusal(image_bytes("PNG", size=(200, 100)), "denah.png", policy)
    assert error.code == "image_too_large"
    assert "200 \u00d7 100" in error.message


def test_it_refuses_an_empty_file():
    error = refusal(b"", "izin.pdf")
    assert error.code == "empty"
    assert "kosong" in error.message


def test_it_refuses_a_file_over_the_cap_and_names_both_sizes():
    policy = UploadPolicy(max_bytes=1 * MB)
    data = pdf_bytes() + b"%" * (2 * MB)
    error = refusal(data, "izin.pdf", policy)
    assert error.code == "too_large"
    assert "melebihi batas 1 MB" in error.message and "2 MB" in error.message


def test_the_default_cap_is_five_megabytes():
    assert DEFAULT_POLICY.max_bytes == 5 * MB
    assert DEFAULT_POLICY.describe() == "PDF, JPEG atau PNG, paling besar 5 MB."


def test_it_refuses_csv_that_is_not_utf8_or_has_binary_bytes():
    assert refusal("kode;nama\n1;Dinas Pekerjaan Umum \u00e9\n".encode("latin-1"), "unit.csv", SPREADSHEETS).code in {
        "csv_broken",
        "unknown_kind",
    }
    assert refusal(b"kode,nama\n1,\x00\x00\x00\n", "unit.csv", SPREADSHEETS).code in {"csv_broken", "unknown_kind"}


def test_it_refuses_text_where_documents_are_taken():
    error = refusal(b"ini bukan dokumen", "surat.pdf")
    assert "teks biasa" in error.message


def test_sizes_read_as_people_say_them():
    assert [human_size(n) for n in (512, 2048, 5 * MB, 1536 * 1024)] == ["512 B", "2 KB", "5 MB", "1,5 MB"]


def test_a_policy_refuses_kinds_it_does_not_know():
    with pytest.raises(ValueError):
        UploadPolicy(kinds=frozenset({"docx"}))


def test_it_refuses_a_decompression_bomb_before_decoding_it():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # a few KB on disk, 144 megapixels once decoded
    assert len(out.getvalue()) < 100_000
    assert refusal(out.getvalue(), "denah.png").code == "image_too_large"
