"""The receipt of a paid retribution is a document too: numbered, signed, with its QR to /verify/, issued
once when the payment arrives, downloadable by the applicant (page and API) and by the office."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from balai.core.documents import services as document_services
from balai.permits import services
from balai.permits.models import Application
from balai.permits.tests.conftest import pay
from balai.testing.clients import login
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db

SMALL_BOARD = {"judul": "Toko Citra", "alamat": "Jl. Merdeka 1", "lebar": "2", "tinggi": "2", "lama_hari": "10", "tarif_lokasi": "B"}


def awaiting_payment(office, draft):
    app = draft(form=SMALL_BOARD)  # 4 m²: no inspection; 25% × 2 × 2 × 10 × Rp 75.000 = Rp 750.000
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    app.refresh_from_db()
    assert app.workflow.state == "awaiting_payment" and app.bill.amount == 750_000
    return app


def test_paying_issues_one_signed_receipt_the_applicant_downloads(
    office, draft, pdf_engine, client, citizen_api, django_capture_on_commit_callbacks
):
    app = awaiting_payment(office, draft)
    with pytest.raises(ValidationError):
        services.application_receipt_issue(application=app)  # nothing paid yet
    assert citizen_api.get("application_receipt", pk=app.pk).json()["error"]["code"] == "receipt_not_issued"

    pay(app.bill, django_capture_on_commit_callbacks)
    app = Application.objects.get(pk=app.pk)
    assert app.workflow.state == "approval"
    receipt = app.receipt_document
    assert receipt is not None and receipt.kind == "permits.receipt" and receipt.number.startswith("974/")
    assert receipt.status == "valid" and receipt.recipient_name == app.applicant_name
    # Once per file, however often it is asked for.
    assert services.application_receipt_issue(application=app).pk == receipt.pk

    page = client.get(f"/verify/{receipt.code}/").content.decode()
    assert "Bukti Pembayaran Retribusi" in page and receipt.number in page and "Sah" in page

    detail = citizen_api.get("application_detail", pk=app.pk).json()
    assert detail["receipt"]["number"] == receipt.number
    assert detail["receipt"]["verification_url"].endswith(f"/verify/{receipt.code}/")
    download = citizen_api.get("application_receipt", pk=app.pk)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    file_url = reverse("files:download", kwargs={"tenant": office.tenant.slug, "public_id": receipt.pdf_file.public_id})
    login(client, office.citizen)
    assert client.get(file_url).status_code == 200
    own_page = client.get(reverse("permits:applicant_detail", kwargs={"tenant": office.tenant.slug, "pk": app.pk}))
    assert f"Unduh bukti pembayaran {receipt.number}" in own_page.content.decode() and file_url in own_page.content.decode()
    stranger = make_person("Orang Lain", tenant=office.tenant, roles=["core.citizen"])
    login(client, stranger)
    assert client.get(file_url).status_code == 404

    login(client, office.approver)
    office_page = client.get(reverse("permits:office_detail", kwargs={"tenant": office.tenant.slug, "pk": app.pk}))
    assert f"Bukti pembayaran {receipt.number}" in office_page.content.decode()


def test_a_receipt_that_cannot_be_issued_does_not_hold_the_paid_file_back(
    office, draft, pdf_engine, monkeypatch, django_capture_on_commit_callbacks
):
    app = awaiting_payment(office, draft)

    def broken(**kwargs):
        raise OSError("PDF engine down")

    with monkeypatch.context() as patched:
        patched.setattr(document_services, "document_issue", broken)
        pay(app.bill, django_capture_on_commit_callbacks)
    app = Application.objects.get(pk=app.pk)
    assert app.workflow.state == "approval" and app.receipt_document is None

    # Issued later, by the same service.
    receipt = services.application_receipt_issue(application=app)
    app.refresh_from_db()
    assert app.receipt_document == receipt and receipt.kind == "permits.receipt"
