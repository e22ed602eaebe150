"""The whole life of an Izin Reklame on the real 2026 calendar of Kota Serang: submit, verify, return
(the clock pauses, visibly), resubmit, inspection, payment in the simulator, approval, signing, issued
with a signed permit; then revocation on /verify/."""

from datetime import date

import pytest

from balai.core.payments.models import Bill
from balai.permits import selectors, services
from balai.permits.tests.conftest import pay, png

pytestmark = pytest.mark.django_db


def state(application):
    application.refresh_from_db()
    return application.workflow.state if application.workflow_id else "draft"


def test_it_takes_a_billboard_permit_from_draft_to_a_signed_permit(
    office, draft, moment, pdf_engine, django_capture_on_commit_callbacks, client
):
    citizen = office.citizen
    # Monday 16 March 2026, 09:00 WIB: submitted. Nyepi, Idul Fitri and their cuti bersama close 18-24 March.
    moment.set(2026, 3, 16, 9, 0)
    app = draft()
    number = services.application_submit(application=app, actor=citizen)
    assert number == "REG-3673-2026-000001"
    assert state(app) == "verification"
    assert app.workflow.assignee == office.verifier  # the only verifier, chosen automatically
    track = selectors.tracking_timeline(application=app)
    # Day 0 is the 16th; the five working days are 17, 25, 26, 27 and 30 March.
    assert track.due_date == date(2026, 3, 30)
    assert track.sla_colour == "green" and not track.is_paused

    # Wednesday 25 March: the verifier asks for a sharper ID card photo and the right board height.
    moment.set(2026, 3, 25, 10, 0)
    services.application_return_for_correction(
        application=app,
        items=[
            {"kind": "document", "code": "ktp", "note": "Foto KTP buram."},
            {"kind": "field", "code": "tinggi", "note": "Tinggi papan menurut desain 5 m."},
        ],
        note="Mohon perbaiki KTP dan tinggi papan.",
        actor=office.verifier,
    )
    assert state(app) == "returned"
    at_return = selectors.tracking_timeline(application=app)
    assert at_return.is_paused and at_return.sla_colour == "grey"
    remaining = at_return.sla_remaining_days

    # A week later, still with the applicant: the clock has not moved, and the pause is counted.
    moment.set(2026, 4, 2, 9, 0)
    paused = selectors.tracking_timeline(application=app)
    assert paused.sla_remaining_days == remaining
    assert paused.paused_days == 6  # 26, 27, 30, 31 March, 1 and 2 April (today counts)
    assert paused.steps[-1].paused and paused.steps[-1].label == "Dikembalikan untuk diperbaiki"

    # The applicant fixes exactly what was asked and sends it back.
    services.application_attach_document(application=app, requirement_code="ktp", upload=png("ktp.png"), actor=citizen)
    services.application_update_draft(application=app, form_data={"tinggi": "5"}, actor=citizen)
    services.application_resubmit(application=app, actor=citizen)
    assert state(app) == "verification"
    assert app.workflow.assignee == office.verifier  # back to whoever returned it
    resumed = selectors.tracking_timeline(application=app)
    assert not resumed.is_paused
    # Two working days were used (17 and 25 March), three remain from the day it came back (2 April, day 0):
    # 3 April is Good Friday, then the weekend, so 6, 7 and 8 April.
    assert resumed.sla_remaining_days == 3 and resumed.due_date == date(2026, 4, 8)

    # 15 m² is more than 10 m²: the type's rule sends the file to field inspection.
    services.application_verify(application=app, actor=office.verifier)
    assert state(app) == "inspection"
    moment.set(2026, 4, 6, 10, 0)
    services.application_record_inspection(
        application=app, report="Papan 3 × 5 m terpasang sesuai desain, konstruksi aman.", photos=[png("lokasi.png")],
        actor=office.inspector,
    )
    assert state(app) == "awaiting_payment"
    app.refresh_from_db()
    # 25% × (3 × 5 m² × 30 days × Rp 125.000) = 25% × Rp 56.250.000
    assert app.fee_amount == 14_062_500
    assert app.bill.amount == 14_062_500 and app.bill.status == Bill.Status.UNPAID
    assert selectors.tracking_timeline(application=app).is_paused  # paying is the applicant's time

    pay(app.bill, django_capture_on_commit_callbacks)
    assert state(app) == "approval"

    moment.set(2026, 4, 7, 9, 0)
    services.application_approve(application=app, actor=office.approver)
    assert state(app) == "signing"
    services.application_sign(application=app, actor=office.signer)
    assert state(app) == "issued"
    app.refresh_from_db()
    document = app.permit_document
    assert document is not None and document.status == "valid"
    assert document.kind == "permits.permit" and document.number.startswith("503/")
    assert app.valid_from == date(2026, 4, 7) and app.valid_until == date(2027, 4, 6)
    final = selectors.tracking_timeline(application=app)
    assert final.is_closed and final.document_code == document.code
    assert [s.state for s in final.steps] == [
        "submitted", "verification", "returned", "verification", "inspection", "awaiting_payment", "approval",
        "signing", "issued",
    ]
    # Public tracking names the office, never the officer.
    names = {office.verifier.full_name, office.inspector.full_name, office.approver.full_name, office.signer.full_name}
    assert not names & {s.by for s in final.steps}
    assert all(s.note == "" for s in final.steps)

    page = client.get(f"/verify/{document.code}/").content.decode()
    assert "Sah" in page and "Dicabut" not in page

    services.application_revoke(application=app, reason="Papan dipasang melebihi ukuran izin.", actor=office.approver)
    assert state(app) == "revoked"
    page = client.get(f"/verify/{document.code}/").content.decode()
    assert "Dicabut" in page and "Papan dipasang melebihi ukuran izin." in page
