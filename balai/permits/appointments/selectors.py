"""Reads of the appointments app. Every read takes the tenant; a foreign tenant's object is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from balai.core.tenants.models import Tenant
from balai.permits.models import PermitType

from .models import Booking, CapacityChange, PowerOfAttorney, ServiceDay, SlotCounter


def appointment_services(*, tenant: Tenant, public: bool = True) -> QuerySet[PermitType]:
    """The tenant's permit types that need an appointment (published ones only, with `public`)."""
    rows = PermitType.objects.filter(tenant=tenant, needs_appointment=True)
    if public:
        rows = rows.filter(is_published=True)
    return rows.order_by("name")


def appointment_service_get(*, tenant: Tenant, pk: int, public: bool = True) -> PermitType:
    found = appointment_services(tenant=tenant, public=public).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class DayCapacity:
    service_day: ServiceDay
    slots: list[SlotCounter]
    released: bool

    @property
    def capacity(self) -> int:
        return sum(s.capacity for s in self.slots)

    @property
    def remaining(self) -> int:
        return sum(s.remaining for s in self.slots)


def service_days(
    *, tenant: Tenant, permit_type: PermitType, first: dt.date, last: dt.date, now: dt.datetime
) -> list[DayCapacity]:
    """Published days of a service between two dates, each with its windows (capacity and booked)."""
    days = list(
        ServiceDay.objects.filter(tenant=tenant, permit_type=permit_type, day__range=(first, last)).order_by("day")
    )
    slots: dict[int, list[SlotCounter]] = {d.pk: [] for d in days}
    for slot in SlotCounter.objects.filter(tenant=tenant, service_day__in=days).order_by("starts_at"):
        slots[slot.service_day_id].append(slot)
    return [DayCapacity(d, slots[d.pk], d.is_released(now)) for d in days]


def capacity_changes_public(*, tenant: Tenant, permit_type: PermitType, limit: int = 100) -> list[CapacityChange]:
    """The public history of a service's capacity: publications and changes, newest first, with reasons."""
    return list(
        CapacityChange.objects.filter(tenant=tenant, permit_type=permit_type)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )


def service_day_get(*, tenant: Tenant, pk: int) -> ServiceDay:
    found = ServiceDay.objects.filter(tenant=tenant, pk=pk).select_related("permit_type").first()
    if found is None:
        raise Http404
    return found


def service_day_slots(*, tenant: Tenant, service_day: ServiceDay) -> list[SlotCounter]:
    return list(SlotCounter.objects.filter(tenant=tenant, service_day=service_day).order_by("starts_at"))


def slot_get(*, tenant: Tenant, permit_type: PermitType, pk: int) -> SlotCounter | None:
    return SlotCounter.objects.filter(tenant=tenant, permit_type=permit_type, pk=pk).select_related("service_day").first()


_BOOKING_RELATED = ("permit_type", "slot", "booker", "agent", "applicant_user", "application")


def bookings_of_person(*, tenant: Tenant, user) -> QuerySet[Booking]:
    """Bookings the person made (also as an agent) or that are for them, newest day first."""
    return (
        Booking.objects.filter(tenant=tenant)
        .filter(Q(booker=user) | Q(applicant_user=user))
        .select_related(*_BOOKING_RELATED)
        .order_by("-day", "-created_at")
    )


def booking_for_person(*, tenant: Tenant, user, code: str) -> Booking:
    """One booking by code, for its booker or applicant only; 404 for anyone else (same as missing)."""
    if user is None or not user.is_authenticated:
        raise Http404
    found = bookings_of_person(tenant=tenant, user=user).filter(code=code).first()
    if found is None:
        raise Http404
    return found


def booking_for_desk(*, tenant: Tenant, code: str) -> Booking:
    found = Booking.objects.filter(tenant=tenant, code=code).select_related(*_BOOKING_RELATED).first()
    if found is None:
        raise Http404
    return found


def desk_day_bookings(*, tenant: Tenant, day: dt.date, permit_type: PermitType | None = None) -> list[Booking]:
    """A day's bookings (not cancelled) for the front desk, by window and time of booking."""
    rows = (
        Booking.objects.filter(tenant=tenant, day=day)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related(*_BOOKING_RELATED)
        .order_by("permit_type__name", "slot__starts_at", "created_at")
    )
    if permit_type is not None:
        rows = rows.filter(permit_type=permit_type)
    return list(rows)


def powers_of_attorney_of(*, tenant: Tenant, user) -> list[PowerOfAttorney]:
    """Letters the person granted or received."""
    return list(
        PowerOfAttorney.objects.filter(tenant=tenant)
        .filter(Q(applicant=user) | Q(agent=user))
        .select_related("agent", "applicant", "permit_type")
        .order_by("-created_at")
    )


def power_of_attorney_for_applicant(*, tenant: Tenant, user, pk: int) -> PowerOfAttorney:
    found = PowerOfAttorney.objects.filter(tenant=tenant, applicant=user, pk=pk).first()
    if found is None:
        raise Http404
    return found


def powers_of_attorney_pending(*, tenant: Tenant) -> list[PowerOfAttorney]:
    return list(
        PowerOfAttorney.objects.filter(tenant=tenant, status=PowerOfAttorney.Status.PENDING)
        .select_related("agent", "applicant", "permit_type", "document")
        .order_by("created_at")
    )


def power_of_attorney_get(*, tenant: Tenant, pk: int) -> PowerOfAttorney:
    found = (
        PowerOfAttorney.objects.filter(tenant=tenant, pk=pk)
        .select_related("agent", "applicant", "permit_type", "document")
        .first()
    )
    if found is None:
        raise Http404
    return found


def bookable_slots(*, tenant: Tenant, permit_type: PermitType, now: dt.datetime, limit_days: int = 31) -> list[SlotCounter]:
    """Windows one can book right now: released, not started, with a free place, on working days."""
    from balai.core.workdays.selectors import calendar_for

    calendar = calendar_for(tenant)
    local_now = now.astimezone(calendar.zone)
    rows = (
        SlotCounter.objects.filter(
            tenant=tenant, permit_type=permit_type, day__gte=local_now.date(),
            day__lte=local_now.date() + dt.timedelta(days=limit_days), service_day__release_at__lte=now,
        )
        .filter(booked__lt=models.F("capacity"))
        .order_by("day", "starts_at")
    )
    return [
        s for s in rows
        if calendar.is_working_day(s.day) and not (s.day == local_now.date() and s.starts_at <= local_now.time())
    ]
