"""The applicant's endpoints: drafts, uploads, submission, timeline, payment, permit download, withdrawal."""

import pytest

from balai.core.files.tests.factories import pdf_bytes, upload
from balai.permits.models import Application

from .conftest import REKLAME_SMALL, bearer, token, url

pytestmark = pytest.mark.django_db


def create(caller, **extra):
    return caller.post("application_list", {"permit_type": "reklame", "form_data": REKLAME_SMALL, **extra})


def test_a_citizen_starts_a_draft_and_sees_what_is_missing(office, citizen_api):
    response = create(citizen_api, business_name="Toko Citra")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft" and body["registration_number"] == "" and body["editable"] is True
    assert body["form_data"]["lebar"] == "2" and body["business_name"] == "Toko Citra"
    # A business applicant gives the business's NIB before submitting.
    assert set(body["missing"]) == {"business_nib", "document:ktp", "document:desain", "document:izin_pemilik"}
    application = Application.objects.get(pk=body["id"])
    assert application.applicant == office.citizen and application.tenant == office.tenant
    listed = citizen_api.get("application_list").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]


def test_the_same_idempotency_key_creates_one_draft(office, citizen_api):
    key = {"HTTP_IDEMPOTENCY_KEY": "7b0c2f4e-draft-1"}
    body = {"permit_type": "reklame", "form_data": REKLAME_SMALL}
    first = citizen_api.post("application_list", body, headers=key)
    again = citizen_api.post("application_list", body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Application.objects.filter(tenant=office.tenant, applicant=office.citizen).count() == 1


def test_a_draft_with_wrong_answers_or_an_unknown_type_is_refused_with_fields(office, citizen_api):
    wrong = citizen_api.post("application_list", {"permit_type": "reklame", "form_data": {"lebar": "lebar"}})
    assert wrong.status_code == 400 and "form_data.lebar" in wrong.json()["error"]["fields"]
    nib = citizen_api.post("application_list", {"permit_type": "reklame", "business_nib": "123"})
    assert nib.status_code == 400 and "business_nib" in nib.json()["error"]["fields"]
    unknown = citizen_api.post("application_list", {"permit_type": "tidak_ada"})
    assert unknown.status_code == 400 and "permit_type" in unknown.json()["error"]["fields"]
    assert not Application.objects.filter(tenant=office.tenant).exists()


def test_only_a_person_with_the_right_scope_and_role_may_apply(world, office, as_person, api):
    anonymous = api.post(url(office.tenant, "application_list"), {"permit_type": "reklame"}, content_type="application/json")
    assert anonymous.status_code == 403 and anonymous.json()["error"]["code"] == "not_authenticated"
    read_only = as_person(office.tenant, office.citizen, ("permits:read",))
    refused = create(read_only)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "scope_missing"
    assert read_only.get("application_list").status_code == 200
    verifier = as_person(office.tenant, office.verifier)
    assert create(verifier).status_code == 403  # an officer's role does not apply for permits
    client_token = token(office.tenant, None, ("permits:read", "permits:apply"))
    as_client = api.post(
        url(office.tenant, "application_list"), {"permit_type": "reklame"}, content_type="application/json",
        **bearer(client_token),
    )
    assert as_client.status_code == 403 and as_client.json()["error"]["code"] == "person_required"
    other_tenant = api.get(url(world.cilegon.tenant, "application_list"), **citizen_headers(office))
    assert other_tenant.status_code == 403 and other_tenant.json()["error"]["code"] == "token_wrong_tenant"
    assert not Application.objects.exists()


def citizen_headers(office):
    return bearer(token(office.tenant, office.citizen, ("permits:read",)))


def test_someone_elses_application_is_not_found(world, office, draft, as_person):
    application = draft()
    neighbour = world.serang.people["officer"]
    from balai.core.accounts.models import Membership

    Membership.objects.filter(user=neighbour, tenant=office.tenant).update(roles=["core.citizen"])
    other = as_person(office.tenant, neighbour, ("permits:read", "permits:apply"))
    for name in ("application_detail", "application_timeline", "application_permit"):
        response = other.get(name, pk=application.pk)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", name
    for name in ("application_submit", "application_pay", "application_withdraw"):
        assert other.post(name, pk=application.pk).status_code == 404, name
    assert other.patch("application_detail", {"form_data": {"judul": "Punya saya"}}, pk=application.pk).status_code == 404
    # Cilegon's citizen, on Cilegon's address, does not reach a Serang application either.
    cilegon = as_person(world.cilegon.tenant, world.cilegon.people["citizen"])
    assert cilegon.get("application_detail", pk=application.pk).status_code == 404
    application.refresh_from_db()
    assert application.workflow_id is None and application.form_data["judul"] != "Punya saya"


def test_the_citizen_uploads_checked_documents_and_submits_for_a_registration_number(office, citizen_api):
    pk = create(citizen_api).json()["id"]
    fake = citizen_api.post(
        "application_documents", {"requirement_code": "izin_pemilik", "file": upload(b"MZ not a pdf at all", "surat.pdf")},
        multipart=True, pk=pk,
    )
    assert fake.status_code == 400 and fake.json()["error"]["code"] == "validation_failed"
    unknown = citizen_api.post(
        "application_documents", {"requirement_code": "sertifikat", "file": upload(pdf_bytes("x"), "x.pdf")},
        multipart=True, pk=pk,
    )
    assert unknown.status_code == 400 and "requirement_code" in unknown.json()["error"]["fields"]
    incomplete = citizen_api.post("application_submit", pk=pk)
    assert incomplete.status_code == 400
    assert "document:ktp" in incomplete.json()["error"]["fields"]
    for code in ("ktp", "desain", "izin_pemilik"):
        response = citizen_api.post(
            "application_documents", {"requirement_code": code, "file": upload(pdf_bytes(code), f"{code}.pdf")},
            multipart=True, pk=pk,
        )
        assert response.status_code == 201 and response.json()["kind"] == "pdf"
    submitted = citizen_api.post("application_submit", pk=pk)
    assert submitted.status_code == 200, submitted.json()
    body = submitted.json()
    assert body["registration_number"].startswith("REG-3673-")
    assert body["application"]["state"] == "verification" and body["application"]["editable"] is False
    again = citizen_api.post("application_submit", pk=pk)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_submitted"
    late = citizen_api.patch("application_detail", {"form_data": {"judul": "Ganti"}}, pk=pk)
    assert late.status_code == 400


def test_a_returned_file_changes_only_what_was_asked_and_goes_back(office, citizen_api, submitted):
    from balai.permits import selectors, services

    pk, _number = submitted()
    application = selectors.application_get(tenant=office.tenant, pk=pk)
    services.application_return_for_correction(
        application=application, items=[{"kind": "field", "code": "tinggi", "note": "Tinggi menurut desain 3 m."}],
        note="Perbaiki tinggi papan.", actor=office.verifier,
    )
    detail = citizen_api.get("application_detail", pk=pk).json()
    assert detail["state"] == "returned" and detail["editable"] is True
    assert detail["correction"]["items"][0]["code"] == "tinggi"
    not_asked = citizen_api.patch("application_detail", {"form_data": {"judul": "Lain"}}, pk=pk)
    assert not_asked.status_code == 400 and "form_data.judul" in not_asked.json()["error"]["fields"]
    fixed = citizen_api.patch("application_detail", {"form_data": {"tinggi": "3"}}, pk=pk)
    assert fixed.status_code == 200 and fixed.json()["form_data"]["tinggi"] == "3"
    timeline = citizen_api.get("application_timeline", pk=pk).json()
    assert timeline["is_paused"] is True and timeline["steps"][-1]["note"] == "Perbaiki tinggi papan."
    assert timeline["applicant_name"] == office.citizen.full_name
    back = citizen_api.post("application_submit", pk=pk)
    assert back.status_code == 200 and back.json()["application"]["state"] == "verification"


def test_pay_returns_the_bill_once_billed_and_the_permit_waits_for_issuance(office, citizen_api, submitted):
    from balai.permits import selectors, services

    pk, _number = submitted()
    early = citizen_api.post("application_pay", pk=pk)
    assert early.status_code == 409 and early.json()["error"]["code"] == "no_bill"
    services.application_verify(application=selectors.application_get(tenant=office.tenant, pk=pk), actor=office.verifier)
    bill = citizen_api.post("application_pay", pk=pk)
    assert bill.status_code == 200, bill.json()
    body = bill.json()
    # 25% × (2 × 2 m² × 10 days × Rp 75.000)
    assert body["amount"] == 750_000 and isinstance(body["amount"], int) and body["status"] == "unpaid"
    assert body["billing_code"].isdigit() and body["payment_url"].endswith(f"/pay/simulator/{body['billing_code']}/")
    permit = citizen_api.get("application_permit", pk=pk)
    assert permit.status_code == 409 and permit.json()["error"]["code"] == "permit_not_issued"
    assert permit["Content-Type"] == "application/json"
    as_pdf = citizen_api.client.get(url(office.tenant, "application_permit", pk=pk), HTTP_ACCEPT="application/pdf",
                                    **citizen_api.headers)
    assert as_pdf.status_code == 409 and as_pdf["Content-Type"] == "application/json"


def test_the_citizen_withdraws_and_the_bill_is_cancelled(office, citizen_api, submitted):
    from balai.permits import selectors, services

    pk, _number = submitted()
    services.application_verify(application=selectors.application_get(tenant=office.tenant, pk=pk), actor=office.verifier)
    response = citizen_api.post("application_withdraw", {"reason": "Batal pasang."}, pk=pk)
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "withdrawn" and response.json()["bill"]["status"] == "cancelled"
    again = citizen_api.post("application_withdraw", pk=pk)
    assert again.status_code == 409 and again.json()["error"]["code"] == "terminal"
