"""A permit is revoked through the permits flow (reason, the file's state, the holder told, tracking), never
straight from the documents administrator's pages: there the administrator finds a link to the file's
revocation panel, and a revoke POST is refused and audited."""

import pytest
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.permits import services
from balai.testing.clients import login

pytestmark = pytest.mark.django_db


def issued(office, draft):
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    services.application_approve(application=app, actor=office.approver)
    services.application_sign(application=app, actor=office.signer)
    app.refresh_from_db()
    return app


def document_url(office, name, pk):
    return reverse(f"documents:{name}", kwargs={"tenant": office.tenant.slug, "pk": pk})


def test_the_documents_admin_page_sends_the_administrator_to_the_permit_file(
    office, draft, world, client, pdf_engine
):
    app = issued(office, draft)
    document = app.permit_document
    login(client, world.serang.people["admin"])
    page = client.get(document_url(office, "document_detail", document.pk)).content.decode()
    file_page = reverse("permits:office_detail", kwargs={"tenant": office.tenant.slug, "pk": app.pk})
    assert f'href="{file_page}#revoke-title"' in page
    assert "Cabut dokumen ini" not in page

    response = client.post(
        document_url(office, "document_revoke", document.pk), {"reason": "Dicabut dari menu dokumen."}
    )
    assert response.status_code == 409
    assert "hanya dapat dicabut melalui alur layanan itu" in response.content.decode()
    document.refresh_from_db()
    app.workflow.refresh_from_db()
    assert document.status == "valid" and app.workflow.state == "issued"
    assert AuditEntry.objects.filter(
        tenant=office.tenant, action="documents.revoke_refused", object_id=str(document.pk)
    ).exists()


def test_the_permits_flow_revokes_the_permit_and_its_document(office, draft, pdf_engine):
    app = issued(office, draft)
    services.application_revoke(
        application=app, reason="Penelitian dibatalkan lembaganya.", actor=office.approver
    )
    app.refresh_from_db()
    assert app.workflow.state == "revoked"
    assert app.permit_document.status == "revoked"
    assert app.permit_document.revocation_reason == "Penelitian dibatalkan lembaganya."
