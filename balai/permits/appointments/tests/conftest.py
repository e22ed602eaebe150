"""Fixtures of the appointments tests: a service that needs an appointment in Kota Serang (and one in
Kota Cilegon), people with real NIKs, front-desk staff, and the app's clock held still on a Monday."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from balai.core.accounts.models import User
from balai.permits.appointments import clock
from balai.permits.services import permit_type_save
from balai.testing.personas import make_person

WIB = ZoneInfo("Asia/Jakarta")
# Monday 10 August 2026, 09:00 WIB; Monday 17 August is Independence Day.
START = dt.datetime(2026, 8, 10, 9, 0, tzinfo=WIB)
WINDOWS = [{"start": "08:00", "end": "09:00", "capacity": 2}, {"start": "09:00", "end": "10:00", "capacity": 3}]


def nik(n: int, region: str = "367301") -> str:
    """A valid NIK (district 36.73.01 Serang, born 1 January 1990) with serial `n`."""
    return f"{region}010190{n:04d}"


def person(name: str, tenant, n: int, roles=None) -> User:
    user = make_person(name, tenant=tenant, roles=roles or ["core.citizen"])
    user.nik = nik(n)
    user.save(update_fields=["nik"])
    return user


class Moment:
    def __init__(self):
        self.value = START

    def set(self, *args):
        self.value = dt.datetime(*args, tzinfo=WIB)
        return self.value

    def advance(self, **delta):
        self.value += dt.timedelta(**delta)
        return self.value


@pytest.fixture
def moment(monkeypatch):
    m = Moment()
    monkeypatch.setattr(clock, "now", lambda: m.value)
    return m


def make_service(tenant, code="loket_sip", name="Pemeriksaan berkas SIP di loket"):
    return permit_type_save(
        tenant=tenant, actor=None, code=code, name=name, sla_days=5, needs_appointment=True, is_published=True,
        form_fields=[], documents=[], note="uji",
    )


@dataclass
class Desk:
    tenant: object
    service: object
    admin: object
    frontdesk: object
    citizen: object


@pytest.fixture
def desk(world, moment):
    tenant = world.serang.tenant
    citizen = world.serang.people["citizen"]
    citizen.nik = nik(1)
    citizen.save(update_fields=["nik"])
    return Desk(
        tenant=tenant,
        service=make_service(tenant),
        admin=world.serang.people["admin"],
        frontdesk=make_person("Fani Loket", tenant=tenant, roles=["permits.frontdesk", "core.officer"]),
        citizen=citizen,
    )
