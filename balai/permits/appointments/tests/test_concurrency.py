"""Two hundred people press "Pesan" at once for fifty places, on PostgreSQL: fifty bookings, never more.

Real parallel transactions, each in its own thread and connection. PostgreSQL's default allows 100
connections, so at most CONNECTIONS attempts hold one at a time; the rest queue on a semaphore and
pile in as places are taken, which keeps the counter row contended throughout.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from balai.core.audit.verify import verify_chain
from balai.permits.appointments import services
from balai.permits.appointments.models import Booking, SlotCounter
from balai.permits.appointments.services import AppointmentRefused
from balai.testing.personas import build_world

from .conftest import make_service, nik, person

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real parallel transactions need PostgreSQL"),
]

ATTEMPTS = 200
PLACES = 50
CONNECTIONS = 40
DAY = dt.date(2026, 8, 12)


def _run_in_parallel(n, attempt):
    barrier = threading.Barrier(n)
    gate = threading.Semaphore(CONNECTIONS)
    results, refusals, errors = [], [], []

    def worker(i):
        try:
            barrier.wait()
            with gate:
                try:
                    results.append(attempt(i))
                except AppointmentRefused as exc:
                    refusals.append(exc.code)
                finally:
                    connections.close_all()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, refusals, errors


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_bookings_for_fifty_places_leave_exactly_fifty(moment):
    world = build_world()
    tenant = world.serang.tenant
    service = make_service(tenant)
    services.capacity_publish(
        tenant=tenant, permit_type=service, day=DAY, windows=[{"start": "08:00", "end": "12:00", "capacity": PLACES}],
        actor=world.serang.people["admin"],
    )
    people = [person(f"Warga {i:03d}", tenant, 100 + i) for i in range(ATTEMPTS)]

    def attempt(i):
        return services.booking_create(
            tenant=tenant, permit_type=service, day=DAY, window="08:00", booker=people[i],
            applicant_nik=people[i].nik, actor=people[i],
        )

    booked, refusals, errors = _run_in_parallel(ATTEMPTS, attempt)

    assert errors == []
    assert len(booked) == PLACES
    assert refusals == ["full"] * (ATTEMPTS - PLACES)
    assert Booking.objects.filter(tenant=tenant, status="active").count() == PLACES
    assert SlotCounter.objects.get(tenant=tenant, day=DAY).booked == PLACES
    assert verify_chain(tenant).ok


@pytest.mark.django_db(transaction=True)
def test_one_nik_pressing_many_times_at_once_gets_one_booking(moment, monkeypatch):
    monkeypatch.setitem(services.RATE_LIMITS, "account", (1000, 3600))
    world = build_world()
    tenant = world.serang.tenant
    service = make_service(tenant)
    services.capacity_publish(
        tenant=tenant, permit_type=service, day=DAY,
        windows=[{"start": "08:00", "end": "09:00", "capacity": 20}, {"start": "09:00", "end": "10:00", "capacity": 20}],
        actor=world.serang.people["admin"],
    )
    citizen = person("Warga Gigih", tenant, 7)
    attempts = 30

    def attempt(i):
        return services.booking_create(
            tenant=tenant, permit_type=service, day=DAY, window="08:00" if i % 2 else "09:00", booker=citizen,
            applicant_nik=nik(7), actor=citizen,
        )

    booked, refusals, errors = _run_in_parallel(attempts, attempt)

    assert errors == []
    assert len(booked) == 1
    assert refusals == ["duplicate"] * (attempts - 1)
    assert Booking.objects.filter(tenant=tenant, status="active").count() == 1
    assert sum(SlotCounter.objects.filter(tenant=tenant).values_list("booked", flat=True)) == 1
