"""The applicant's journey through the pages, with the officers acting through the services: a draft from
the catalogue, the form, real PDF uploads, review and submission with a receipt, a correction that lets
only the asked items change, payment in the simulator, the signed permit downloaded and valid on /verify/,
then the survey, a complaint and a renewal prefilled from the permit."""

import pytest
from django.urls import reverse
from lxml import html

from balai.core.files.tests.factories import pdf_bytes, upload
from balai.permits import applicant_registry, services
from balai.permits.models import Application, Complaint, SurveyResponse
from balai.permits.tests.conftest import REKLAME_FORM, png
from balai.testing.clients import login
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db


def url(name, tenant, **kwargs):
    return reverse(f"permits:{name}", kwargs={"tenant": tenant.slug, **kwargs})


def state(app):
    app.refresh_from_db()
    return app.workflow.state if app.workflow_id else "draft"


@pytest.fixture(autouse=True)
def _registered():
    applicant_registry.register()


def shown_answers(page: str) -> dict:
    """What the form on `page` would send as it stands (filled inputs, checked options), token aside."""
    form = next(f for f in html.fromstring(page).forms if f.xpath('.//button[@name="aksi"]'))
    return {name: value for name, value in form.form_values() if name != "csrfmiddlewaretoken"}


def _upload(client, tenant, app, code, name="berkas.pdf", data=None):
    return client.post(
        url("applicant_documents", tenant, pk=app.pk),
        {"persyaratan": code, f"{code}-berkas": upload(data or pdf_bytes(name), name)},
    )


def test_a_citizen_applies_for_a_billboard_permit_and_downloads_it_signed(
    office, moment, pdf_engine, client, django_capture_on_commit_callbacks
):
    tenant, citizen = office.tenant, office.citizen
    login(client, citizen)
    moment.set(2026, 3, 16, 9, 0)

    # From the type's page, a draft.
    page = client.get(url("public_type_detail", tenant, code="reklame")).content.decode()
    assert "Ajukan permohonan" in page
    response = client.post(url("applicant_start", tenant, code="reklame"))
    app = Application.objects.get(tenant=tenant, applicant=citizen)
    assert response.status_code == 302 and response["Location"] == url("applicant_edit", tenant, pk=app.pk)

    # The form, a few questions a page: a wrong answer is refused beside its field; good answers go on
    # page by page, and the last page (the business data, left empty) goes on to the documents.
    edit = url("applicant_edit", tenant, pk=app.pk)
    response = client.post(edit, {**REKLAME_FORM, "lebar": "tiga", "aksi": "lanjut"})
    assert response.status_code == 400
    assert 'id="id_lebar-error"' in response.content.decode() and "harus berupa angka" in response.content.decode()
    response = client.post(edit, {**REKLAME_FORM, "lebar": "3", "aksi": "lanjut"})
    assert response["Location"] == url("applicant_edit_page", tenant, pk=app.pk, page=2)
    response = client.post(response["Location"], {**REKLAME_FORM, "aksi": "lanjut"})
    assert response["Location"] == url("applicant_edit_page", tenant, pk=app.pk, page=3)
    response = client.post(response["Location"], {"aksi": "lanjut"})
    assert response["Location"] == url("applicant_documents", tenant, pk=app.pk)
    app.refresh_from_db()
    assert app.form_data["lebar"] == "3" and app.form_data["tarif_lokasi"] == "A"

    # Documents: a file that is not what it claims is refused with a message beside it; real PDFs are kept.
    response = _upload(client, tenant, app, "ktp", "ktp.pdf", data=b"bukan pdf sama sekali")
    assert response.status_code == 400 and 'id="id_ktp-berkas-error"' in response.content.decode()
    review = url("applicant_review", tenant, pk=app.pk)
    page = client.get(review).content.decode()
    assert "Permohonan belum dapat diajukan" in page and "Unggah KTP pemohon." in page
    for code in ("ktp", "desain", "izin_pemilik"):
        assert _upload(client, tenant, app, code, f"{code}.pdf").status_code == 302

    # Review shows the fee; submitting gives the registration number and a receipt.
    page = client.get(review).content.decode()
    assert "Rp 14.062.500" in page and "Permohonan belum dapat diajukan" not in page
    response = client.post(review)
    assert response["Location"] == url("applicant_receipt", tenant, pk=app.pk)
    receipt = client.get(response["Location"]).content.decode()
    assert "REG-3673-2026-000001" in receipt and "Senin, 30 Maret 2026" in receipt
    assert state(app) == "verification"
    assert client.get(edit).status_code == 302  # no more editing once submitted

    # Returned: only the asked field and document can change; the clock pause is shown.
    moment.set(2026, 3, 25, 10, 0)
    services.application_return_for_correction(
        application=app,
        items=[{"kind": "field", "code": "tinggi", "note": "Tinggi menurut desain 5 m."},
               {"kind": "document", "code": "ktp", "note": "Foto KTP buram."}],
        note="Mohon perbaiki tinggi papan dan KTP.", actor=office.verifier,
    )
    correction = url("applicant_correction", tenant, pk=app.pk)
    page = client.get(correction).content.decode()
    assert 'name="tinggi"' in page and 'name="lebar"' not in page and 'name="judul"' not in page
    assert "Jam layanan berhenti sementara" in page and "Foto KTP buram." in page
    documents = client.get(url("applicant_documents", tenant, pk=app.pk)).content.decode()
    assert 'name="ktp-berkas"' in documents and 'name="desain-berkas"' not in documents
    assert _upload(client, tenant, app, "desain", "desain.pdf").status_code == 400  # not asked: refused
    # A field that was not asked is ignored even if posted.
    response = client.post(correction, {"tinggi": "5", "lebar": "9", "aksi": "simpan"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.form_data["tinggi"] == "5" and app.form_data["lebar"] == "3"
    assert _upload(client, tenant, app, "ktp", "ktp-baru.png", data=png().read()).status_code == 302
    response = client.post(correction, {"tinggi": "5", "aksi": "kirim"})
    assert response["Location"] == url("applicant_detail", tenant, pk=app.pk)
    assert state(app) == "verification"

    # Verified (15 m² goes to field inspection), inspected, then the bill.
    services.application_verify(application=app, actor=office.verifier)
    services.application_record_inspection(
        application=app, report="Papan 3 × 5 m sesuai desain.", photos=[png("lokasi.png")], actor=office.inspector
    )
    assert state(app) == "awaiting_payment"
    detail = url("applicant_detail", tenant, pk=app.pk)
    assert "Bayar retribusi" in client.get(detail).content.decode()
    page = client.get(url("applicant_pay", tenant, pk=app.pk)).content.decode()
    bill = app.bill
    assert "Rp 14.062.500" in page and bill.code in page
    simulator = reverse("pay:simulator", kwargs={"code": bill.code})
    assert f'href="{simulator}?kembali=' in page

    # The simulator's "Bayar" collects, sends the signed callback and comes back to the file.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(simulator, {"action": "pay", "kembali": detail})
    assert response["Location"] == detail
    assert state(app) == "approval"

    moment.set(2026, 4, 7, 9, 0)
    services.application_approve(application=app, actor=office.approver)
    services.application_sign(application=app, actor=office.signer)
    assert state(app) == "issued"

    # The permit: a QR, the verification link, and the signed PDF for its holder.
    page = client.get(detail).content.decode()
    document = app.permit_document
    assert document.number in page and 'src="data:image/svg+xml' in page
    assert reverse("verify:document", kwargs={"code": document.code}) in page
    download = reverse("files:download", kwargs={"tenant": tenant.slug, "public_id": document.pdf_file.public_id})
    assert download in page
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "Sah" in client.get(reverse("verify:document", kwargs={"code": document.code})).content.decode()

    # Survey once; a complaint linked to the file.
    survey = url("applicant_survey", tenant, pk=app.pk)
    assert client.post(survey, {f"u{i}": "4" for i in range(1, 9)}).status_code == 400  # one element unanswered
    response = client.post(survey, {**{f"u{i}": str(1 + i % 4) for i in range(1, 10)}, "comment": "Cepat."})
    assert response.status_code == 302
    assert SurveyResponse.objects.get(tenant=tenant, application=app).u2 == 3
    assert client.get(survey).status_code == 302  # already answered
    response = client.post(url("applicant_complaint", tenant, pk=app.pk), {"text": "Petugas survei datang terlambat dua jam."})
    assert response.status_code == 302
    assert Complaint.objects.get(tenant=tenant, application=app).author == citizen

    # Renewal opens 30 days before the end: a draft prefilled from the permit.
    moment.set(2027, 3, 20, 9, 0)
    assert "Perpanjang izin ini" in client.get(detail).content.decode()
    response = client.post(url("applicant_renew", tenant, pk=app.pk))
    renewal = Application.objects.get(tenant=tenant, renewal_of=app)
    assert response["Location"] == url("applicant_edit", tenant, pk=renewal.pk)
    assert renewal.form_data["judul"] == REKLAME_FORM["judul"] and renewal.form_data["tinggi"] == "5"
    # Every page of the renewal's form shows the permit's answers.
    assert f'value="{REKLAME_FORM["judul"]}"' in client.get(response["Location"]).content.decode()
    page = client.get(url("applicant_edit_page", tenant, pk=renewal.pk, page=2)).content.decode()
    assert shown_answers(page) == {"tinggi": "5", "lama_hari": "30", "tarif_lokasi": "A"}


def test_a_draft_can_be_saved_unfinished(office, client):
    login(client, office.citizen)
    client.post(url("applicant_start", office.tenant, code="penelitian"))
    app = Application.objects.get(tenant=office.tenant, applicant=office.citizen)
    response = client.post(url("applicant_edit", office.tenant, pk=app.pk), {"judul": "Survei pasar", "aksi": "draf"})
    assert response["Location"] == url("applicant_list", office.tenant)
    app.refresh_from_db()
    assert app.form_data == {"judul": "Survei pasar"}
    page = client.get(url("applicant_list", office.tenant)).content.decode()
    assert "Izin Penelitian" in page and "Draf, belum diajukan" in page
    # "Continue" needs every required answer.
    response = client.post(url("applicant_edit", office.tenant, pk=app.pk), {"judul": "Survei pasar", "aksi": "lanjut"})
    assert response.status_code == 400 and 'id="id_lembaga-error"' in response.content.decode()


def test_a_citizen_withdraws_a_submitted_application(office, draft, client):
    app = draft("penelitian")
    services.application_submit(application=app, actor=office.citizen)
    login(client, office.citizen)
    withdraw = url("applicant_withdraw", office.tenant, pk=app.pk)
    assert "Ya, batalkan permohonan" in client.get(withdraw).content.decode()
    response = client.post(withdraw, {"reason": "Penelitian ditunda."})
    assert response["Location"] == url("applicant_detail", office.tenant, pk=app.pk)
    assert state(app) == "withdrawn"
    assert client.get(withdraw).status_code == 302  # nothing left to withdraw


def test_only_officers_may_not_start_an_application_and_nobody_sees_anothers(office, draft, world, client):
    app = draft("penelitian")
    login(client, office.verifier)
    assert client.post(url("applicant_start", office.tenant, code="penelitian")).status_code == 403
    assert client.get(url("applicant_detail", office.tenant, pk=app.pk)).status_code == 404
    login(client, world.cilegon.people["citizen"])
    assert client.get(url("applicant_detail", office.tenant, pk=app.pk)).status_code == 404
    assert client.get(url("applicant_edit", world.cilegon.tenant, pk=app.pk)).status_code == 404


def test_another_person_cannot_download_a_permit(office, draft, pdf_engine, client, world):
    app = draft("penelitian")
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    services.application_approve(application=app, actor=office.approver)
    services.application_sign(application=app, actor=office.signer)
    app.refresh_from_db()
    download = reverse("files:download", kwargs={"tenant": office.tenant.slug, "public_id": app.permit_document.pdf_file.public_id})
    login(client, make_person("Dedi Warga", tenant=office.tenant, roles=["core.citizen"]))
    assert client.get(download).status_code == 404
    login(client, world.cilegon.people["citizen"])
    assert client.get(download).status_code == 404
    login(client, office.citizen)
    assert client.get(download).status_code == 200


def test_a_type_that_needs_a_visit_links_to_the_appointment_pages(office, draft, client):
    from balai.permits.models import PermitType

    PermitType.objects.filter(pk=office.types["penelitian"].pk).update(needs_appointment=True)
    app = draft("penelitian")
    services.application_submit(application=app, actor=office.citizen)
    type_id = office.types["penelitian"].pk
    page = client.get(url("public_type_detail", office.tenant, code="penelitian")).content.decode()
    assert reverse("permits:appointments:public_service", kwargs={"tenant": office.tenant.slug, "type_id": type_id}) in page
    login(client, office.citizen)
    page = client.get(url("applicant_detail", office.tenant, pk=app.pk)).content.decode()
    assert reverse("permits:appointments:book", kwargs={"tenant": office.tenant.slug, "type_id": type_id}) in page
