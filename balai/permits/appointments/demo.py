"""Demo data of the appointments app: capacity for the next ten working days of every demo service that
needs an appointment. Chain it after the permits catalogue: `demo_appointments(tenant=tenant, actor=actor)`."""

from __future__ import annotations

from django.db import transaction

from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for

from . import clock
from .models import ServiceDay
from .selectors import appointment_services
from .services import capacity_publish, default_release_at

DEMO_WINDOWS = (
    {"start": "08:00", "end": "09:00", "capacity": 10},
    {"start": "09:00", "end": "10:00", "capacity": 10},
    {"start": "10:00", "end": "11:00", "capacity": 10},
    {"start": "13:00", "end": "14:00", "capacity": 8},
    {"start": "14:00", "end": "15:00", "capacity": 8},
)
DEMO_DAYS = 10


@transaction.atomic
def demo_appointments(*, tenant: Tenant, actor=None) -> list[ServiceDay]:
    """Publish DEMO_WINDOWS on the next DEMO_DAYS working days (from tomorrow) for each published permit
    type with `needs_appointment`. Booking for a day opens 7 days before at 07:00 tenant time, so the first
    days can be booked at once and the later ones show when they open. Idempotent: days already published are skipped."""
    calendar = calendar_for(tenant)
    now = clock.now()
    days, day = [], calendar.local_date(now)
    while len(days) < DEMO_DAYS:
        day = calendar.next_working_day(day)
        days.append(day)
    published = []
    for permit_type in appointment_services(tenant=tenant):
        taken = set(ServiceDay.objects.filter(tenant=tenant, permit_type=permit_type, day__in=days).values_list("day", flat=True))
        for day in days:
            if day in taken:
                continue
            release_at = default_release_at(tenant=tenant, day=day)
            published.append(
                capacity_publish(
                    tenant=tenant, permit_type=permit_type, day=day, windows=DEMO_WINDOWS, release_at=release_at,
                    actor=actor,
                )
            )
    return published
