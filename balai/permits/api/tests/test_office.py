"""The officers' endpoints: the inbox, and the actions mapped onto the permits services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balai.permits import selectors
from balai.permits.models import Application
from balai.permits.tests.conftest import pay
from balai.testing.personas import make_person

from .conftest import REKLAME_SMALL, bearer, token, url

pytestmark = pytest.mark.django_db


def state(pk):
    application = Application.objects.select_related("workflow").get(pk=pk)
    return application.workflow.state if application.workflow_id else "draft"


def test_the_verifier_inbox_lists_files_by_due_date_with_what_can_be_done(office, as_person, submitted, moment):
    moment.set(2026, 3, 16, 9, 0)
    first, first_number = submitted()
    moment.set(2026, 3, 17, 9, 0)
    second, _n = submitted()
    verifier = as_person(office.tenant, office.verifier, ("permits:read",))
    response = verifier.get("inbox")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [first, second]
    assert rows[0]["registration_number"] == first_number and rows[0]["state"] == "verification"
    assert rows[0]["due_date"] <= rows[1]["due_date"]
    assert {"verify", "return", "reject"} <= set(rows[0]["actions"]) and "approve" not in rows[0]["actions"]
    assert verifier.get("inbox", ).json()["count"] == 2
    approver = as_person(office.tenant, office.approver)
    assert approver.get("inbox").json()["count"] == 0
    assert verifier.client.get(url(office.tenant, "inbox") + "?state=approval", **verifier.headers).json()["count"] == 0


def test_the_inbox_costs_the_same_queries_for_few_or_many_files(office, as_person, draft):
    from balai.permits import services

    verifier = as_person(office.tenant, office.verifier, ("permits:office",))

    def queries():
        verifier.get("inbox")  # warm the caches
        with CaptureQueriesContext(connection) as captured:
            assert verifier.get("inbox").status_code == 200
        return len(captured)

    services.application_submit(application=draft(), actor=office.citizen)
    few = queries()
    for _i in range(6):
        services.application_submit(application=draft(), actor=office.citizen)
    assert queries() == few <= 12


def test_the_inbox_and_actions_are_for_the_permit_office_only(world, office, as_person, api, submitted):
    pk, _number = submitted()
    citizen = as_person(office.tenant, office.citizen)
    assert citizen.get("inbox").status_code == 403
    refused = citizen.post("application_action", {}, pk=pk, action="verify")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    read_only = as_person(office.tenant, office.verifier, ("permits:read",))
    no_scope = read_only.post("application_action", {}, pk=pk, action="verify")
    assert no_scope.status_code == 403 and no_scope.json()["error"]["code"] == "scope_missing"
    client = token(office.tenant, None, ("permits:office",))
    as_client = api.post(url(office.tenant, "application_action", pk=pk, action="verify"), {},
                         content_type="application/json", **bearer(client))
    assert as_client.status_code == 403 and as_client.json()["error"]["code"] == "person_required"
    anonymous = api.get(url(office.tenant, "inbox"))
    assert anonymous.status_code == 403 and anonymous.json()["error"]["code"] == "not_authenticated"
    # A Cilegon verifier reaches nothing of Serang's, and an unknown action is named.
    cilegon_verifier = make_person("Vero Cilegon", tenant=world.cilegon.tenant, roles=["permits.verifier"])
    foreign = as_person(world.cilegon.tenant, cilegon_verifier)
    assert foreign.post("application_action", {}, pk=pk, action="verify").status_code == 404
    verifier = as_person(office.tenant, office.verifier)
    unknown = verifier.post("application_action", {}, pk=pk, action="terbitkan")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_action"
    assert state(pk) == "verification"


def test_a_verifier_cannot_approve_and_whoever_verified_may_not_approve_either(office, as_person, submitted,
                                                                             django_capture_on_commit_callbacks):
    pk, _number = submitted()
    both = make_person("Dua Peran", tenant=office.tenant, roles=["permits.verifier", "permits.approver"])
    # The sole verifier holds the file; hand it to the one who also approves.
    from balai.core.workflow.services import instance_assign

    application = selectors.application_get(tenant=office.tenant, pk=pk)
    admin = make_person("Admin Izin", tenant=office.tenant, roles=["core.tenant_admin"])
    instance_assign(instance=application.workflow, assignee=both, actor=admin, reason="Uji pemisahan tugas")
    dual = as_person(office.tenant, both)
    verified = dual.post("application_action", {"comment": "Lengkap."}, pk=pk, action="verify")
    assert verified.status_code == 200, verified.json()
    assert verified.json()["state"] == "awaiting_payment"
    application.refresh_from_db()
    pay(application.bill, django_capture_on_commit_callbacks)
    assert state(pk) == "approval"

    verifier = as_person(office.tenant, office.verifier)
    by_role = verifier.post("application_action", {}, pk=pk, action="approve")
    assert by_role.status_code == 403 and by_role.json()["error"]["code"] == "role"
    from balai.core.workflow.models import WorkflowInstance

    WorkflowInstance.objects.filter(pk=application.workflow_id).update(assignee=both)
    separated = dual.post("application_action", {}, pk=pk, action="approve")
    assert separated.status_code == 403 and separated.json()["error"]["code"] == "separation"
    assert "pemisahan tugas" in separated.json()["error"]["message"]
    assert state(pk) == "approval"


def test_an_unpaid_permit_cannot_be_approved_signed_or_downloaded_through_the_api(office, as_person, submitted,
                                                                                   citizen_api):
    pk, _number = submitted()
    verifier = as_person(office.tenant, office.verifier)
    assert verifier.post("application_action", {}, pk=pk, action="verify").status_code == 200
    assert state(pk) == "awaiting_payment"
    approve = as_person(office.tenant, office.approver).post("application_action", {}, pk=pk, action="approve")
    assert approve.status_code == 409 and approve.json()["error"]["code"] == "state"
    sign = as_person(office.tenant, office.signer).post("application_action", {}, pk=pk, action="sign")
    assert sign.status_code == 409 and sign.json()["error"]["code"] == "state"
    assert citizen_api.get("application_permit", pk=pk).status_code == 409
    application = Application.objects.get(pk=pk)
    assert application.permit_document_id is None and state(pk) == "awaiting_payment"


def test_return_reject_and_missing_inputs(office, as_person, submitted):
    verifier = as_person(office.tenant, office.verifier)
    pk, _number = submitted()
    nothing = verifier.post("application_action", {"note": "Perbaiki."}, pk=pk, action="return")
    assert nothing.status_code == 400 and "items" in nothing.json()["error"]["fields"]
    returned = verifier.post(
        "application_action",
        {"note": "KTP buram.", "items": [{"kind": "document", "code": "ktp", "note": "Unggah ulang."}]},
        pk=pk, action="return",
    )
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    other, _n = submitted()
    no_reason = verifier.post("application_action", {}, pk=other, action="reject")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    rejected = verifier.post("application_action", {"reason": "Lokasi di jalur hijau."}, pk=other, action="reject")
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"


def test_a_stale_view_is_refused(office, as_person, submitted):
    pk, _number = submitted()
    verifier = as_person(office.tenant, office.verifier)
    row = verifier.get("inbox").json()["results"][0]
    stale = verifier.post("application_action", {"expected_version": row["workflow_version"] - 1}, pk=pk, action="verify")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    fresh = verifier.post("application_action", {"expected_version": row["workflow_version"]}, pk=pk, action="verify")
    assert fresh.status_code == 200


def test_a_billboard_permit_from_draft_to_download_and_revocation_through_the_api(
    office, as_person, citizen_api, pdf_engine, django_capture_on_commit_callbacks
):
    # 15 m²: the type's rule sends it to field inspection.
    big = {**REKLAME_SMALL, "lebar": "3", "tinggi": "5", "tarif_lokasi": "A", "lama_hari": "30"}
    created = citizen_api.post("application_list", {"permit_type": "reklame", "form_data": big})
    pk = created.json()["id"]
    from .conftest import upload_all

    upload_all(citizen_api, pk, office.types["reklame"])
    assert citizen_api.post("application_submit", pk=pk).status_code == 200
    officer = {role: as_person(office.tenant, getattr(office, role)) for role in ("verifier", "inspector", "approver", "signer")}
    assert officer["verifier"].post("application_action", {}, pk=pk, action="verify").json()["state"] == "inspection"
    from balai.core.files.tests.factories import image_bytes, upload

    inspected = officer["inspector"].post(
        "application_action",
        {"report": "Papan 3 × 5 m sesuai desain, konstruksi aman.", "photos": [upload(image_bytes("PNG"), "a.png", "image/png")]},
        multipart=True, pk=pk, action="inspect",
    )
    assert inspected.status_code == 200, inspected.json()
    assert inspected.json()["state"] == "awaiting_payment"
    bill = citizen_api.post("application_pay", pk=pk).json()
    assert bill["amount"] == 14_062_500
    application = Application.objects.get(pk=pk)
    pay(application.bill, django_capture_on_commit_callbacks)
    assert officer["approver"].post("application_action", {}, pk=pk, action="approve").json()["state"] == "signing"
    assert officer["signer"].post("application_action", {}, pk=pk, action="sign").json()["state"] == "issued"
    detail = citizen_api.get("application_detail", pk=pk).json()
    assert detail["permit"]["status"] == "valid" and detail["permit"]["number"].startswith("503/")
    download = citizen_api.get("application_permit", pk=pk)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    track = citizen_api.client.get(url(office.tenant, "track", registration_number=detail["registration_number"])).json()
    assert track["is_closed"] is True and track["verification_url"].endswith(f"/verify/{detail['permit']['verification_code']}/")

    short = officer["approver"].post("application_action", {"reason": "x"}, pk=pk, action="revoke")
    assert short.status_code == 400 and "reason" in short.json()["error"]["fields"]
    refused = officer["signer"].post("application_action", {"reason": "Melanggar ukuran."}, pk=pk, action="revoke")
    assert refused.status_code == 403
    revoked = officer["approver"].post("application_action", {"reason": "Papan melebihi ukuran izin."}, pk=pk, action="revoke")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    gone = citizen_api.get("application_permit", pk=pk)
    assert gone.status_code == 409 and gone.json()["error"]["code"] == "permit_revoked"


def test_the_api_inbox_shows_the_officers_own_units_by_default_and_every_unit_with_unit_all(
    office, as_person, draft
):
    from balai.permits import services
    from balai.permits.tests.test_office_inbox import give_units

    units = give_units(
        office
    )  # the verifier holds a post in DPMPTSP; reklame is its bidang's, penelitian not
    reklame = draft("reklame")
    services.application_submit(application=reklame, actor=office.citizen)
    penelitian = draft("penelitian")
    services.application_submit(application=penelitian, actor=office.citizen)
    verifier = as_person(office.tenant, office.verifier, ("permits:read",))
    base = url(office.tenant, "inbox")

    def ids(query=""):
        response = verifier.client.get(base + query, **verifier.headers)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {reklame.pk}
    assert ids("?unit=all") == {reklame.pk, penelitian.pk}
    assert ids(f"?unit={units['dinkes'].pk}") == {penelitian.pk}
    refused = verifier.client.get(base + "?unit=dinkes", **verifier.headers)
    assert refused.status_code == 400 and "unit=12" in refused.content.decode()
