"""The business's current representatives follow its files through the API as on the pages: they list
them (`?scope=business`) and read the file, its timeline, permit and receipt; every write stays the
applicant's, and anyone else (a colleague's draft, an ended representation, another citizen, another
Pemda) gets the 404 of a file that does not exist.

Citra (the Kota Serang citizen) and Hadi run CV Citra Mandiri together; Dedi is a citizen of the same
Pemda with no part in it.
"""

import pytest

from balai.core.accounts.models import Membership
from balai.permits import services
from balai.permits.models import Application
from balai.permits.tests import test_business_representatives as representatives
from balai.permits.tests.conftest import pay

from .conftest import REKLAME_SMALL, url

pytestmark = pytest.mark.django_db

CITIZEN_SCOPES = (  # a citizen's usual token: reading and applying
    "permits:read",
    "permits:apply",
)

# The fixtures of the pages' tests: CV Citra Mandiri, Hadi its second representative, Dedi a stranger.
_registered = representatives._registered
business, hadi, dedi = representatives.business, representatives.hadi, representatives.dedi
BUSINESS = representatives.BUSINESS
end_representation = representatives.end_representation


@pytest.fixture
def submitted_for_business(office, draft, business):
    """A small billboard (no inspection) Citra submitted for CV Citra Mandiri, verified: its bill waits."""
    app = draft(form=REKLAME_SMALL, **BUSINESS)
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    app.refresh_from_db()
    assert app.workflow.state == "awaiting_payment"
    return app


def list_url(caller, scope=None) -> str:
    base = url(caller.tenant, "application_list")
    return f"{base}?scope={scope}" if scope else base


def listed(caller, scope=None) -> list[str]:
    """The registration numbers of the list (`?scope=`), as `caller` gets it."""
    response = caller.client.get(list_url(caller, scope), **caller.headers)
    assert response.status_code == 200, response.json()
    return [row["registration_number"] for row in response.json()["results"]]


def test_a_co_representative_lists_and_reads_the_business_file(
    office, submitted_for_business, hadi, as_person
):
    app = submitted_for_business
    number = app.registration_number
    follower = as_person(office.tenant, hadi, CITIZEN_SCOPES)

    assert listed(follower, "business") == [number]
    assert number not in listed(follower)  # his own list stays his own
    assert number not in listed(follower, "mine")

    detail = follower.get("application_detail", pk=app.pk)
    assert detail.status_code == 200
    body = detail.json()
    assert body["registration_number"] == number and body["applicant_name"] == app.applicant_name
    assert body["read_only"] is True and body["editable"] is False
    assert body["bill"]["amount"] == 750_000  # what is owed, to be paid by the applicant

    timeline = follower.get("application_timeline", pk=app.pk)
    assert timeline.status_code == 200 and timeline.json()["registration_number"] == number

    own = as_person(office.tenant, office.citizen, CITIZEN_SCOPES).get("application_detail", pk=app.pk).json()
    assert own["read_only"] is False


def test_a_co_representative_downloads_the_permit_and_the_receipt(
    office, submitted_for_business, hadi, as_person, pdf_engine, django_capture_on_commit_callbacks
):
    app = submitted_for_business
    follower = as_person(office.tenant, hadi, CITIZEN_SCOPES)
    assert follower.get("application_receipt", pk=app.pk).json()["error"]["code"] == "receipt_not_issued"

    pay(app.bill, django_capture_on_commit_callbacks)
    app = Application.objects.get(pk=app.pk)
    services.application_approve(application=app, actor=office.approver)
    services.application_sign(application=app, actor=office.signer)

    for name in ("application_receipt", "application_permit"):
        download = follower.get(name, pk=app.pk)
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf", name
        assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        follower.get("application_detail", pk=app.pk)
        .json()["permit"]["download_url"]
        .endswith(f"/applications/{app.pk}/permit/")
    )


def writes(caller, pk) -> dict[str, tuple[int, str]]:
    """Every write endpoint on file `pk`, as `caller` is answered: status and error code."""
    answers = {
        "update": caller.patch("application_detail", {"form_data": {"judul": "Toko Hadi"}}, pk=pk),
        "documents": caller.post("application_documents", {"requirement_code": "ktp"}, multipart=True, pk=pk),
        "submit": caller.post("application_submit", pk=pk),
        "pay": caller.post("application_pay", pk=pk),
        "withdraw": caller.post("application_withdraw", {"reason": "Tidak jadi."}, pk=pk),
        "complaint": caller.post("application_complaints", {"text": "Kenapa lama sekali prosesnya?"}, pk=pk),
    }
    return {name: (r.status_code, r.json()["error"]["code"]) for name, r in answers.items()}


def test_a_follower_cannot_change_the_file_and_is_answered_as_a_stranger(
    office, submitted_for_business, hadi, dedi, as_person
):
    app = submitted_for_business
    follower = as_person(office.tenant, hadi, CITIZEN_SCOPES)
    stranger = as_person(office.tenant, dedi, CITIZEN_SCOPES)

    answered = writes(follower, app.pk)
    assert answered == writes(stranger, app.pk)
    assert set(answered.values()) == {(404, "not_found")}
    # The complaints stay the applicant's to read too (as on the page).
    assert follower.get("application_complaints", pk=app.pk).status_code == 404

    app = Application.objects.get(pk=app.pk)
    assert app.workflow.state == "awaiting_payment" and app.form_data["judul"] == "Toko Citra"
    assert not app.complaints.exists()


def test_a_colleagues_draft_stays_private(office, draft, business, hadi, as_person):
    app = draft(**BUSINESS)
    follower = as_person(office.tenant, hadi, CITIZEN_SCOPES)
    assert listed(follower, "business") == []
    for name in ("application_detail", "application_timeline", "application_permit", "application_receipt"):
        assert follower.get(name, pk=app.pk).status_code == 404, name


def test_an_ended_representation_ends_the_access(office, submitted_for_business, business, hadi, as_person):
    app = submitted_for_business
    follower = as_person(office.tenant, hadi, CITIZEN_SCOPES)
    assert follower.get("application_detail", pk=app.pk).status_code == 200

    end_representation(business, hadi, actor=office.citizen)
    assert listed(follower, "business") == []
    for name in ("application_detail", "application_timeline", "application_receipt"):
        assert follower.get(name, pk=app.pk).status_code == 404, name


def test_another_citizen_sees_nothing(office, submitted_for_business, dedi, as_person):
    stranger = as_person(office.tenant, dedi, CITIZEN_SCOPES)
    assert listed(stranger, "business") == []
    for name in ("application_detail", "application_timeline", "application_receipt"):
        assert stranger.get(name, pk=submitted_for_business.pk).status_code == 404, name


def test_another_pemda_never_shows_the_business_file(office, submitted_for_business, hadi, as_person, world):
    cilegon = world.cilegon.tenant
    Membership.objects.create(user=hadi, tenant=cilegon, roles=["core.citizen"])
    elsewhere = as_person(cilegon, hadi, CITIZEN_SCOPES)
    assert listed(elsewhere, "business") == []
    for name in ("application_detail", "application_timeline", "application_receipt"):
        assert elsewhere.get(name, pk=submitted_for_business.pk).status_code == 404, name


def test_an_unknown_scope_says_which_to_choose(office, hadi, as_person):
    caller = as_person(office.tenant, hadi, CITIZEN_SCOPES)
    response = caller.client.get(list_url(caller, "semua"), **caller.headers)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert "Pilih mine" in error["fields"]["scope"][0] and "business" in error["fields"]["scope"][0]
