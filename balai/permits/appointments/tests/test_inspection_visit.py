"""The inspector sets the date of the field visit; the applicant is told and sees it on his file, the public
tracking line names the date and never the officer, and nobody else can set or read it."""

# ruff: noqa: F811 - the permits fixtures `office` and `draft` are imported below, then requested by name.

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.notifications.models import OutboxMessage
from balai.core.workflow import clock as workflow_clock
from balai.permits import services as permit_services
from balai.permits.appointments import selectors_file, services_file
from balai.permits.appointments.models import InspectionVisit
from balai.permits.appointments.services import AppointmentRefused
from balai.permits.tests.conftest import draft, office  # noqa: F401  (fixtures)
from balai.testing.clients import login
from balai.testing.personas import make_person

WED = dt.date(2026, 8, 12)


@pytest.fixture
def clocks(moment, monkeypatch):
    monkeypatch.setattr(workflow_clock, "now", lambda: moment.value)
    return moment


@pytest.fixture
def inspected(office, draft, clocks):
    """A billboard of 15 m² (its type's rule sends it to field inspection), verified and with the inspector."""
    application = draft()
    permit_services.application_submit(application=application, actor=office.citizen)
    permit_services.application_verify(application=application, actor=office.verifier)
    application.refresh_from_db()
    assert application.workflow.state == "inspection"
    assert application.workflow.assignee == office.inspector
    return application


def schedule(office, application, day=WED, start=dt.time(9), end=dt.time(11), actor=None):
    return services_file.inspection_visit_schedule(
        tenant=office.tenant,
        application=application,
        day=day,
        starts_at=start,
        ends_at=end,
        actor=actor or office.inspector,
    )


def panel(template, application, user):
    request = RequestFactory().get("/")
    request.tenant, request.user = application.tenant, user
    return render_to_string(template, {"application": application, "request": request})


def refused(code, fn, *args, **kwargs):
    with pytest.raises(AppointmentRefused) as exc:
        fn(*args, **kwargs)
    assert exc.value.code == code, exc.value.messages
    return exc.value


def test_the_inspector_sets_the_date_and_the_applicant_is_told(
    office, inspected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit = schedule(office, inspected)
    assert (visit.scheduled_for, visit.window) == (WED, "09.00–11.00")
    entry = AuditEntry.objects.get(tenant=office.tenant, action="permits.appointments.inspection_schedule")
    assert entry.actor_id == office.inspector.pk and entry.data["day"] == "2026-08-12"

    messages = OutboxMessage.objects.filter(
        tenant=office.tenant, recipient=office.citizen, template_code=services_file.VISIT_TEMPLATE
    )
    inapp = messages.get(channel="inapp")
    assert "12 Agustus 2026" in inapp.body and "09.00–11.00" in inapp.body
    assert "Indra" not in inapp.body and "Indra" not in inapp.subject

    mine = panel("permits/appointments/_file_inspection.html", inspected, office.citizen)
    assert "Survei lapangan dijadwalkan pada" in mine and "12 Agustus 2026" in mine and "09.00–11.00" in mine

    note = selectors_file.inspection_public_note(inspected)
    assert note == "Survei dijadwalkan 12 Agustus 2026, pukul 09.00–11.00"
    assert "Indra" not in note


def test_moving_the_visit_keeps_the_earlier_date_and_tells_the_applicant_again(office, inspected):
    schedule(office, inspected)
    schedule(office, inspected, day=WED + dt.timedelta(days=1), start=None, end=None)
    refused("unchanged", schedule, office, inspected, day=WED + dt.timedelta(days=1), start=None, end=None)
    assert InspectionVisit.objects.filter(application=inspected).count() == 2
    assert selectors_file.inspection_public_note(inspected) == "Survei dijadwalkan 13 Agustus 2026"
    office_panel = panel("permits/appointments/_file_bookings.html", inspected, office.inspector)
    assert "Jadwal sebelumnya" in office_panel and "12 Agustus 2026" in office_panel
    assert (
        OutboxMessage.objects.filter(
            recipient=office.citizen, template_code=services_file.VISIT_TEMPLATE, channel="inapp"
        ).count()
        == 2
    )
    assert OutboxMessage.objects.filter(
        recipient=office.citizen,
        template_code=services_file.VISIT_TEMPLATE,
        channel="inapp",
        subject__startswith="Jadwal survei diubah",
    ).exists()


def test_the_date_must_be_a_coming_working_day_and_the_window_whole(office, inspected):
    refused("past", schedule, office, inspected, day=dt.date(2026, 8, 7))
    error = refused("not_working_day", schedule, office, inspected, day=dt.date(2026, 8, 17))
    assert "17 Agustus 2026" in error.messages[0]
    refused("not_working_day", schedule, office, inspected, day=dt.date(2026, 8, 15))
    refused("too_far", schedule, office, inspected, day=dt.date(2026, 12, 1))
    refused("window_incomplete", schedule, office, inspected, end=None)
    refused("window_order", schedule, office, inspected, start=dt.time(11), end=dt.time(9))
    assert not InspectionVisit.objects.exists()


def test_only_the_inspector_holding_the_file_sets_the_date(office, inspected, draft):
    other = make_person("Ilham Surveyor", tenant=office.tenant, roles=["permits.inspector", "core.officer"])
    refused("forbidden", schedule, office, inspected, actor=other)
    refused("forbidden", schedule, office, inspected, actor=office.verifier)
    assert AuditEntry.objects.filter(action="permits.appointments.inspection_schedule_refused").count() == 2
    assert "Tetapkan jadwal survei" not in panel("permits/appointments/_file_bookings.html", inspected, other)
    assert "Tetapkan jadwal survei" in panel(
        "permits/appointments/_file_bookings.html", inspected, office.inspector
    )
    # A file not in inspection has no visit to set.
    waiting = draft()
    permit_services.application_submit(application=waiting, actor=office.citizen)
    refused("not_inspection", schedule, office, waiting)


def test_the_form_on_the_office_page_sets_the_date(office, inspected, client, world):
    url = reverse(
        "permits:appointments:file_inspection_schedule",
        kwargs={"tenant": office.tenant.slug, "pk": inspected.pk},
    )
    detail = reverse("permits:office_detail", kwargs={"tenant": office.tenant.slug, "pk": inspected.pk})
    login(client, office.inspector)
    response = client.post(url, {"survei-day": "2026-08-17"}, follow=True)
    assert "bukan hari kerja" in response.content.decode()
    response = client.post(
        url, {"survei-day": "2026-08-12", "survei-starts_at": "09:00", "survei-ends_at": "11:00"}
    )
    assert response.status_code == 303 and response["Location"] == detail
    assert InspectionVisit.objects.get(application=inspected).scheduled_for == WED
    # The verifier holds no "permits.inspect"; Cilegon's inspector holds nothing in Serang.
    login(client, office.verifier)
    assert client.post(url, {"survei-day": "2026-08-13"}).status_code == 403
    cilegon_inspector = make_person(
        "Iwan Cilegon", tenant=world.cilegon.tenant, roles=["permits.inspector", "core.officer"]
    )
    login(client, cilegon_inspector)
    assert client.post(url, {"survei-day": "2026-08-13"}).status_code == 403
    # ... and in his own tenant the Serang file does not exist.
    foreign = reverse(
        "permits:appointments:file_inspection_schedule",
        kwargs={"tenant": world.cilegon.tenant.slug, "pk": inspected.pk},
    )
    assert client.post(foreign, {"survei-day": "2026-08-13"}).status_code == 404
    assert InspectionVisit.objects.filter(application=inspected).count() == 1


def test_another_citizen_or_tenant_cannot_read_the_date(office, inspected, client, world):
    schedule(office, inspected)
    url = reverse("permits:applicant_detail", kwargs={"tenant": office.tenant.slug, "pk": inspected.pk})
    stranger = make_person("Dodi Lain", tenant=office.tenant, roles=["core.citizen"])
    login(client, stranger)
    assert client.get(url).status_code == 404
    login(client, world.cilegon.people["citizen"])
    foreign = reverse(
        "permits:applicant_detail", kwargs={"tenant": world.cilegon.tenant.slug, "pk": inspected.pk}
    )
    assert client.get(foreign).status_code == 404
    login(client, office.citizen)
    page = client.get(url)
    assert page.status_code == 200
    assert (
        "Survei lapangan dijadwalkan pada" in page.content.decode()
        and "12 Agustus 2026" in page.content.decode()
    )


def test_public_tracking_shows_the_visit_date_while_the_file_waits_for_it(
    office, inspected, client, django_capture_on_commit_callbacks
):
    """The tracking page and the API say when the field visit is, and never who makes it."""
    from django.core.cache import cache

    cache.clear()
    number = inspected.registration_number
    page_url = reverse("permits:public_tracking", kwargs={"tenant": office.tenant.slug})
    api_url = reverse("permits_api:track", kwargs={"tenant": office.tenant.slug, "registration_number": number})
    assert "Survei dijadwalkan" not in client.get(page_url, {"nomor": number}).content.decode()
    assert client.get(api_url).json()["inspection_scheduled"] is None

    with django_capture_on_commit_callbacks(execute=True):  # republishes the facts and forgets the cached page
        schedule(office, inspected)
    page = client.get(page_url, {"nomor": number}).content.decode()
    assert "Survei dijadwalkan 12 Agustus 2026, pukul 09.00–11.00" in page
    assert office.inspector.full_name not in page
    assert client.get(api_url).json()["inspection_scheduled"] == {"date": "2026-08-12", "start": "09:00", "end": "11:00"}
