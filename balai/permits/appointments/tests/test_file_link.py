"""A booking belongs to a permit file: the applicant books from the file, the office sees attendance on it,
and a file whose type needs a visit to the counter (SIP: originals checked there) is verified only after
the applicant came in, or after a logged exception with its reason."""

# ruff: noqa: F811 - the permits fixtures `office` and `draft` are imported below, then requested by name.

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.workflow import clock as workflow_clock
from balai.core.workflow.services import TransitionDenied
from balai.permits import services as permit_services
from balai.permits.appointments import services, services_file
from balai.permits.appointments.models import AttendanceOverride, Booking
from balai.permits.appointments.services import AppointmentRefused
from balai.permits.tests.conftest import draft, office  # noqa: F401  (fixtures)
from balai.testing.clients import login
from balai.testing.personas import make_person

from .conftest import nik

WED = dt.date(2026, 8, 12)
SIP_FORM = {"profesi": "bidan", "nomor_str": "STR-123-456", "tempat_praktik": "Praktik Mandiri Bidan Citra"}


@pytest.fixture
def clocks(moment, monkeypatch):
    """The appointments clock and the workflow engine's clock, held together (Monday 10 August 2026, 09:00)."""
    monkeypatch.setattr(workflow_clock, "now", lambda: moment.value)
    return moment


@pytest.fixture
def sip(office, draft, clocks):
    """A submitted SIP file of the citizen (who has a NIK), and published counter capacity for SIP."""
    office.citizen.nik = nik(1)
    office.citizen.save(update_fields=["nik"])
    service = office.types["sip"]
    services.capacity_publish(
        tenant=office.tenant,
        permit_type=service,
        day=WED,
        windows=[
            {"start": "08:00", "end": "09:00", "capacity": 2},
            {"start": "09:00", "end": "10:00", "capacity": 2},
        ],
        release_at=clocks.value - dt.timedelta(hours=1),
        actor=None,
    )
    application = draft(code="sip", form=SIP_FORM)
    permit_services.application_submit(application=application, actor=office.citizen)
    application.refresh_from_db()
    return application


def book(office, application, *, booker=None, window="08:00"):
    booker = booker or office.citizen
    return services.booking_create(
        tenant=office.tenant,
        permit_type=application.permit_type,
        day=WED,
        window=window,
        booker=booker,
        applicant_nik=booker.nik,
        application=application,
        actor=booker,
    )


def verify(office, application):
    permit_services.application_verify(application=application, actor=office.verifier)
    application.refresh_from_db()
    return application.workflow.state


def page_of(template, application, user):
    request = RequestFactory().get("/")
    request.tenant, request.user = application.tenant, user
    return render_to_string(template, {"application": application, "request": request})


# --- booking from the file ---------------------------------------------------------------------------


def test_the_file_page_offers_booking_with_the_file_preselected(office, sip, client):
    url = reverse(
        "permits:appointments:book", kwargs={"tenant": office.tenant.slug, "type_id": sip.permit_type_id}
    )
    login(client, office.citizen)
    detail = client.get(
        reverse("permits:applicant_detail", kwargs={"tenant": office.tenant.slug, "pk": sip.pk})
    )
    assert "Pesan jadwal" in detail.content.decode()
    assert f"{url}?berkas={sip.registration_number}" in detail.content.decode()

    page = client.get(url, {"berkas": sip.registration_number})
    assert page.status_code == 200
    assert f"Janji temu ini untuk berkas {sip.registration_number}" in page.content.decode()
    slot = page.context["slots"][0]
    response = client.post(
        f"{url}?berkas={sip.registration_number}",
        {"slot": slot.pk, "applicant_nik": office.citizen.nik, "application": sip.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "permits:applicant_detail", kwargs={"tenant": office.tenant.slug, "pk": sip.pk}
    )
    booking = Booking.objects.get(tenant=office.tenant, applicant_user=office.citizen)
    assert booking.application == sip
    panel = page_of("permits/appointments/_file_appointment.html", sip, office.citizen)
    assert booking.code in panel and "Pesan jadwal" not in panel


def test_the_booking_page_refuses_someone_elses_file(office, sip, client, world):
    url = reverse(
        "permits:appointments:book", kwargs={"tenant": office.tenant.slug, "type_id": sip.permit_type_id}
    )
    other = make_person("Dodi Lain", tenant=office.tenant, roles=["core.citizen"])
    other.nik = nik(2)
    other.save(update_fields=["nik"])
    login(client, other)
    assert client.get(url, {"berkas": sip.registration_number}).status_code == 404
    assert client.get(url, {"berkas": str(sip.pk)}).status_code == 404
    # The same number in another tenant names nothing there.
    login(client, world.cilegon.people["citizen"])
    cilegon_url = reverse(
        "permits:appointments:book",
        kwargs={"tenant": world.cilegon.tenant.slug, "type_id": sip.permit_type_id},
    )
    assert client.get(cilegon_url, {"berkas": sip.registration_number}).status_code == 404
    # Nor can the service be made to link it: the file's NIK is not the booker's.
    with pytest.raises(AppointmentRefused) as refused:
        book(office, sip, booker=other)
    assert refused.value.code == "application"
    assert not Booking.objects.filter(application=sip).exists()


def test_a_file_has_one_active_booking(office, sip):
    first = book(office, sip)
    with pytest.raises(AppointmentRefused) as refused:
        book(office, sip, window="09:00")
    assert refused.value.code in ("duplicate", "file_duplicate")
    services.booking_cancel(tenant=office.tenant, booking=first, actor=office.citizen)
    assert book(office, sip, window="09:00").application == sip


def test_a_decided_file_takes_no_booking(office, sip):
    permit_services.application_withdraw(application=sip, actor=office.citizen)
    sip.refresh_from_db()
    with pytest.raises(AppointmentRefused) as refused:
        book(office, sip)
    assert refused.value.code == "application_closed"


# --- the verify guard --------------------------------------------------------------------------------


def test_verification_waits_for_the_applicant_to_come_in(office, sip, clocks):
    with pytest.raises(TransitionDenied) as refused:
        verify(office, sip)
    assert "belum memiliki janji temu yang tercatat hadir" in str(refused.value)
    assert "Pesan jadwal" in str(refused.value)

    booking = book(office, sip)
    with pytest.raises(TransitionDenied) as refused:
        verify(office, sip)
    assert booking.code in str(refused.value) and "Catat kehadirannya" in str(refused.value)

    clocks.set(2026, 8, 12, 8, 10)
    services.booking_mark_attendance(
        tenant=office.tenant, booking=booking, outcome="attended", actor=office.frontdesk
    )
    assert verify(office, sip) not in ("verification",)


def test_a_no_show_tells_the_officer_to_have_the_applicant_book_again(office, sip, clocks):
    booking = book(office, sip)
    clocks.set(2026, 8, 12, 11, 0)
    services.booking_mark_attendance(
        tenant=office.tenant, booking=booking, outcome="no_show", actor=office.frontdesk
    )
    with pytest.raises(TransitionDenied) as refused:
        verify(office, sip)
    assert "tidak hadir" in str(refused.value) and "jadwal baru" in str(refused.value)
    panel = page_of("permits/appointments/_file_appointment.html", sip, office.citizen)
    assert "tercatat tidak hadir" in panel and "Pesan jadwal" in panel


def test_an_audited_exception_lets_the_file_be_verified(office, sip):
    with pytest.raises(AppointmentRefused) as refused:
        services_file.attendance_override_record(
            tenant=office.tenant, application=sip, reason="datang", actor=office.verifier
        )
    assert refused.value.code == "reason_required"
    with pytest.raises(AppointmentRefused) as refused:
        services_file.attendance_override_record(
            tenant=office.tenant,
            application=sip,
            reason="Saya sendiri pemohonnya, percayalah.",
            actor=office.citizen,
        )
    assert refused.value.code == "forbidden"
    assert AuditEntry.objects.filter(action="permits.appointments.attendance_override_refused").exists()

    reason = "Pemohon datang langsung tanpa janji; STR asli diperiksa di loket."
    services_file.attendance_override_record(
        tenant=office.tenant, application=sip, reason=reason, actor=office.frontdesk
    )
    entry = AuditEntry.objects.get(tenant=office.tenant, action="permits.appointments.attendance_override")
    assert entry.actor_id == office.frontdesk.pk and entry.data["reason"] == reason
    assert verify(office, sip) != "verification"


def test_the_office_page_shows_bookings_attendance_and_the_exception_form(office, sip, clocks, client):
    booking = book(office, sip)
    panel = page_of("permits/appointments/_file_bookings.html", sip, office.verifier)
    assert booking.code in panel and "Belum hadir" in panel and "Catat pengecualian kehadiran" in panel
    # An inspector sees the file's attendance but may not excuse it.
    assert "Catat pengecualian kehadiran" not in page_of(
        "permits/appointments/_file_bookings.html", sip, office.inspector
    )

    clocks.set(2026, 8, 12, 8, 10)
    services.booking_mark_attendance(
        tenant=office.tenant, booking=booking, outcome="attended", actor=office.frontdesk
    )
    panel = page_of("permits/appointments/_file_bookings.html", sip, office.verifier)
    assert "Pemohon hadir di loket pada 12 Agustus 2026" in panel and "Fani Loket" in panel
    assert "Catat pengecualian kehadiran" not in panel


def test_the_exception_form_posts_back_to_the_file(office, sip, client):
    url = reverse(
        "permits:appointments:file_attendance_override", kwargs={"tenant": office.tenant.slug, "pk": sip.pk}
    )
    login(client, office.inspector)
    assert client.post(url, {"kehadiran-reason": "Dokumen asli sudah diperiksa di loket."}).status_code == 403
    login(client, office.frontdesk)
    response = client.post(url, {"kehadiran-reason": "Dokumen asli sudah diperiksa di loket."})
    assert response.status_code == 303
    assert response["Location"] == reverse(
        "permits:office_detail", kwargs={"tenant": office.tenant.slug, "pk": sip.pk}
    )
    assert AttendanceOverride.objects.get(application=sip).actor == office.frontdesk


def test_the_front_desk_day_links_each_booking_to_its_file(office, sip, client):
    book(office, sip)
    login(client, office.frontdesk)
    page = client.get(
        reverse("permits:appointments:desk_day", kwargs={"tenant": office.tenant.slug}),
        {"day": WED.isoformat()},
    ).content.decode()
    assert f"berkas {sip.registration_number}" in page
    assert reverse("permits:office_detail", kwargs={"tenant": office.tenant.slug, "pk": sip.pk}) in page


def test_the_office_file_page_shows_the_booking_and_why_verification_waits(office, sip, client):
    booking = book(office, sip)
    login(client, office.verifier)
    page = client.get(reverse("permits:office_detail", kwargs={"tenant": office.tenant.slug, "pk": sip.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Janji temu dan kehadiran" in html and booking.code in html
    assert "Catat pengecualian kehadiran" in html
    assert "belum dicatat hadir pada janji temu" in html  # the blocked verify action says what is missing
