"""Permit files and the documents they hold are for the permits staff, the inspectorate (to read) and the
applicant, also through the platform's own pages: the workflow engine's file page and inbox, the files
download route and the administrator's document pages. An officer of another service (a remuneration
employee holds "dashboard.view" too) is refused, and the refusal is on the audit chain; the administrator
still hands an open file out, without seeing its history or the officers' notes. The public QR page keeps
saying whether a permit is valid, without offering the PDF."""

import copy

import pytest
from django.test import Client
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.workflow import services as workflow_services
from balai.permits import services
from balai.permits.tests.conftest import pay
from balai.testing.clients import login
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db

NOTE = "Surat rekomendasi kampus belum bercap, mohon diunggah ulang."


@pytest.fixture
def employee(office):
    """An officer of another service: he reaches the dashboard but not permit files."""
    return make_person("Rina Pegawai", tenant=office.tenant, roles=["remuneration.employee"])


@pytest.fixture
def in_verification(office, draft, moment):
    """A research permit file back in verification after the verifier returned it with a note."""
    app = draft("penelitian")
    services.application_submit(application=app, actor=office.citizen)
    app.refresh_from_db()
    workflow_services.transition(instance=app.workflow, action="return", actor=office.verifier, comment=NOTE)
    services.application_resubmit(application=app, actor=office.citizen)
    app.refresh_from_db()
    return app


@pytest.fixture
def issued(office, draft, moment, pdf_engine):
    app = draft("penelitian")
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    services.application_approve(application=app, actor=office.approver)
    services.application_sign(application=app, actor=office.signer)
    app.refresh_from_db()
    return app


def as_(user) -> Client:
    client = Client()
    login(client, user)
    return client


def core_page(app):
    return reverse("workflow:instance_detail", kwargs={"tenant": app.tenant.slug, "pk": app.workflow_id})


def download(tenant, stored_file):
    return reverse("files:download", kwargs={"tenant": tenant.slug, "public_id": stored_file.public_id})


def audited(action, **filters):
    return AuditEntry.objects.filter(action=action, **filters)


# --- the workflow engine's file page and inbox -------------------------------------------------------


def test_an_officer_of_another_service_is_refused_the_files_core_page_and_it_is_audited(
    office, in_verification, employee
):
    response = as_(employee).get(core_page(in_verification))
    assert response.status_code == 403
    body = response.content.decode()
    assert in_verification.registration_number not in body and NOTE not in body
    entry = audited("workflow.instance_view_refused", tenant=office.tenant).get()
    assert entry.actor_id == employee.pk and entry.object_id == str(in_verification.workflow_id)


def test_the_verifier_and_the_inspectorate_open_the_files_core_page(office, in_verification, world):
    for person in (office.verifier, world.serang.people["inspector"]):
        response = as_(person).get(core_page(in_verification))
        assert response.status_code == 200
        body = response.content.decode()
        assert in_verification.registration_number in body and NOTE in body
    assert not audited("workflow.instance_view_refused").exists()


def test_the_administrator_reassigns_the_file_without_seeing_its_history_or_notes(
    office, in_verification, world
):
    admin = as_(world.serang.people["admin"])
    body = admin.get(core_page(in_verification)).content.decode()
    assert "Simpan penugasan" in body
    assert in_verification.registration_number not in body and NOTE not in body and "Riwayat" not in body
    other = make_person("Vera Verifikator", tenant=office.tenant, roles=["permits.verifier", "core.officer"])
    assign = reverse(
        "workflow:instance_assign", kwargs={"tenant": office.tenant.slug, "pk": in_verification.workflow_id}
    )
    response = admin.post(assign, {"assignee": other.pk, "reason": "Vina cuti melahirkan"})
    assert response.status_code == 303
    in_verification.workflow.refresh_from_db()
    assert in_verification.workflow.assignee == other


def test_the_inbox_does_not_show_permit_files_to_an_officer_a_tenant_override_let_act(
    office, draft, moment, world
):
    from balai.core.workflow.definitions import registered_workflow

    code = office.types["penelitian"].workflow_code
    data = copy.deepcopy(registered_workflow(code).data)
    for action in data["actions"]:
        if action["code"] == "verify":
            action["roles"] = [*action["roles"], "core.officer"]  # a careless override
    workflow_services.definition_override(
        tenant=office.tenant, code=code, data=data, actor=world.serang.people["admin"]
    )
    app = draft("penelitian")
    services.application_submit(application=app, actor=office.citizen)
    app.refresh_from_db()
    app.workflow.assignee = None
    app.workflow.save(update_fields=["assignee"])
    inbox = reverse("workflow:inbox", kwargs={"tenant": office.tenant.slug})
    budi = world.serang.people["officer"]  # core.officer only
    assert app.registration_number not in as_(budi).get(inbox).content.decode()
    assert app.registration_number in as_(office.verifier).get(inbox).content.decode()


# --- the signed permit and the receipt ---------------------------------------------------------------


def test_the_applicant_the_permits_staff_and_the_inspectorate_download_the_signed_permit(
    office, issued, world
):
    url = download(office.tenant, issued.permit_document.pdf_file)
    for person in (office.citizen, office.verifier, office.signer, world.serang.people["inspector"]):
        response = as_(person).get(url)
        assert response.status_code == 200, person
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert not audited("files.download_refused").exists()


def test_others_are_refused_the_signed_permit_and_each_refusal_is_audited(office, issued, world, employee):
    url = download(office.tenant, issued.permit_document.pdf_file)
    neighbour = make_person("Dedi Warga", tenant=office.tenant, roles=["core.citizen"])
    for person in (employee, neighbour, world.serang.people["admin"], world.cilegon.people["officer"]):
        assert as_(person).get(url).status_code == 404, person
    refused = audited("files.download_refused", tenant=office.tenant)
    assert set(refused.values_list("actor_id", flat=True)) == {
        employee.pk,
        neighbour.pk,
        world.serang.people["admin"].pk,
        world.cilegon.people["officer"].pk,
    }
    assert all(e.data == {"purpose": "documents.permits.permit"} for e in refused)
    # At his own tenant's address, the other tenant's officer finds nothing at all.
    foreign = download(world.cilegon.tenant, issued.permit_document.pdf_file)
    assert as_(world.cilegon.people["officer"]).get(foreign).status_code == 404


def test_the_administrators_document_page_does_not_hand_out_a_permit(office, issued, world):
    admin = as_(world.serang.people["admin"])
    document = issued.permit_document
    detail = reverse("documents:document_detail", kwargs={"tenant": office.tenant.slug, "pk": document.pk})
    pdf = reverse("documents:document_pdf", kwargs={"tenant": office.tenant.slug, "pk": document.pk})
    page = admin.get(detail)
    assert page.status_code == 200 and pdf not in page.content.decode()
    assert admin.get(pdf).status_code == 403
    entry = audited("documents.pdf_refused", tenant=office.tenant).get()
    assert entry.actor_id == world.serang.people["admin"].pk and entry.data == {"kind": "permits.permit"}


def test_the_public_verification_page_still_says_the_permit_is_valid_without_offering_it(
    office, issued, monkeypatch
):
    from balai.core.documents import selectors as document_selectors

    document = issued.permit_document
    monkeypatch.setattr(document_selectors, "tenant_today", lambda tenant: document.valid_until)
    response = Client().get(reverse("verify:document", kwargs={"code": document.code}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sah" in body and document.number in body and document.sha256 in body
    assert str(document.pdf_file.public_id) not in body


def test_the_payment_receipt_goes_to_its_payer_and_the_permits_staff_only(
    office, draft, moment, pdf_engine, django_capture_on_commit_callbacks, employee
):
    app = draft(
        form={
            "judul": "Warung Citra",
            "alamat": "Jl. Veteran 1",
            "lebar": "2",
            "tinggi": "2",
            "lama_hari": "30",
            "tarif_lokasi": "A",
        }
    )
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    app.refresh_from_db()
    pay(app.bill, django_capture_on_commit_callbacks)
    app.refresh_from_db()
    url = download(office.tenant, app.receipt_document.pdf_file)
    assert as_(office.citizen).get(url).status_code == 200
    assert as_(office.verifier).get(url).status_code == 200
    assert as_(employee).get(url).status_code == 404
    assert audited("files.download_refused", actor_id=employee.pk).exists()


# --- the permits back office -------------------------------------------------------------------------


def test_a_refused_back_office_page_is_audited(office, in_verification, employee):
    detail = reverse("permits:office_detail", kwargs={"tenant": office.tenant.slug, "pk": in_verification.pk})
    assert as_(employee).get(detail).status_code == 403
    entry = audited("permits.office_refused", tenant=office.tenant).get()
    assert entry.actor_id == employee.pk and entry.object_id == str(in_verification.pk)
    assert entry.data == {"page": "office_detail"}
