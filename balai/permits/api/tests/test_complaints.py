"""Complaints through the API: the applicant files and reads his, the office lists the open ones and
answers once; refusals come as JSON with a stable code; everything is in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from balai.core.notifications.models import OutboxMessage
from balai.permits import services, services_complaints
from balai.permits.api.tests.conftest import url
from balai.permits.models import Complaint
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db

TEXT = "Sudah seminggu tidak ada kabar tentang berkas saya."
ANSWER = "Berkas Anda sudah diverifikasi dan menunggu pembayaran retribusi."


@pytest.fixture
def submitted(office, draft):
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    return app


def test_the_applicant_files_a_complaint_and_reads_the_answer(office, submitted, citizen_api, as_person):
    created = citizen_api.post("application_complaints", {"text": TEXT}, pk=submitted.pk)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "open" and body["response"] == "" and body["responded_at"] is None
    # The office is told.
    assert OutboxMessage.objects.filter(
        template_code="permits.complaint_received", recipient=office.verifier
    ).exists()
    verifier = as_person(office.tenant, office.verifier, ("permits:read", "permits:office"))
    answered = verifier.post("complaint_answer", {"response": ANSWER}, pk=body["id"])
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "answered" and answered.json()["responded_by"] == "Vina Verifikator"
    listed = citizen_api.get("application_complaints", pk=submitted.pk).json()["results"]
    assert [(c["id"], c["status"], c["response"]) for c in listed] == [(body["id"], "answered", ANSWER)]
    assert listed[0]["responded_at"] is not None
    assert "responded_by" not in listed[0]  # the applicant reads the office's answer, not who typed it


def test_the_applicant_is_refused_an_empty_complaint_and_another_ones_application(
    office, submitted, citizen_api, world, as_person
):
    refused = citizen_api.post("application_complaints", {"text": ""}, pk=submitted.pk)
    assert refused.status_code == 400 and "text" in refused.json()["error"]["fields"]
    too_short = citizen_api.post("application_complaints", {"text": "Lambat"}, pk=submitted.pk)
    assert too_short.status_code == 400 and "text" in too_short.json()["error"]["fields"]
    other = make_person("Oki Warga", tenant=office.tenant, roles=["core.citizen"])
    stranger = as_person(office.tenant, other, ("permits:read", "permits:apply"))
    assert stranger.get("application_complaints", pk=submitted.pk).status_code == 404
    assert stranger.post("application_complaints", {"text": TEXT}, pk=submitted.pk).status_code == 404
    assert not Complaint.objects.exists()


def test_officers_list_open_complaints_first_and_filter_them(office, submitted, as_person):
    first = services_complaints.complaint_create(application=submitted, text=TEXT, actor=office.citizen)
    second = services_complaints.complaint_create(
        application=submitted, text=TEXT + " Lagi.", actor=office.citizen
    )
    services_complaints.complaint_respond(complaint=first, response=ANSWER, actor=office.frontdesk)
    inspector = as_person(office.tenant, office.inspector, ("permits:read",))
    rows = inspector.get("complaint_list").json()["results"]
    assert [r["id"] for r in rows] == [second.pk, first.pk]
    assert rows[0]["application"]["registration_number"] == submitted.registration_number
    assert rows[0]["age_working_days"] == 0 and rows[0]["applicant_name"]
    listing = url(office.tenant, "complaint_list")
    only_open = inspector.client.get(f"{listing}?status=open", **inspector.headers).json()["results"]
    assert [r["id"] for r in only_open] == [second.pk]
    bad = inspector.client.get(f"{listing}?status=semua", **inspector.headers)
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]
    assert inspector.get("complaint_detail", pk=first.pk).json()["response"] == ANSWER


def test_answers_are_refused_when_empty_twice_by_the_wrong_role_or_in_another_tenant(
    office, submitted, as_person, world
):
    complaint = services_complaints.complaint_create(application=submitted, text=TEXT, actor=office.citizen)
    approver = as_person(office.tenant, office.approver, ("permits:office",))
    empty = approver.post("complaint_answer", {"response": "  "}, pk=complaint.pk)
    assert empty.status_code == 400 and "response" in empty.json()["error"]["fields"]
    inspector = as_person(office.tenant, office.inspector, ("permits:read", "permits:office"))
    assert (
        inspector.post("complaint_answer", {"response": ANSWER}, pk=complaint.pk).json()["error"]["code"]
        == "permission_denied"
    )
    reader = as_person(office.tenant, office.approver, ("permits:read",))
    assert reader.post("complaint_answer", {"response": ANSWER}, pk=complaint.pk).status_code == 403  # scope
    cilegon = make_person(
        "Vero Cilegon", tenant=world.cilegon.tenant, roles=["permits.verifier", "core.officer"]
    )
    foreign = as_person(world.cilegon.tenant, cilegon, ("permits:read", "permits:office"))
    assert foreign.get("complaint_detail", pk=complaint.pk).status_code == 404
    assert foreign.post("complaint_answer", {"response": ANSWER}, pk=complaint.pk).status_code == 404
    assert approver.post("complaint_answer", {"response": ANSWER}, pk=complaint.pk).status_code == 200
    again = approver.post("complaint_answer", {"response": "Jawaban kedua."}, pk=complaint.pk)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_answered"
    assert Complaint.objects.get(pk=complaint.pk).response == ANSWER


def test_the_complaint_endpoints_are_in_the_schema(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/v1/{tenant}/permits/applications/{id}/complaints/",
        "/api/v1/{tenant}/permits/complaints/",
        "/api/v1/{tenant}/permits/complaints/{id}/",
        "/api/v1/{tenant}/permits/complaints/{id}/answer/",
    ):
        assert f"  {path}:" in text, path
    for component in ("Complaint:", "OfficeComplaint:", "ComplaintCreateRequest:", "ComplaintAnswerRequest:"):
        assert f"    {component}" in text, component
