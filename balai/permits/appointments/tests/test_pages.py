"""The pages people use: book and see it, the front desk records attendance, the administrator changes
capacity with a reason."""

from django.urls import reverse

from balai.permits.appointments.models import Booking, CapacityChange, SlotCounter
from balai.testing.clients import login

from .test_booking import WED, publish


def url(desk, name, **kwargs):
    return reverse(f"permits:appointments:{name}", kwargs={"tenant": desk.tenant.slug, **kwargs})


def test_a_citizen_books_from_the_page_and_sees_it(desk, client):
    service_day = publish(desk)
    slot = service_day.slots.get(starts_at__hour=9)
    login(client, desk.citizen)
    page = client.get(url(desk, "book", type_id=desk.service.pk))
    assert page.status_code == 200 and "sisa 3 tempat" in page.content.decode()
    response = client.post(url(desk, "book", type_id=desk.service.pk), {"slot": slot.pk, "applicant_nik": desk.citizen.nik})
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.slot == slot
    mine = client.get(url(desk, "mine")).content.decode()
    assert booking.code in mine and "3673********0001" in mine
    again = client.post(url(desk, "book", type_id=desk.service.pk), {"slot": slot.pk, "applicant_nik": desk.citizen.nik})
    assert again.status_code == 400 and "sudah memiliki janji temu aktif" in again.content.decode()


def test_someone_elses_nik_is_refused_beside_the_field(desk, client):
    publish(desk)
    login(client, desk.citizen)
    slot = SlotCounter.objects.first()
    response = client.post(url(desk, "book", type_id=desk.service.pk), {"slot": slot.pk, "applicant_nik": "3673010101900777"})
    assert response.status_code == 400 and "surat kuasa" in response.content.decode()


def test_front_desk_marks_attendance(desk, client, moment, settings):
    settings.WAIVE_OFFICER_2FA = True
    from balai.permits.appointments import services

    publish(desk)
    booking = services.booking_create(
        tenant=desk.tenant, permit_type=desk.service, day=WED, window="08:00", booker=desk.citizen,
        applicant_nik=desk.citizen.nik, actor=desk.citizen,
    )
    moment.set(2026, 8, 12, 8, 5)
    login(client, desk.frontdesk)
    day_page = client.get(url(desk, "desk_day") + "?day=2026-08-12")
    assert booking.code in day_page.content.decode()
    response = client.post(url(desk, "desk_mark", code=booking.code), {"outcome": "no_show"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "no_show" and booking.marked_by == desk.frontdesk


def test_admin_changes_capacity_after_release_only_with_a_reason(desk, client):
    service_day = publish(desk)
    login(client, desk.admin)
    target = url(desk, "admin_day", day_id=service_day.pk)
    response = client.post(target, {"windows": "08:00-09:00 1\n09:00-10:00 3", "reason": ""})
    assert response.status_code == 400 and "alasan" in response.content.decode()
    response = client.post(target, {"windows": "08:00-09:00 1\n09:00-10:00 3", "reason": "Satu petugas cuti sakit"})
    assert response.status_code == 302
    assert CapacityChange.objects.filter(kind="change", reason="Satu petugas cuti sakit", after_release=True).exists()


def test_admin_publishes_working_days_only(desk, client):
    login(client, desk.admin)
    response = client.post(
        url(desk, "admin_index"),
        {
            "permit_type": desk.service.pk, "first": "2026-08-14", "last": "2026-08-18",
            "windows": "08:00-09:00 10", "release_days_before": 7, "release_time": "07:00",
        },
    )
    assert response.status_code == 302
    days = sorted(d.isoformat() for d in CapacityChange.objects.values_list("day", flat=True))
    # Friday 14 and Tuesday 18; the weekend and Independence Day (Monday 17) are skipped.
    assert days == ["2026-08-14", "2026-08-18"]
