"""Storing files: what is kept, where, under which name, and that nothing is left half-saved."""

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from balai.core.audit.models import AuditEntry
from balai.core.files import rules, services
from balai.core.files.kinds import PDF_ONLY, UploadRefused
from balai.core.files.models import StoredFile
from balai.core.files.selectors import stored_file_open, stored_files_by_sha256
from balai.core.files.storage import file_storage

from .factories import image_bytes, pdf_bytes, upload


def blobs(root) -> list:
    return sorted(p for p in (root / "files").rglob("*") if p.is_file()) if (root / "files").exists() else []


@pytest.fixture
def media(settings):
    return settings.MEDIA_ROOT


def test_it_stores_an_upload_with_its_real_kind_size_and_sha256(world, media):
    data = pdf_bytes()
    citizen = world.serang.people["citizen"]
    stored = services.file_store(
        tenant=world.serang.tenant, upload=upload(data, "Surat Pernyataan.pdf", "image/png"),
        purpose="permits.requirement", actor=citizen,
    )
    stored.refresh_from_db()
    assert (stored.kind, stored.content_type, stored.size) == ("pdf", "application/pdf", len(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.uploaded_by == citizen and stored.original_name == "Surat Pernyataan.pdf"
    with stored_file_open(stored) as handle:
        assert handle.read() == data
    assert stored_files_by_sha256(tenant=world.serang.tenant, sha256=stored.sha256) == [stored]


def test_the_blob_path_holds_no_part_of_the_persons_file_name(world, media):
    stored = services.file_store(
        tenant=world.serang.tenant, upload=upload(pdf_bytes(), "../../etc/passwd KTP Citra.pdf"),
        purpose="permits.requirement", actor=world.serang.people["citizen"],
    )
    assert re.fullmatch(rf"kota-serang/\d{{4}}/\d{{2}}/{stored.public_id.hex}\.pdf", stored.storage_key)
    [blob] = blobs(media)
    assert blob.relative_to(media / "files").as_posix() == stored.storage_key
    assert "passwd" not in blob.as_posix() and "Citra" not in blob.as_posix()
    assert stored.original_name == "passwd KTP Citra.pdf"


def test_a_png_named_pdf_is_kept_as_png_with_the_right_extension(world, media):
    stored = services.file_store(
        tenant=world.serang.tenant, upload=upload(image_bytes("PNG"), "denah.pdf"),
        purpose="permits.requirement", actor=world.serang.people["citizen"],
    )
    assert (stored.kind, stored.content_type) == ("png", "image/png")
    assert stored.storage_key.endswith(".png") and stored.download_name == "denah.png"


def test_a_refused_upload_leaves_nothing_behind(world, media):
    with pytest.raises(UploadRefused):
        services.file_store(
            tenant=world.serang.tenant, upload=upload(image_bytes("PNG"), "surat.pdf"),
            purpose="permits.requirement", actor=world.serang.people["citizen"], policy=PDF_ONLY,
        )
    assert not StoredFile.objects.exists() and blobs(media) == []


def test_nothing_is_half_saved_when_the_database_write_fails(world, media, monkeypatch):
    def broken_create(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(StoredFile.objects, "create", broken_create)
    with pytest.raises(DatabaseError):
        services.file_store(
            tenant=world.serang.tenant, upload=upload(pdf_bytes(), "izin.pdf"),
            purpose="permits.requirement", actor=world.serang.people["citizen"],
        )
    assert blobs(media) == []
    assert not StoredFile.objects.exists()


def test_nothing_is_half_saved_when_the_audit_entry_fails(world, media, monkeypatch):
    def broken_audit(**kwargs):
        raise ValueError("audit refused")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(ValueError):
        services.file_store(
            tenant=world.serang.tenant, upload=pdf_bytes(), name="izin.pdf",
            purpose="permits.requirement", actor=world.serang.people["citizen"],
        )
    assert blobs(media) == [] and not StoredFile.objects.exists()


def test_storing_is_audited_with_the_hash(world, media):
    stored = services.file_store(
        tenant=world.serang.tenant, upload=pdf_bytes(), name="izin.pdf",
        purpose="permits.requirement", actor=world.serang.people["citizen"],
    )
    entry = AuditEntry.objects.get(tenant=world.serang.tenant, action="files.store")
    assert entry.object_id == str(stored.public_id)
    assert entry.data["sha256"] == stored.sha256 and entry.data["purpose"] == "permits.requirement"


def test_generated_files_are_stored_and_checked_too(world, media):
    stored = services.file_store_bytes(
        tenant=world.serang.tenant, data=pdf_bytes("Izin"), name="izin-503-0012.pdf",
        purpose="documents.issued", kind="pdf", actor=None,
    )
    assert stored.kind == "pdf" and stored.uploaded_by is None
    with pytest.raises(UploadRefused):
        services.file_store_bytes(
            tenant=world.serang.tenant, data=b"<html></html>", name="izin.pdf",
            purpose="documents.issued", kind="pdf", actor=None,
        )


def test_a_purpose_must_be_a_dotted_code(world, media):
    with pytest.raises(ValueError):
        services.file_store(tenant=world.serang.tenant, upload=pdf_bytes(), name="a.pdf", purpose="Syarat", actor=None)


@pytest.mark.django_db(transaction=True)
def test_deleting_removes_the_row_and_then_the_blob(media):
    from balai.testing.personas import build_world

    world = build_world()
    stored = services.file_store(
        tenant=world.serang.tenant, upload=pdf_bytes(), name="izin.pdf",
        purpose="permits.requirement", actor=world.serang.people["citizen"],
    )
    services.file_delete(tenant=world.serang.tenant, stored_file=stored, actor=world.serang.people["officer"])
    assert not StoredFile.objects.exists() and blobs(media) == []
    assert AuditEntry.objects.filter(action="files.delete").count() == 1


def test_files_of_issued_documents_are_never_deleted(world, media):
    stored = services.file_store_bytes(
        tenant=world.serang.tenant, data=pdf_bytes(), name="izin.pdf", purpose="documents.issued", kind="pdf", actor=None
    )
    with pytest.raises(ValidationError) as caught:
        services.file_delete(tenant=world.serang.tenant, stored_file=stored, actor=world.serang.people["admin"])
    assert "sudah diterbitkan" in caught.value.messages[0]
    assert StoredFile.objects.filter(pk=stored.pk).exists() and file_storage().exists(stored.storage_key)


def test_a_module_guard_can_protect_a_file(world, media):
    stored = services.file_store(
        tenant=world.serang.tenant, upload=pdf_bytes(), name="bukti.pdf",
        purpose="grants.evidence", actor=world.serang.people["citizen"],
    )

    def guard(f):
        return "Bukti LPJ sudah diperiksa." if f.purpose == "grants.evidence" else None

    rules.register_delete_guard(guard)
    try:
        with pytest.raises(ValidationError):
            services.file_delete(tenant=world.serang.tenant, stored_file=stored, actor=world.serang.people["admin"])
    finally:
        rules.unregister_delete_guard(guard)
    assert StoredFile.objects.filter(pk=stored.pk).exists()


def test_a_file_cannot_be_deleted_through_another_tenant(world, media):
    stored = services.file_store(
        tenant=world.serang.tenant, upload=pdf_bytes(), name="izin.pdf",
        purpose="permits.requirement", actor=world.serang.people["citizen"],
    )
    with pytest.raises(ValueError):
        services.file_delete(tenant=world.cilegon.tenant, stored_file=stored, actor=world.cilegon.people["admin"])


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("C:\\Users\\citra\\Dokumen\\KTP.pdf", "KTP.pdf"),
        ("laporan\u202efdp.exe", "laporanfdp.exe"),
        ('a<b>:"c|?*.pdf', "abc.pdf"),
        ("..", "berkas"),
        ("  surat   izin .pdf ", "surat izin .pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_file_names_are_cleaned(given, kept):
    assert services.clean_name(given) == kept
