"""Capacity: published with release times, changes after release need a reason, are audited and public;
and the integrity checks find the patterns the inspectorate looks for."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.integrity.models import Finding
from balai.core.integrity.services import checks_run
from balai.core.tenants.services import tenant_module_configure
from balai.permits.appointments import services
from balai.permits.appointments.models import CapacityChange, SlotCounter
from balai.permits.appointments.services import AppointmentRefused

from .conftest import WIB, WINDOWS, person
from .test_booking import WED, book, publish, refused


def test_the_default_release_is_seven_days_before_at_seven(desk):
    service_day = publish(desk)
    assert service_day.release_at == dt.datetime(2026, 8, 5, 7, 0, tzinfo=WIB)
    refused("already_published", publish, desk)


def test_it_refuses_overlapping_or_empty_windows(desk):
    refused("overlap", publish, desk, windows=[("08:00", "09:30", 5), ("09:00", "10:00", 5)])
    refused("no_windows", publish, desk, windows=[])
    refused("window_order", publish, desk, windows=[("10:00", "09:00", 5)])


def test_it_refuses_a_service_without_appointments(desk):
    desk.service.needs_appointment = False
    refused("no_appointments", publish, desk)


def test_a_change_before_release_needs_no_reason(desk, moment):
    service_day = publish(desk, day=dt.date(2026, 8, 24))  # opens 17 August
    change = services.capacity_change(
        tenant=desk.tenant, service_day=service_day, windows=[("08:00", "09:00", 1), ("09:00", "10:00", 3)], actor=desk.admin
    )
    assert (change.after_release, change.reduced, change.total_before, change.total_after) == (False, True, 5, 4)


def test_a_change_after_release_needs_a_reason_is_audited_and_public(desk, client):
    service_day = publish(desk)
    book(desk, desk.citizen, window="09:00")
    new = [("08:00", "09:00", 2), ("09:00", "10:00", 1)]
    error = refused("reason_required", services.capacity_change, tenant=desk.tenant, service_day=service_day, windows=new, actor=desk.admin)
    assert "alasan" in error.messages[0]
    refused(
        "below_booked", services.capacity_change, tenant=desk.tenant, service_day=service_day,
        windows=[("08:00", "09:00", 2), ("09:00", "10:00", 0)], reason="Petugas loket sakit mendadak", actor=desk.admin,
    )
    change = services.capacity_change(
        tenant=desk.tenant, service_day=service_day, windows=new, reason="Petugas loket sakit mendadak", actor=desk.admin
    )
    assert (change.after_release, change.reduced, change.total_before, change.total_after) == (True, True, 5, 3)
    entry = AuditEntry.objects.filter(tenant=desk.tenant, action="permits.appointments.capacity_change").latest("pk")
    assert entry.data["reason"] == "Petugas loket sakit mendadak" and entry.data["after_release"] is True
    page = Client().get(
        reverse("permits:appointments:public_service", kwargs={"tenant": desk.tenant.slug, "type_id": desk.service.pk})
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Petugas loket sakit mendadak" in text and "5 → 3" in text and "Transparansi kuota" in text


def test_a_window_with_bookings_cannot_be_removed_but_an_empty_one_can(desk):
    service_day = publish(desk)
    book(desk, desk.citizen, window="08:00")
    refused(
        "below_booked", services.capacity_change, tenant=desk.tenant, service_day=service_day,
        windows=[("09:00", "10:00", 3)], reason="Sesi pagi ditiadakan", actor=desk.admin,
    )
    services.capacity_change(
        tenant=desk.tenant, service_day=service_day, windows=[("08:00", "09:00", 2), ("10:00", "11:00", 4)],
        reason="Sesi pukul sembilan digeser", actor=desk.admin,
    )
    assert sorted((s.starts_at.hour, s.capacity) for s in SlotCounter.objects.filter(service_day=service_day)) == [(8, 2), (10, 4)]


def _run(desk, code):
    tenant_module_configure(tenant=desk.tenant, module="permits", enabled=True, settings={}, actor=desk.admin)
    run = checks_run(tenant=desk.tenant, codes=[code], trigger="on_demand", actor=desk.admin)
    assert run.errors == {}
    return list(Finding.objects.filter(tenant=desk.tenant, check_code=code))


def test_check_capacity_reduced_after_release(desk):
    service_day = publish(desk)
    services.capacity_change(
        tenant=desk.tenant, service_day=service_day, windows=[("08:00", "09:00", 1), ("09:00", "10:00", 3)],
        reason="Ruang loket dipakai rapat", actor=desk.admin,
    )
    services.capacity_change(
        tenant=desk.tenant, service_day=service_day, windows=[("08:00", "09:00", 4), ("09:00", "10:00", 3)],
        reason="Tambahan petugas dari bidang lain", actor=desk.admin,
    )
    findings = _run(desk, "permits.capacity_reduced_after_release")
    assert len(findings) == 1  # the increase is no red flag
    assert "5 menjadi 4" in findings[0].summary


def test_check_slot_released_and_rebooked_by_the_same_party(desk, moment, rf):
    publish(desk)
    scalper = person("Calo", desk.tenant, 70)
    buyer = person("Pembeli", desk.tenant, 71)
    honest = person("Warga Jujur", desk.tenant, 72)
    request = rf.post("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Calo-Browser")
    held = book(desk, scalper, request=request)
    services.booking_cancel(tenant=desk.tenant, booking=held, actor=scalper)
    moment.advance(seconds=20)
    book(desk, buyer, request=rf.post("/", REMOTE_ADDR="203.0.113.50", HTTP_USER_AGENT="Lain"))  # same /24
    # Someone elsewhere taking a freed place a while later is normal.
    other = book(desk, honest, window="09:00")
    services.booking_cancel(tenant=desk.tenant, booking=other, actor=honest)
    moment.advance(minutes=10)
    book(desk, person("Warga Lain", desk.tenant, 73), window="09:00")
    findings = _run(desk, "permits.slot_released_and_rebooked")
    assert len(findings) == 1
    assert "20 detik" in findings[0].summary


def test_check_many_bookings_sharing_a_device_or_network(desk, rf):
    services.capacity_publish(
        tenant=desk.tenant, permit_type=desk.service, day=WED, windows=[("08:00", "12:00", 50)], actor=desk.admin
    )
    for i in range(5):
        request = rf.post("/", REMOTE_ADDR=f"198.51.100.{10 + i}", HTTP_USER_AGENT="Mesin-Calo/1.0")
        book(desk, person(f"Nama Pinjaman {i}", desk.tenant, 80 + i), request=request, contact_phone="081200000001")
    book(desk, desk.citizen, request=rf.post("/", REMOTE_ADDR="192.0.2.1", HTTP_USER_AGENT="Firefox"))
    findings = _run(desk, "permits.bookings_share_contact")
    kinds = sorted(f.fingerprint.split(":")[0] for f in findings)
    assert kinds == ["contact_phone", "device_hash", "network"]
    assert all("5 orang berbeda" in f.summary for f in findings)


def test_capacity_refusals_name_what_to_do(desk):
    with pytest.raises(AppointmentRefused) as exc:
        services.windows_parse([("8", "9", 5)])
    assert "08:00" in exc.value.messages[0]
    assert CapacityChange.objects.count() == 0
    assert WINDOWS
