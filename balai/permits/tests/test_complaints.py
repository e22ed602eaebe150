"""Complaints (pengaduan): the applicant complains about his file, the office is told, sees the complaint
in its list and on the file, answers once, and the applicant reads the answer with its date."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from balai.core.audit.models import AuditEntry
from balai.core.notifications.models import OutboxMessage
from balai.core.orgs.models import Assignment, Employee, Position, Unit
from balai.permits import selectors_complaints, services, services_complaints
from balai.permits.models import Complaint
from balai.permits.services_complaints import ComplaintAlreadyAnswered, complaint_handlers
from balai.testing.clients import login
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db

TEXT = "Sudah lima hari kerja berkas saya belum diverifikasi. Mohon kabarnya."
ANSWER = "Berkas Anda sudah diverifikasi hari ini dan diteruskan ke tahap pembayaran."


def submitted(office, draft, code="penelitian"):
    app = draft(code=code)
    services.application_submit(application=app, actor=office.citizen)
    return app


def complain(office, app, text=TEXT):
    return services_complaints.complaint_create(application=app, text=text, actor=office.citizen)


def page(client, name, office, **kwargs):
    return client.get(reverse(f"permits:{name}", kwargs={"tenant": office.tenant.slug, **kwargs}))


def answer(client, office, complaint, response=ANSWER):
    url = reverse(
        "permits:office_complaint_answer", kwargs={"tenant": office.tenant.slug, "pk": complaint.pk}
    )
    return client.post(url, {"response": response})


def received_by(complaint):
    return set(
        OutboxMessage.objects.filter(
            tenant=complaint.tenant, template_code="permits.complaint_received", channel="inapp"
        ).values_list("recipient__email", flat=True)
    )


# --- services and notifications ----------------------------------------------------------------------


def test_a_new_complaint_reaches_those_who_answer_and_the_head_not_the_others(office, draft):
    app = submitted(office, draft)
    complaint = complain(office, app)
    # No unit behind the type: everyone who may answer in the tenant (the approver is the head here).
    assert received_by(complaint) == {office.frontdesk.email, office.verifier.email, office.approver.email}
    message = OutboxMessage.objects.get(
        template_code="permits.complaint_received", recipient=office.verifier, channel="inapp"
    )
    assert app.registration_number in message.subject
    assert message.link == reverse(
        "permits:office_complaint_detail", kwargs={"tenant": office.tenant.slug, "pk": complaint.pk}
    )
    assert AuditEntry.objects.filter(
        tenant=office.tenant, action="permits.complaint", object_id=str(complaint.pk)
    ).exists()


def test_with_a_unit_only_its_staff_the_file_holder_and_the_unit_head_are_told(office, draft):
    tenant = office.tenant
    unit = Unit.objects.create(
        tenant=tenant, kind=Unit.Kind.BIDANG, code="PEN", name="Bidang Perizinan Non-Usaha"
    )
    seksi = Unit.objects.create(
        tenant=tenant, kind=Unit.Kind.SEKSI, code="PEN-1", name="Seksi Penelitian", parent=unit
    )
    head_user = make_person("Hana Kabid", tenant=tenant, roles=["core.officer"])
    start = datetime.date(2020, 1, 2)

    def place(user, unit, name, nip, is_head=False):
        position = Position.objects.create(tenant=tenant, unit=unit, name=name, job_class=9, is_head=is_head)
        employee = Employee.objects.create(
            tenant=tenant, nip=nip, full_name=user.full_name, employment_type="pns", user=user
        )
        Assignment.objects.create(tenant=tenant, employee=employee, position=position, start=start)

    place(head_user, unit, "Kepala Bidang", "198001012005011001", is_head=True)
    place(office.verifier, seksi, "Verifikator", "199001012015011002")
    permit_type = office.types["penelitian"]
    permit_type.unit = unit
    permit_type.save(update_fields=["unit"])
    app = submitted(office, draft)
    handlers = complaint_handlers(application=app)
    # The verifier works in the unit (a sub-unit of it); the front desk and the approver do not; the
    # head of the unit is told although he holds no permits role.
    assert office.verifier in handlers and head_user in handlers
    assert office.frontdesk not in handlers and office.approver not in handlers
    complaint = complain(office, app)
    assert received_by(complaint) == {u.email for u in handlers}


def test_an_answer_is_saved_audited_and_sent_to_the_applicant(office, draft):
    app = submitted(office, draft)
    complaint = complain(office, app)
    services_complaints.complaint_respond(complaint=complaint, response=ANSWER, actor=office.frontdesk)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED and complaint.response == ANSWER
    assert complaint.responded_by == office.frontdesk and complaint.responded_at is not None
    assert AuditEntry.objects.filter(
        tenant=office.tenant, action="permits.complaint_respond", object_id=str(complaint.pk)
    ).exists()
    sent = OutboxMessage.objects.filter(template_code="permits.complaint_answered")
    assert {m.recipient for m in sent} == {office.citizen}
    assert ANSWER in sent.get(channel="inapp").body


def test_an_empty_answer_is_refused_with_a_message_and_nothing_is_saved(office, draft):
    complaint = complain(office, submitted(office, draft))
    with pytest.raises(ValidationError) as refused:
        services_complaints.complaint_respond(complaint=complaint, response="   ", actor=office.verifier)
    assert "Tulis jawaban" in refused.value.message_dict["response"][0]
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.OPEN and not complaint.response


def test_a_complaint_is_answered_once(office, draft):
    complaint = complain(office, submitted(office, draft))
    services_complaints.complaint_respond(complaint=complaint, response=ANSWER, actor=office.verifier)
    stale = Complaint.objects.get(pk=complaint.pk)  # the page a second officer opened before the answer
    stale.status = Complaint.Status.OPEN
    with pytest.raises(ComplaintAlreadyAnswered) as refused:
        services_complaints.complaint_respond(
            complaint=stale, response="Jawaban kedua.", actor=office.approver
        )
    assert "sudah dijawab" in refused.value.messages[0]
    complaint.refresh_from_db()
    assert complaint.response == ANSWER and complaint.responded_by == office.verifier
    assert AuditEntry.objects.filter(
        tenant=office.tenant, action="permits.complaint_respond_refused", object_id=str(complaint.pk)
    ).exists()


def test_only_the_front_desk_verifiers_and_approvers_answer(office, draft, world):
    complaint = complain(office, submitted(office, draft))
    for person in (
        office.inspector,
        office.signer,
        world.serang.people["officer"],
        world.serang.people["inspector"],
        world.cilegon.people["officer"],
        office.citizen,
    ):
        with pytest.raises(PermissionDenied):
            services_complaints.complaint_respond(complaint=complaint, response=ANSWER, actor=person)
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.OPEN


def test_a_draft_cannot_be_complained_about_and_only_by_its_applicant(office, draft, world):
    with pytest.raises(ValidationError):
        services_complaints.complaint_create(
            application=draft(code="penelitian"), text=TEXT, actor=office.citizen
        )
    app = submitted(office, draft)
    with pytest.raises(PermissionDenied):
        services_complaints.complaint_create(application=app, text=TEXT, actor=world.serang.people["officer"])


def test_the_list_shows_open_ones_first_oldest_first_with_their_age_in_working_days(office, draft):
    app = submitted(office, draft)
    older, newer, answered = complain(office, app), complain(office, app), complain(office, app)
    # Received Monday 9 March 2026 and Wednesday 11 March; read on Friday 13 March.
    monday = datetime.datetime(2026, 3, 9, 2, 0, tzinfo=datetime.UTC)
    Complaint.objects.filter(pk=older.pk).update(created_at=monday)
    Complaint.objects.filter(pk=newer.pk).update(created_at=monday + timedelta(days=2))
    Complaint.objects.filter(pk=answered.pk).update(created_at=monday - timedelta(days=7))
    services_complaints.complaint_respond(complaint=answered, response=ANSWER, actor=office.verifier)
    Complaint.objects.filter(pk=answered.pk).update(
        responded_at=monday - timedelta(days=4)
    )  # the Thursday after
    rows = selectors_complaints.complaint_rows(
        tenant=office.tenant,
        complaints=selectors_complaints.office_complaints(tenant=office.tenant),
        now=monday + timedelta(days=4),
    )
    assert [(r.complaint.pk, r.age_days) for r in rows] == [(older.pk, 4), (newer.pk, 2), (answered.pk, 3)]
    only_open = selectors_complaints.office_complaints(tenant=office.tenant, status="open")
    assert [c.pk for c in only_open] == [older.pk, newer.pk]
    assert [
        c.pk for c in selectors_complaints.office_complaints(tenant=office.tenant, status="answered")
    ] == [answered.pk]


# --- pages -------------------------------------------------------------------------------------------


def test_an_officer_finds_the_complaint_from_the_inbox_and_answers_it(office, draft, client):
    app = submitted(office, draft)
    complaint = complain(office, app)
    login(client, office.verifier)
    inbox = page(client, "office_inbox", office).content.decode()
    assert reverse("permits:office_complaint_list", kwargs={"tenant": office.tenant.slug}) in inbox
    assert "1 belum dijawab" in inbox
    listing = page(client, "office_complaint_list", office).content.decode()
    assert (
        app.registration_number in listing
        and app.permit_type.name in listing
        and "hari kerja menunggu" in listing
    )
    detail = page(client, "office_complaint_detail", office, pk=complaint.pk).content.decode()
    assert TEXT in detail and "Kirim jawaban kepada pemohon" in detail
    response = answer(client, office, complaint)
    assert response.status_code == 303
    detail = client.get(response["Location"]).content.decode()
    assert ANSWER in detail and "Vina Verifikator" in detail and "Kirim jawaban" not in detail
    listing = page(client, "office_complaint_list", office).content.decode()
    assert "dijawab dalam 0 hari kerja" in listing


def test_an_empty_answer_on_the_page_says_what_to_write(office, draft, client):
    complaint = complain(office, submitted(office, draft))
    login(client, office.approver)
    response = answer(client, office, complaint, response="")
    assert response.status_code == 400
    assert "Tulis jawaban untuk pemohon" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.OPEN


def test_a_second_answer_on_the_page_is_refused_and_shows_the_first(office, draft, client):
    complaint = complain(office, submitted(office, draft))
    services_complaints.complaint_respond(complaint=complaint, response=ANSWER, actor=office.verifier)
    login(client, office.frontdesk)
    response = answer(client, office, complaint, response="Jawaban lain.")
    assert response.status_code == 409
    body = response.content.decode()
    assert "sudah dijawab" in body and ANSWER in body
    assert Complaint.objects.get(pk=complaint.pk).response == ANSWER


def test_the_applicant_reads_the_answer_and_its_date_on_his_file(office, draft, client):
    app = submitted(office, draft)
    complaint = complain(office, app)
    login(client, office.citizen)
    before = page(client, "applicant_detail", office, pk=app.pk).content.decode()
    assert TEXT in before and "Belum dijawab" in before
    services_complaints.complaint_respond(complaint=complaint, response=ANSWER, actor=office.verifier)
    complaint.refresh_from_db()
    after = page(client, "applicant_detail", office, pk=app.pk).content.decode()
    assert ANSWER in after and "Jawaban kantor pelayanan" in after
    assert date_format(timezone.localtime(complaint.responded_at), "j F Y") in after


def test_readers_read_others_are_refused(office, draft, client, world):
    complaint = complain(office, submitted(office, draft))
    # The inspector (field survey) and the inspectorate read; they do not answer.
    for reader in (office.inspector, world.serang.people["inspector"]):
        login(client, reader)
        body = page(client, "office_complaint_detail", office, pk=complaint.pk).content.decode()
        assert TEXT in body and "Kirim jawaban" not in body
        assert answer(client, office, complaint).status_code == 403
    # Another service's officer, the citizen and another tenant's permits officer see nothing.
    cilegon_verifier = make_person(
        "Vero Cilegon", tenant=world.cilegon.tenant, roles=["permits.verifier", "core.officer"]
    )
    for stranger in (world.serang.people["officer"], office.citizen, cilegon_verifier):
        login(client, stranger)
        assert page(client, "office_complaint_list", office).status_code == 403
        assert page(client, "office_complaint_detail", office, pk=complaint.pk).status_code == 403
        assert answer(client, office, complaint).status_code == 403
    assert AuditEntry.objects.filter(
        tenant=office.tenant,
        action="permits.office_refused",
        object_type="permits.complaint",
        object_id=str(complaint.pk),
        actor_id=world.serang.people["officer"].pk,
    ).exists()
    # Cilegon's permits officer on his own tenant's address: Serang's complaint does not exist there.
    login(client, cilegon_verifier)
    foreign = reverse(
        "permits:office_complaint_detail", kwargs={"tenant": world.cilegon.tenant.slug, "pk": complaint.pk}
    )
    assert client.get(foreign).status_code == 404
    foreign_answer = reverse(
        "permits:office_complaint_answer", kwargs={"tenant": world.cilegon.tenant.slug, "pk": complaint.pk}
    )
    assert client.post(foreign_answer, {"response": ANSWER}).status_code == 404
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.OPEN
