"""Acting on a permit file through the back-office pages: the verification checklist, return for
correction, inspection with photos, payment, approval, signing, revocation; rejection; first in, first
out with a reason code; segregation of duties; reassignment; the audited NIK reveal."""

import pytest
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.workflow.models import AssignmentLog, Transition
from balai.core.workflow.services import instance_assign
from balai.permits import selectors, services
from balai.permits.models import CorrectionRequest
from balai.permits.selectors_office import verification_checklist
from balai.permits.tests.conftest import pay, png
from balai.testing.clients import login
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db


def url(office, name, app):
    return reverse(f"permits:{name}", kwargs={"tenant": office.tenant.slug, "pk": app.pk})


def state(app):
    app.refresh_from_db()
    app.workflow.refresh_from_db()
    return app.workflow.state


def checklist(app, **marks):
    """POST data of the verification checklist: every row OK unless marked ("document__ktp": "fix")."""
    data = {}
    for row in verification_checklist(application=app):
        data[f"check_{row.key}"] = marks.get(row.key, "ok")
    return data


def submitted(office, draft, code="penelitian"):
    app = draft(code=code)
    services.application_submit(application=app, actor=office.citizen)
    return app


def test_it_takes_a_billboard_through_the_pages_to_a_signed_then_revoked_permit(
    office, draft, moment, pdf_engine, client, django_capture_on_commit_callbacks
):
    app = submitted(office, draft, "reklame")
    login(client, office.verifier)
    page = client.get(url(office, "office_detail", app)).content.decode()
    assert "Daftar periksa verifikasi" in page and "Naskah/judul reklame" in page and "KTP pemohon" in page

    # Return for correction: the items come from the rows marked "needs correction".
    data = {**checklist(app, document__ktp="fix"), "note_document__ktp": "Foto KTP buram.", "note": "Perbaiki KTP.", "decision": "return"}
    response = client.post(url(office, "office_verify", app), data)
    assert response.status_code == 303
    assert state(app) == "returned"
    correction = CorrectionRequest.objects.get(application=app)
    assert correction.items == [{"kind": "document", "code": "ktp", "label": "KTP pemohon", "note": "Foto KTP buram."}]

    services.application_attach_document(application=app, requirement_code="ktp", upload=png("ktp.png"), actor=office.citizen)
    services.application_resubmit(application=app, actor=office.citizen)

    # "Verify" needs every row OK.
    response = client.post(url(office, "office_verify", app), {**checklist(app, field__judul=""), "decision": "verify"})
    assert response.status_code == 400
    assert "semua baris daftar periksa" in response.content.decode()
    assert state(app) == "verification"
    response = client.post(url(office, "office_verify", app), {**checklist(app), "decision": "verify"})
    assert response.status_code == 303
    assert state(app) == "inspection"  # 15 m² > 10 m²: the type's rule

    login(client, office.inspector)
    response = client.post(url(office, "office_inspect", app), {"report": "Papan sesuai desain, konstruksi aman.", "photos": [png("a.png"), png("b.png")]})
    assert response.status_code == 303
    assert state(app) == "awaiting_payment"
    (inspection,) = selectors.inspections_of(application=app)
    assert inspection.photos.count() == 2

    app.refresh_from_db()
    pay(app.bill, django_capture_on_commit_callbacks)
    assert state(app) == "approval"

    login(client, office.approver)
    assert client.post(url(office, "office_approve", app), {}).status_code == 303
    assert state(app) == "signing"
    login(client, office.signer)
    assert client.post(url(office, "office_sign", app), {}).status_code == 303
    assert state(app) == "issued"
    document = app.permit_document
    assert document is not None and document.status == "valid"

    login(client, office.approver)
    response = client.post(url(office, "office_revoke", app), {"reason": ""})
    assert response.status_code == 400
    response = client.post(url(office, "office_revoke", app), {"reason": "Papan melebihi ukuran izin."})
    assert response.status_code == 303
    assert state(app) == "revoked"
    page = client.get(f"/verify/{document.code}/").content.decode()
    assert "Dicabut" in page and "Papan melebihi ukuran izin." in page


def test_an_inspection_photo_must_be_an_image(office, draft, client):
    from balai.permits.tests.conftest import pdf

    app = submitted(office, draft, "reklame")
    services.application_verify(application=app, actor=office.verifier)
    login(client, office.inspector)
    response = client.post(url(office, "office_inspect", app), {"report": "Papan sesuai desain.", "photos": [pdf("foto.pdf")]})
    assert response.status_code == 400
    assert state(app) == "inspection"


def test_the_technical_recommendation_needs_a_comment(office, draft, client, django_capture_on_commit_callbacks):
    from balai.permits.tests.conftest import pdf

    form = {"alamat": "Jl. Ahmad Yani 1", "fungsi": "usaha", "jenis": "baru", "luas_lantai": "100", "jumlah_lantai": "2", "indeks": "1"}
    permit_type = office.types["pbg"]
    version = permit_type.current_version
    form = {k: v for k, v in form.items() if version.field(k)}
    for spec in version.form_fields:
        if spec["code"] not in form:
            form[spec["code"]] = spec["choices"][0]["value"] if spec["type"] == "choice" else "1"
    app = services.application_create_draft(tenant=office.tenant, permit_type=permit_type, applicant=office.citizen, form_data=form, actor=office.citizen)
    for spec in version.documents:
        if spec["mandatory"]:
            services.application_attach_document(application=app, requirement_code=spec["code"], upload=pdf(), actor=office.citizen)
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    services.application_record_inspection(application=app, report="Bangunan sesuai gambar.", actor=office.inspector)
    assert state(app) == "technical_recommendation"
    login(client, office.inspector)
    page = client.get(url(office, "office_detail", app)).content.decode()
    assert "Rekomendasi teknis" in page
    assert client.post(url(office, "office_recommend", app), {"recommendation": ""}).status_code == 400
    response = client.post(url(office, "office_recommend", app), {"recommendation": "Layak, dengan garis sempadan 5 m."})
    assert response.status_code == 303
    assert state(app) == "awaiting_payment"


def test_a_rejection_needs_a_reason(office, draft, client):
    app = submitted(office, draft)
    login(client, office.verifier)
    response = client.post(url(office, "office_reject", app), {"reason": ""})
    assert response.status_code == 400 and state(app) == "verification"
    response = client.post(url(office, "office_reject", app), {"reason": "Lembaga tidak terdaftar."})
    assert response.status_code == 303 and state(app) == "rejected"
    assert Transition.objects.filter(instance=app.workflow, action="reject", comment="Lembaga tidak terdaftar.").exists()


def test_taking_a_later_file_first_needs_a_reason_code_which_is_logged(office, draft, moment, client):
    moment.set(2026, 3, 10, 9, 0)
    earlier = submitted(office, draft)
    moment.set(2026, 3, 10, 11, 0)
    later = submitted(office, draft)
    login(client, office.verifier)
    page = client.get(url(office, "office_detail", later)).content.decode()
    assert "Kode alasan mendahulukan berkas ini" in page
    assert "Kode alasan" not in client.get(url(office, "office_detail", earlier)).content.decode()

    response = client.post(url(office, "office_verify", later), {**checklist(later), "decision": "verify"})
    assert response.status_code == 400
    assert "lebih awal" in response.content.decode()
    assert state(later) == "verification"

    response = client.post(
        url(office, "office_verify", later), {**checklist(later), "decision": "verify", "reason_code": "permintaan_pimpinan_tertulis"}
    )
    assert response.status_code == 303
    assert Transition.objects.get(instance=later.workflow, action="verify").reason_code == "permintaan_pimpinan_tertulis"

    response = client.post(url(office, "office_verify", earlier), {**checklist(earlier), "decision": "verify", "reason_code": "bukan_kode"})
    assert response.status_code == 400  # only the listed codes


def test_whoever_verified_a_file_cannot_approve_it(office, draft, client):
    dual = make_person("Dwi Rangkap", tenant=office.tenant, roles=["permits.verifier", "permits.approver", "core.officer"])
    app = submitted(office, draft)
    instance_assign(instance=app.workflow, assignee=dual, actor=office.verifier, reason="Cuti")
    services.application_verify(application=app, actor=dual)
    assert state(app) == "approval"  # no fee: straight on to approval
    instance_assign(instance=app.workflow, assignee=dual, actor=dual, reason="Saya ambil")

    login(client, dual)
    page = client.get(url(office, "office_detail", app)).content.decode()
    assert "pemisahan tugas" in page
    assert 'disabled aria-describedby="why-approve"' in page

    response = client.post(url(office, "office_approve", app), {})
    assert response.status_code == 400
    assert "pemisahan tugas" in response.content.decode()
    assert state(app) == "approval"
    refusal = AuditEntry.objects.filter(tenant=office.tenant, action="workflow.transition_refused").last()
    assert refusal.actor_id == dual.pk and refusal.data["reason"] == "separation"


def test_reassignment_needs_a_reason_and_automatic_assignment_balances(office, draft, client):
    second = make_person("Vivi Verifikator", tenant=office.tenant, roles=["permits.verifier", "core.officer"])
    app = submitted(office, draft)
    assert app.workflow.assignee == office.verifier
    login(client, office.verifier)
    response = client.post(url(office, "office_assign", app), {"assignee": second.pk, "reason": ""})
    assert response.status_code == 400
    assert "Tulis alasan penugasan ulang" in response.content.decode()
    response = client.post(url(office, "office_assign", app), {"assignee": second.pk, "reason": "Saya dinas luar"})
    assert response.status_code == 303
    app.workflow.refresh_from_db()
    assert app.workflow.assignee == second
    assert AssignmentLog.objects.filter(instance=app.workflow, to_user=second, reason="Saya dinas luar").exists()

    # Both verifiers hold one file now; the second has it. Another file for the first one to balance.
    other = submitted(office, draft)
    other.workflow.refresh_from_db()
    login(client, second)
    response = client.post(url(office, "office_assign", app), {"auto": "1"})
    assert response.status_code == 303
    app.workflow.refresh_from_db()
    assert app.workflow.assignee in (office.verifier, second)


def test_the_nik_reveal_is_an_audited_personal_data_read(office, draft, client):
    office.citizen.nik = "3673011708900003"
    office.citizen.save(update_fields=["nik"])
    app = submitted(office, draft)
    login(client, office.verifier)
    page = client.get(url(office, "office_detail", app)).content.decode()
    assert "3673011708900003" not in page and "3673********0003" in page
    response = client.post(url(office, "office_nik", app))
    assert response.status_code == 200
    assert "3673011708900003" in response.content.decode()
    entry = AuditEntry.objects.filter(tenant=office.tenant, action="privacy.personal_data_read").last()
    assert entry.actor_id == office.verifier.pk and entry.data["fields"] == ["applicant_nik"]
    assert "3673011708900003" not in str(entry.data)


def test_an_officer_without_a_permits_role_cannot_reveal_the_nik_or_act(office, draft, client, world):
    app = submitted(office, draft)
    login(client, world.serang.people["officer"])
    assert client.get(url(office, "office_detail", app)).status_code == 403  # not even to read (test_office_access)
    assert client.post(url(office, "office_nik", app)).status_code == 403
    assert client.post(url(office, "office_verify", app), checklist(app)).status_code == 403
