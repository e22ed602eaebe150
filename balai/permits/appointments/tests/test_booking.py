"""Booking rules a person notices: release time, working days, capacity, one booking per NIK per service,
reschedule limit, agents with a power of attorney and within a cap, rate limits."""

import datetime as dt

import pytest

from balai.core.audit.models import AuditEntry
from balai.core.files.tests.factories import pdf_bytes, upload
from balai.core.tenants.services import tenant_module_configure
from balai.permits.appointments import services
from balai.permits.appointments.models import Booking, SlotCounter
from balai.permits.appointments.services import AppointmentRefused

from .conftest import WINDOWS, nik, person

WED = dt.date(2026, 8, 12)
THU = dt.date(2026, 8, 13)


def publish(desk, day=WED, windows=WINDOWS, release_at=None):
    return services.capacity_publish(
        tenant=desk.tenant, permit_type=desk.service, day=day, windows=windows, release_at=release_at, actor=desk.admin
    )


def book(desk, booker, applicant_nik=None, day=WED, window="08:00", **kw):
    return services.booking_create(
        tenant=desk.tenant, permit_type=desk.service, day=day, window=window, booker=booker,
        applicant_nik=applicant_nik or booker.nik, actor=booker, **kw,
    )


def refused(code, fn, *args, **kwargs):
    with pytest.raises(AppointmentRefused) as exc:
        fn(*args, **kwargs)
    assert exc.value.code == code, exc.value.messages
    return exc.value


def test_it_books_a_place_and_counts_it(desk):
    publish(desk)
    booking = book(desk, desk.citizen)
    assert booking.status == "active" and booking.code.startswith("JT-")
    assert booking.applicant_nik_masked == "3673********0001"
    assert booking.applicant_user == desk.citizen and booking.agent is None
    assert SlotCounter.objects.get(pk=booking.slot_id).booked == 1
    assert AuditEntry.objects.filter(tenant=desk.tenant, action="permits.appointments.booking_create").count() == 1


def test_it_refuses_a_full_window(desk):
    publish(desk)
    book(desk, person("A Satu", desk.tenant, 11))
    book(desk, person("A Dua", desk.tenant, 12))
    error = refused("full", book, desk, person("A Tiga", desk.tenant, 13))
    assert "penuh" in error.messages[0]
    assert SlotCounter.objects.get(day=WED, starts_at=dt.time(8)).booked == 2


def test_it_refuses_before_release(desk, moment):
    publish(desk, release_at=dt.datetime(2026, 8, 11, 7, 0, tzinfo=moment.value.tzinfo))
    error = refused("not_released", book, desk, desk.citizen)
    assert "11 Agustus 2026 07.00" in error.messages[0]
    moment.set(2026, 8, 11, 7, 0)
    assert book(desk, desk.citizen).status == "active"


def test_it_refuses_a_national_holiday_when_publishing(desk):
    error = refused("not_working_day", publish, desk, day=dt.date(2026, 8, 17))
    assert "17 Agustus 2026" in error.messages[0]
    refused("not_working_day", publish, desk, day=dt.date(2026, 8, 15))  # a Saturday


def test_it_refuses_a_day_that_became_a_local_day_off(desk, django_capture_on_commit_callbacks):
    from balai.core.workdays.services import day_off_add

    publish(desk)
    with django_capture_on_commit_callbacks(execute=True):
        day_off_add(tenant=desk.tenant, date=WED, kind="local", name="Hari jadi Kota Serang", actor=desk.admin)
    error = refused("not_working_day", book, desk, desk.citizen)
    assert "Hari jadi Kota Serang" in error.messages[0]


def test_it_refuses_past_days_and_started_windows(desk, moment):
    publish(desk)
    moment.set(2026, 8, 12, 8, 30)
    refused("past", book, desk, desk.citizen, window="08:00")
    assert book(desk, desk.citizen, window="09:00").status == "active"
    moment.set(2026, 8, 13, 8, 0)
    refused("past", book, desk, person("B", desk.tenant, 20), window="09:00")


def test_one_active_booking_per_nik_per_service(desk):
    publish(desk)
    publish(desk, day=THU)
    first = book(desk, desk.citizen)
    refused("duplicate", book, desk, desk.citizen, day=THU, window="09:00")
    # Another service is another queue.
    from .conftest import make_service

    other = make_service(desk.tenant, code="loket_reklame", name="Konsultasi reklame")
    services.capacity_publish(tenant=desk.tenant, permit_type=other, day=WED, windows=WINDOWS, actor=desk.admin)
    services.booking_create(
        tenant=desk.tenant, permit_type=other, day=WED, window="08:00", booker=desk.citizen,
        applicant_nik=desk.citizen.nik, actor=desk.citizen,
    )
    # Once cancelled, the NIK may book again.
    services.booking_cancel(tenant=desk.tenant, booking=first, actor=desk.citizen)
    assert book(desk, desk.citizen, day=THU).status == "active"


def test_the_database_refuses_a_second_active_booking_for_a_nik(desk):
    from django.db import IntegrityError, transaction

    publish(desk)
    first = book(desk, desk.citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            tenant=desk.tenant, code="JT-DUPLIKAT", permit_type=desk.service, slot=first.slot, day=WED,
            booker=desk.citizen, applicant_nik_hash=first.applicant_nik_hash, applicant_nik_masked="x",
        )


def test_a_booking_is_personal_someone_else_cannot_book_a_nik_without_power_of_attorney(desk):
    publish(desk)
    agent = person("Biro Jasa Cepat", desk.tenant, 30)
    error = refused("no_power_of_attorney", book, desk, agent, applicant_nik=desk.citizen.nik)
    assert "surat kuasa" in error.messages[0]
    entry = AuditEntry.objects.filter(tenant=desk.tenant, action="permits.appointments.booking_refused").latest("pk")
    assert entry.data["reason"] == "no_power_of_attorney"
    assert not Booking.objects.exists()


def grant(desk, applicant, agent, **kw):
    poa = services.power_of_attorney_register(
        tenant=desk.tenant, applicant=applicant, agent_email=agent.email, valid_until=dt.date(2026, 12, 31),
        upload=upload(pdf_bytes("kuasa"), "kuasa.pdf"), actor=applicant, **kw,
    )
    return poa


def test_an_agent_books_with_a_verified_power_of_attorney(desk):
    publish(desk)
    agent = person("Biro Jasa Cepat", desk.tenant, 30)
    poa = grant(desk, desk.citizen, agent)
    refused("no_power_of_attorney", book, desk, agent, applicant_nik=desk.citizen.nik)  # still pending
    refused("forbidden", services.power_of_attorney_verify, tenant=desk.tenant, poa=poa, approve=True, actor=desk.citizen)
    refused("note_required", services.power_of_attorney_verify, tenant=desk.tenant, poa=poa, approve=False, actor=desk.frontdesk)
    services.power_of_attorney_verify(tenant=desk.tenant, poa=poa, approve=True, actor=desk.frontdesk)
    booking = book(desk, agent, applicant_nik=desk.citizen.nik)
    assert (booking.agent, booking.applicant_user, booking.power_of_attorney) == (agent, desk.citizen, poa)
    # The applicant sees and may cancel it.
    services.booking_cancel(tenant=desk.tenant, booking=booking, actor=desk.citizen)


def test_a_power_of_attorney_for_another_service_does_not_count(desk):
    from .conftest import make_service

    publish(desk)
    other = make_service(desk.tenant, code="loket_lain", name="Layanan lain")
    agent = person("Biro Jasa Cepat", desk.tenant, 30)
    poa = grant(desk, desk.citizen, agent, permit_type=other)
    services.power_of_attorney_verify(tenant=desk.tenant, poa=poa, approve=True, actor=desk.frontdesk)
    refused("no_power_of_attorney", book, desk, agent, applicant_nik=desk.citizen.nik)


def test_an_agent_stays_within_the_daily_cap(desk):
    tenant_module_configure(
        tenant=desk.tenant, module="permits", enabled=True, settings={"agent_booking_cap": 2, "reschedules_allowed": 2},
        actor=desk.admin,
    )
    publish(desk, windows=[{"start": "08:00", "end": "12:00", "capacity": 50}])
    agent = person("Biro Jasa Cepat", desk.tenant, 30)
    clients = [person(f"Klien {i}", desk.tenant, 40 + i) for i in range(3)]
    for client in clients:
        services.power_of_attorney_verify(tenant=desk.tenant, poa=grant(desk, client, agent), approve=True, actor=desk.frontdesk)
    book(desk, agent, applicant_nik=clients[0].nik)
    book(desk, agent, applicant_nik=clients[1].nik)
    error = refused("agent_cap", book, desk, agent, applicant_nik=clients[2].nik)
    assert "2 janji temu" in error.messages[0]
    assert AuditEntry.objects.filter(tenant=desk.tenant, action="permits.appointments.booking_refused").latest("pk").data["reason"] == "agent_cap"
    # The client may still book for themselves.
    assert book(desk, clients[2]).agent is None


def test_reschedule_moves_the_place_and_stops_at_the_limit(desk):
    publish(desk)
    publish(desk, day=THU)
    slots = {(s.day, s.starts_at.hour): s for s in SlotCounter.objects.all()}
    booking = book(desk, desk.citizen)
    booking = services.booking_reschedule(tenant=desk.tenant, booking=booking, window=slots[(THU, 8)], actor=desk.citizen)
    assert (booking.day, booking.reschedule_count) == (THU, 1)
    assert SlotCounter.objects.get(pk=slots[(WED, 8)].pk).booked == 0
    assert SlotCounter.objects.get(pk=slots[(THU, 8)].pk).booked == 1
    booking = services.booking_reschedule(tenant=desk.tenant, booking=booking, window=slots[(THU, 9)], actor=desk.citizen)
    error = refused(
        "reschedule_limit", services.booking_reschedule, tenant=desk.tenant, booking=booking, window=slots[(WED, 9)],
        actor=desk.citizen,
    )
    assert "2 kali" in error.messages[0]
    assert SlotCounter.objects.get(pk=slots[(THU, 9)].pk).booked == 1
    assert SlotCounter.objects.get(pk=slots[(WED, 9)].pk).booked == 0


def test_reschedule_into_a_full_window_keeps_the_old_place(desk):
    publish(desk)
    slots = {s.starts_at.hour: s for s in SlotCounter.objects.all()}
    booking = book(desk, desk.citizen, window="09:00")
    book(desk, person("A", desk.tenant, 11))
    book(desk, person("B", desk.tenant, 12))
    refused("full", services.booking_reschedule, tenant=desk.tenant, booking=booking, window=slots[8], actor=desk.citizen)
    booking.refresh_from_db()
    assert (booking.slot_id, booking.reschedule_count) == (slots[9].pk, 0)
    assert SlotCounter.objects.get(pk=slots[9].pk).booked == 1


def test_only_the_booker_or_applicant_may_reschedule_or_cancel(desk):
    publish(desk)
    booking = book(desk, desk.citizen)
    stranger = person("Orang Lain", desk.tenant, 50)
    slot = SlotCounter.objects.get(starts_at=dt.time(9))
    refused("forbidden", services.booking_reschedule, tenant=desk.tenant, booking=booking, window=slot, actor=stranger)
    refused("forbidden", services.booking_cancel, tenant=desk.tenant, booking=booking, actor=stranger)
    services.booking_cancel(tenant=desk.tenant, booking=booking, actor=desk.frontdesk)
    assert SlotCounter.objects.get(starts_at=dt.time(8)).booked == 0


def test_front_desk_records_attendance_and_no_shows_on_the_day(desk, moment):
    publish(desk)
    came = book(desk, desk.citizen)
    absent = book(desk, person("Tak Datang", desk.tenant, 60))
    refused("too_early", services.booking_mark_attendance, tenant=desk.tenant, booking=came, outcome="attended", actor=desk.frontdesk)
    moment.set(2026, 8, 12, 10, 0)
    refused("forbidden", services.booking_mark_attendance, tenant=desk.tenant, booking=came, outcome="attended", actor=desk.citizen)
    services.booking_mark_attendance(tenant=desk.tenant, booking=came, outcome="attended", actor=desk.frontdesk)
    services.booking_mark_attendance(tenant=desk.tenant, booking=absent, outcome="no_show", actor=desk.frontdesk)
    assert set(Booking.objects.values_list("status", flat=True)) == {"attended", "no_show"}
    refused("not_active", services.booking_cancel, tenant=desk.tenant, booking=absent, actor=desk.frontdesk)


def test_rate_limit_per_account(desk, monkeypatch):
    monkeypatch.setitem(services.RATE_LIMITS, "account", (3, 3600))
    publish(desk, windows=[{"start": "08:00", "end": "12:00", "capacity": 50}])
    for _i in range(3):
        refused("no_power_of_attorney", book, desk, desk.citizen, applicant_nik=nik(900 + _i))
    error = refused("rate_limited", book, desk, desk.citizen)
    assert "Tunggu" in error.messages[0]


def test_rate_limit_per_network_across_accounts(desk, monkeypatch, rf):
    monkeypatch.setitem(services.RATE_LIMITS, "network", (2, 3600))
    publish(desk, windows=[{"start": "08:00", "end": "12:00", "capacity": 50}])

    def request(ip):
        return rf.post("/", REMOTE_ADDR=ip, HTTP_USER_AGENT=f"Browser {ip}")

    book(desk, person("A", desk.tenant, 11), request=request("203.0.113.5"))
    book(desk, person("B", desk.tenant, 12), request=request("203.0.113.77"))
    refused("rate_limited", book, desk, person("C", desk.tenant, 13), request=request("203.0.113.200"))
    # Another network is not affected, and the booking remembers the network, not the address.
    other = book(desk, person("D", desk.tenant, 14), request=request("198.51.100.9"))
    assert other.network == "198.51.100.0/24" and len(other.device_hash) == 64


def test_rate_limit_per_device_across_accounts_and_networks(desk, monkeypatch, rf):
    """One phone booking for many accounts from changing addresses is still one device."""
    monkeypatch.setitem(services.RATE_LIMITS, "device", (2, 3600))
    publish(desk, windows=[{"start": "08:00", "end": "12:00", "capacity": 50}])

    def request(ip, agent="Phone A"):
        return rf.post("/", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent, HTTP_ACCEPT_LANGUAGE="id-ID")

    book(desk, person("A", desk.tenant, 21), request=request("203.0.113.5"))
    book(desk, person("B", desk.tenant, 22), request=request("198.51.100.7"))
    error = refused("rate_limited", book, desk, person("C", desk.tenant, 23), request=request("192.0.2.44"))
    assert "Tunggu sekitar 60 menit" in error.messages[0]
    # Another phone on the same network books.
    assert book(desk, person("D", desk.tenant, 24), request=request("192.0.2.44", agent="Phone B")).code


def test_bookings_stay_in_their_tenant(desk, world):
    publish(desk)
    booking = book(desk, desk.citizen)
    cilegon = world.cilegon.tenant
    with pytest.raises(ValueError):
        services.booking_cancel(tenant=cilegon, booking=booking, actor=desk.citizen)
    from django.http import Http404

    from balai.permits.appointments import selectors

    with pytest.raises(Http404):
        selectors.booking_for_person(tenant=cilegon, user=desk.citizen, code=booking.code)
    assert list(selectors.bookings_of_person(tenant=cilegon, user=desk.citizen)) == []
