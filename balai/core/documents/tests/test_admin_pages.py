import shutil
import subprocess

import pytest
from django.urls import reverse

from balai.core.documents.models import DocumentTemplate, IssuedDocument
from balai.core.documents.selectors import document_pdf_bytes
from balai.testing.clients import login


def _pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    (tmp_path / "d.pdf").write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True, timeout=60
    ).stdout


@pytest.fixture
def admin_client(client, world):
    login(client, world.serang.people["admin"])
    return client


def _url(name, **kwargs):
    return reverse(f"documents:{name}", kwargs={"tenant": "kota-serang", **kwargs})


@pytest.mark.django_db
def test_editing_a_template_makes_a_new_version_and_issued_documents_keep_theirs(
    admin_client, issue, tmp_path
):
    first = issue()
    response = admin_client.post(
        _url("template_edit", pk=first.template.pk),
        {
            "name": "Izin Usaha Mikro",
            "body": "<h1>SURAT IZIN {{ number }}</h1><p>Untuk {{ recipient_name }}</p>",
        },
    )
    assert response.status_code == 302
    assert DocumentTemplate.objects.filter(kind="permits.permit").count() == 2
    second = issue()
    assert (first.template.version, second.template.version) == (1, 2)
    assert "SURAT IZIN" in _pdf_text(document_pdf_bytes(second), tmp_path)
    assert "SURAT IZIN" not in _pdf_text(document_pdf_bytes(first), tmp_path)


@pytest.mark.django_db
def test_a_template_with_a_forbidden_tag_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        _url("template_create"), {"kind": "permits.permit", "name": "Izin", "body": "{% load static %}"}
    )
    assert response.status_code == 400
    assert "tidak boleh dipakai" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


@pytest.mark.django_db
def test_the_letterhead_the_admin_writes_heads_the_next_document(admin_client, issue, tmp_path):
    page = admin_client.get(_url("letterhead_edit")).content.decode()
    assert "PEMERINTAH {{ pemda|upper }}" in page  # the default, generated from the tenant
    response = admin_client.post(
        _url("letterhead_edit"),
        {"html": "<h1>KOP BARU {{ pemda|upper }}</h1><p>{{ alamat }}</p>", "css": "h1 { color: #000; }"},
    )
    assert response.status_code == 302
    assert "KOP BARU KOTA SERANG" in _pdf_text(document_pdf_bytes(issue()), tmp_path)


@pytest.mark.django_db
def test_the_admin_revokes_a_document_from_its_page(admin_client, issue):
    doc = issue()
    assert admin_client.post(_url("document_revoke", pk=doc.pk), {"reason": ""}).status_code == 400
    response = admin_client.post(
        _url("document_revoke", pk=doc.pk), {"reason": "Diterbitkan untuk orang yang salah."}
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == IssuedDocument.Status.REVOKED and doc.revoked_by.full_name == "Ayu Lestari"
    assert "Dicabut" in admin_client.get(_url("document_detail", pk=doc.pk)).content.decode()


@pytest.mark.django_db
def test_the_admin_downloads_the_signed_pdf(admin_client, issue):
    # A kind no module keeps to itself (a permit is its holder's, its office's and the inspectorate's).
    doc = issue(kind="core.letter", template_context={"body": "Surat ini untuk uji unduhan."})
    response = admin_client.get(_url("document_pdf", pk=doc.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document_pdf_bytes(doc)


@pytest.mark.django_db
def test_the_admin_cannot_download_a_pdf_its_module_keeps_from_him_and_the_refusal_is_audited(
    admin_client, issue, monkeypatch
):
    from balai.core.audit.models import AuditEntry
    from balai.core.files import rules

    doc = issue(kind="core.letter", template_context={"body": "Surat ini untuk uji unduhan."})
    monkeypatch.setitem(
        rules._download_rules, "documents.core.letter", lambda user, tenant, stored_file: False
    )
    page = admin_client.get(_url("document_detail", pk=doc.pk)).content.decode()
    assert _url("document_pdf", pk=doc.pk) not in page and "hanya dapat diunduh penerimanya" in page
    response = admin_client.get(_url("document_pdf", pk=doc.pk))
    assert response.status_code == 403 and "Akses ditolak" in response.content.decode()
    entry = AuditEntry.objects.get(tenant=doc.tenant, action="documents.pdf_refused")
    assert entry.object_id == str(doc.pk) and entry.data == {"kind": "core.letter"}


@pytest.mark.django_db
def test_issuing_is_audited(issue):
    from balai.core.audit.models import AuditEntry

    doc = issue()
    entry = AuditEntry.objects.filter(tenant=doc.tenant, action="documents.issue").get()
    assert entry.data["number"] == doc.number and entry.data["sha256"] == doc.sha256


@pytest.mark.django_db
def test_revoking_is_audited_and_documents_are_found_by_their_subject(issue, world):
    from balai.core.audit.models import AuditEntry
    from balai.core.documents.selectors import documents_for_subject
    from balai.core.documents.services import document_revoke

    employee_like = world.serang.people["citizen"]  # any model instance can be the subject
    doc = issue(subject=employee_like)
    issue()
    assert list(documents_for_subject(tenant=world.serang.tenant, subject=employee_like)) == [doc]
    assert not documents_for_subject(tenant=world.cilegon.tenant, subject=employee_like).exists()
    document_revoke(document=doc, reason="Data pemohon keliru.", actor=world.serang.people["admin"])
    entry = AuditEntry.objects.filter(tenant=doc.tenant, action="documents.revoke").get()
    assert entry.data["reason"] == "Data pemohon keliru."


@pytest.fixture
def kept_by_its_module(monkeypatch):
    """A kind whose issuing module revokes its documents through its own flow (as permits does)."""
    from balai.core.documents import kinds

    monkeypatch.setitem(
        kinds._KINDS,
        "core.kept",
        kinds.DocumentKind(
            code="core.kept",
            name="Surat layanan",
            revoke_via=lambda document: f"/layanan/{document.pk}/cabut/",
        ),
    )


@pytest.mark.django_db
def test_a_document_its_module_revokes_shows_a_link_there_and_the_revoke_post_is_refused_and_audited(
    admin_client, issue, kept_by_its_module
):
    from balai.core.audit.models import AuditEntry

    doc = issue(kind="core.kept", template_context={"body": "Surat layanan."})
    page = admin_client.get(_url("document_detail", pk=doc.pk)).content.decode()
    assert f'href="/layanan/{doc.pk}/cabut/"' in page and "Cabut dokumen ini" not in page
    response = admin_client.post(
        _url("document_revoke", pk=doc.pk), {"reason": "Dicabut lewat jalan pintas."}
    )
    assert response.status_code == 409
    assert "hanya dapat dicabut melalui alur layanan itu" in response.content.decode()
    doc.refresh_from_db()
    assert doc.status == IssuedDocument.Status.VALID
    refusal = AuditEntry.objects.filter(tenant=doc.tenant, action="documents.revoke_refused").get()
    assert refusal.data["number"] == doc.number


@pytest.mark.django_db
def test_the_issuing_modules_own_flow_still_revokes_it(issue, world, kept_by_its_module):
    from balai.core.documents.services import RevokeElsewhere, document_revoke

    doc = issue(kind="core.kept", template_context={"body": "Surat layanan."})
    with pytest.raises(RevokeElsewhere):
        document_revoke(document=doc, reason="Tanpa alur layanan.", actor=world.serang.people["admin"])
    document_revoke(
        document=doc,
        reason="Lewat alur layanan.",
        actor=world.serang.people["officer"],
        by_issuing_module=True,
    )
    doc.refresh_from_db()
    assert doc.status == IssuedDocument.Status.REVOKED
