"""An application's life around the main road: numbers, corrections, withdrawal, rejection, renewal,
counter files and what other tenants and other people can see."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from balai.core.payments.models import Bill
from balai.core.workflow.services import TransitionDenied
from balai.permits import selectors, services, services_complaints
from balai.permits.models import Application, ApplicationDocument
from balai.permits.tests.conftest import pdf, png
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db


def state(app):
    app.refresh_from_db()
    return app.workflow.state if app.workflow_id else "draft"


def returned(office, draft):
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    services.application_return_for_correction(
        application=app, items=[{"kind": "field", "code": "lokasi", "note": "Sebutkan kelurahannya."},
                                {"kind": "document", "code": "pengantar", "note": "Belum ditandatangani."}],
        note="Lengkapi lokasi dan surat pengantar.", actor=office.verifier,
    )
    return app


# --- registration numbers ----------------------------------------------------------------------------


def test_registration_numbers_are_per_tenant_and_year_without_gaps(office, draft, moment, world):
    moment.set(2026, 12, 31, 16, 0)
    first = draft(code="penelitian")
    incomplete = draft(code="penelitian", documents=False)
    assert services.application_submit(application=first, actor=office.citizen) == "REG-3673-2026-000001"
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=incomplete, actor=office.citizen)
    assert "document:ktp" in exc.value.message_dict
    assert Application.objects.get(pk=incomplete.pk).registration_number == ""  # no number used up
    second = draft(code="penelitian")
    assert services.application_submit(application=second, actor=office.citizen) == "REG-3673-2026-000002"
    moment.set(2027, 1, 4, 8, 0)
    third = draft(code="penelitian", form={**_penelitian(), "mulai": "2027-02-01", "selesai": "2027-03-01"})
    assert services.application_submit(application=third, actor=office.citizen) == "REG-3673-2027-000001"


def _penelitian():
    from balai.permits.tests.conftest import PENELITIAN_FORM

    return dict(PENELITIAN_FORM)


# --- fix only what was asked -------------------------------------------------------------------------


def test_a_returned_file_changes_only_in_what_the_officer_asked(office, draft):
    app = returned(office, draft)
    assert state(app) == "returned"
    with pytest.raises(ValidationError) as exc:
        services.application_update_draft(application=app, form_data={"judul": "Judul lain"}, actor=office.citizen)
    assert "tidak diminta untuk diperbaiki" in exc.value.message_dict["judul"][0]
    with pytest.raises(ValidationError):
        services.application_attach_document(application=app, requirement_code="ktp", upload=png(), actor=office.citizen)
    # Sending the same value again for an unasked field is no change, so it is accepted.
    services.application_update_draft(
        application=app, form_data={"judul": _penelitian()["judul"], "lokasi": "Kelurahan Cipare, Serang"},
        actor=office.citizen,
    )
    services.application_attach_document(application=app, requirement_code="pengantar", upload=pdf(), actor=office.citizen)
    app.refresh_from_db()
    assert app.form_data["lokasi"] == "Kelurahan Cipare, Serang"
    history = ApplicationDocument.objects.filter(application=app, requirement_code="pengantar").order_by("uploaded_at")
    assert [d.status for d in history] == ["superseded", "current"]
    assert history[0].superseded_by_id == history[1].pk
    services.application_resubmit(application=app, actor=office.citizen)
    assert state(app) == "verification"
    assert selectors.correction_open(application=app) is None
    # Once back with the office, nothing may change.
    with pytest.raises(ValidationError):
        services.application_update_draft(application=app, form_data={"lokasi": "Lain"}, actor=office.citizen)


def test_a_return_must_name_existing_items_and_carry_a_note(office, draft):
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    with pytest.raises(ValidationError) as exc:
        services.application_return_for_correction(
            application=app, items=[{"kind": "field", "code": "tidak_ada"}], note="x", actor=office.verifier
        )
    assert "items" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.application_return_for_correction(
            application=app, items=[{"kind": "field", "code": "judul"}], note=" ", actor=office.verifier
        )
    assert "note" in exc.value.message_dict
    assert state(app) == "verification"


def test_someone_else_cannot_edit_or_submit_a_draft(office, draft, world):
    app = draft(code="penelitian")
    stranger = world.serang.people["officer"]
    with pytest.raises(PermissionDenied):
        services.application_update_draft(application=app, form_data={"judul": "X"}, actor=stranger)
    with pytest.raises(PermissionDenied):
        services.application_submit(application=app, actor=stranger)


# --- withdrawal and rejection ------------------------------------------------------------------------


def test_the_applicant_withdraws_before_a_decision_and_the_unpaid_bill_is_cancelled(office, draft):
    app = draft(form={"judul": "A", "alamat": "B", "lebar": "1", "tinggi": "2", "lama_hari": "5", "tarif_lokasi": "C"})
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    app.refresh_from_db()
    assert app.bill.status == Bill.Status.UNPAID
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=app, actor=office.verifier)
    services.application_withdraw(application=app, actor=office.citizen, reason="Lokasi batal disewa.")
    assert state(app) == "withdrawn"
    app.bill.refresh_from_db()
    assert app.bill.status == Bill.Status.CANCELLED


def test_a_draft_can_be_withdrawn_too(office, draft):
    app = draft(code="penelitian", documents=False)
    services.application_withdraw(application=app, actor=office.citizen)
    assert state(app) == "withdrawn" and app.registration_number == ""


def test_a_rejection_needs_a_reason_that_the_applicant_reads_and_the_public_does_not(office, draft):
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    with pytest.raises(ValidationError):
        services.application_reject(application=app, reason="", actor=office.verifier)
    services.application_reject(application=app, reason="Lokasi di luar wilayah Kota Serang.", actor=office.verifier)
    assert state(app) == "rejected"
    mine = selectors.tracking_timeline(application=app, for_owner=True)
    public = selectors.tracking_timeline(application=app)
    assert mine.steps[-1].note == "Lokasi di luar wilayah Kota Serang."
    assert public.steps[-1].note == "" and public.steps[-1].label == "Ditolak"
    assert public.is_closed
    with pytest.raises(TransitionDenied):
        services.application_withdraw(application=app, actor=office.citizen)


def test_the_inspector_rejects_from_inspection(office, draft):
    app = draft()  # 15 m²: inspected
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    assert state(app) == "inspection"
    services.application_reject(application=app, reason="Papan menutupi rambu lalu lintas.", actor=office.inspector)
    assert state(app) == "rejected"


# --- renewal ------------------------------------------------------------------------------------------


def test_renewal_opens_before_expiry_and_prefills_the_answers(office, draft, moment, pdf_engine):
    moment.set(2026, 4, 13, 9, 0)
    form = {"profesi": "bidan", "nomor_str": "STR-123-456", "tempat_praktik": "Praktik Mandiri Bidan Citra"}
    app = draft(code="sip", form=form)
    services.application_submit(application=app, actor=office.citizen)
    from balai.permits.appointments.services_file import attendance_override_record

    # SIP needs the applicant at the counter; here the front desk records that the originals were seen.
    attendance_override_record(
        tenant=office.tenant, application=app, reason="STR asli diperiksa di loket.", actor=office.frontdesk
    )
    services.application_verify(application=app, actor=office.verifier)
    services.application_approve(application=app, actor=office.approver)
    services.application_sign(application=app, actor=office.signer)
    app.refresh_from_db()
    assert app.valid_until == date(2031, 4, 12)  # five years
    with pytest.raises(ValidationError) as exc:
        services.application_renew(application=app, actor=office.citizen)
    assert "dibuka mulai" in exc.value.messages[0]

    moment.set(2031, 2, 2, 9, 0)  # 90-day window opened on 12 January 2031
    renewal = services.application_renew(application=app, actor=office.citizen)
    assert renewal.renewal_of_id == app.pk and renewal.form_data == form
    assert state(renewal) == "draft"
    assert services.application_renew(application=app, actor=office.citizen).pk == renewal.pk  # no second draft


# --- counter -----------------------------------------------------------------------------------------


def test_front_office_staff_enter_a_walk_in_application_for_a_new_citizen(office):
    app = services.counter_application_create(
        tenant=office.tenant, permit_type=office.types["penelitian"], entered_by=office.frontdesk,
        form_data=_penelitian(),
        citizen={"full_name": "Hadi Wibowo", "nik": "3673011708900003", "email": "hadi@contoh.id"},
    )
    assert app.channel == "counter" and app.entered_by == office.frontdesk
    assert app.applicant.email == "hadi@contoh.id" and not app.applicant.has_usable_password()
    assert app.applicant_nik_masked == "3673********0003"
    for code in ("ktp", "pengantar"):
        services.application_attach_document(application=app, requirement_code=code, upload=pdf(), actor=office.frontdesk)
    number = services.application_submit(application=app, actor=office.frontdesk)
    assert number.startswith("REG-3673-")
    assert state(app) == "verification"


def test_a_citizen_cannot_open_a_counter_file(office):
    with pytest.raises(PermissionDenied):
        services.counter_application_create(
            tenant=office.tenant, permit_type=office.types["penelitian"], entered_by=office.citizen,
            form_data={}, applicant=office.citizen,
        )


# --- who sees what ------------------------------------------------------------------------------------


def test_selectors_never_reach_another_tenants_or_another_persons_file(office, draft, world):
    app = draft(code="penelitian")
    number = services.application_submit(application=app, actor=office.citizen)
    cilegon = world.cilegon.tenant
    with pytest.raises(Http404):
        selectors.application_get(tenant=cilegon, pk=app.pk)
    assert selectors.application_by_registration_number(tenant=cilegon, number=number) is None
    assert selectors.application_by_registration_number(tenant=office.tenant, number=number.lower()).pk == app.pk
    with pytest.raises(Http404):
        selectors.application_for_applicant(tenant=office.tenant, user=make_person("Orang Lain"), pk=app.pk)
    with pytest.raises(Http404):
        selectors.application_for_applicant(tenant=cilegon, user=office.citizen, pk=app.pk)
    assert selectors.application_for_applicant(tenant=office.tenant, user=office.citizen, pk=app.pk) == app
    assert list(selectors.applications_of_applicant(tenant=cilegon, user=office.citizen)) == []
    with pytest.raises(Http404):
        selectors.permit_type_get(tenant=cilegon, pk=office.types["reklame"].pk)


def test_a_type_of_another_tenant_cannot_be_applied_for(office, world):
    with pytest.raises(ValueError):
        services.application_create_draft(
            tenant=world.cilegon.tenant, permit_type=office.types["penelitian"], applicant=office.citizen,
            form_data={}, actor=office.citizen,
        )


# --- complaints and the satisfaction survey ----------------------------------------------------------


def test_the_applicant_complains_about_a_file_and_answers_the_survey_once_it_is_done(office, draft):
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    complaint = services_complaints.complaint_create(application=app, text="Sudah tiga hari belum ada kabar.", actor=office.citizen)
    services_complaints.complaint_respond(complaint=complaint, response="Berkas sedang diverifikasi.", actor=office.verifier)
    assert complaint.status == "answered"
    with pytest.raises(ValidationError):
        services.survey_submit(application=app, answers=[4] * 9, actor=office.citizen)
    services.application_reject(application=app, reason="Bukan wilayah Kota Serang.", actor=office.verifier)
    with pytest.raises(ValidationError):
        services.survey_submit(application=app, answers=[4] * 8 + [5], actor=office.citizen)
    survey = services.survey_submit(application=app, answers=[3, 3, 2, 4, 3, 3, 4, 2, 3], actor=office.citizen)
    assert survey.answers == [3, 3, 2, 4, 3, 3, 4, 2, 3]
    with pytest.raises(ValidationError):
        services.survey_submit(application=app, answers=[4] * 9, actor=office.citizen)


def test_the_office_inbox_shows_each_step_to_its_own_role(office, draft):
    app = draft()  # 15 m²: inspected
    services.application_submit(application=app, actor=office.citizen)
    assert [i.pk for i in selectors.office_inbox(tenant=office.tenant, user=office.verifier)] == [app.workflow_id]
    assert not selectors.office_inbox(tenant=office.tenant, user=office.inspector).exists()
    assert not selectors.office_inbox(tenant=office.tenant, user=office.approver).exists()
    services.application_verify(application=app, actor=office.verifier)
    rows = list(selectors.office_inbox(tenant=office.tenant, user=office.inspector, permit_type=office.types["reklame"]))
    assert [i.pk for i in rows] == [app.workflow_id]
    assert selectors.applications_for_instances(tenant=office.tenant, instances=rows)[app.workflow_id].pk == app.pk
    assert not selectors.office_inbox(tenant=office.tenant, user=office.verifier).exists()
