"""Reads on the working-day calendar. Every read takes the tenant.

The tenant's changes of one year are one small query, kept in the cache under a per tenant-year key
that the services delete after a change commits; national holidays are computed in-process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.http import Http404
from django.utils import translation

from balai.core.tenants.models import Tenant

from .calendar import WORKING, Change, NamedDay, WorkCalendar
from .models import DayOff

# Other processes may hold a year for this long after a change when the cache is per process (locmem).
CACHE_SECONDS = 300


def _cache_key(tenant_id: int, year: int) -> str:
    return f"workdays:changes:{tenant_id}:{year}"


def forget_year(*, tenant_id: int, year: int) -> None:
    """Drop the cached changes of a tenant-year (called by the services after commit)."""
    cache.delete(_cache_key(tenant_id, year))


def tenant_changes(*, tenant: Tenant, year: int) -> tuple[Change, ...]:
    key = _cache_key(tenant.pk, year)
    found = cache.get(key)
    if found is None:
        rows = DayOff.objects.filter(tenant=tenant, date__year=year).values_list("date", "kind", "name")
        found = tuple(Change(day, kind, name) for day, kind, name in rows)
        cache.set(key, found, CACHE_SECONDS)
    return found


def calendar_for(tenant: Tenant, *, language: str | None = None) -> WorkCalendar:
    """The tenant's working-day calendar, in its time zone; holiday names in `language` (the active
    language when None). Cheap to build; keep one per request or per batch job."""
    return WorkCalendar(
        timezone=tenant.timezone,
        changes=lambda year: tenant_changes(tenant=tenant, year=year),
        language=language or translation.get_language(),
    )


def days_off(*, tenant: Tenant, year: int) -> list[DayOff]:
    """The tenant's own changes of a year (local days off, extra cuti bersama, kept working days)."""
    return list(
        DayOff.objects.filter(tenant=tenant, date__year=year).select_related("created_by").order_by("date")
    )


def day_off_get(*, tenant: Tenant, pk: int) -> DayOff:
    """One of the tenant's changes; 404 when it does not exist or belongs to another tenant."""
    found = DayOff.objects.filter(tenant=tenant, pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class OverviewDay:
    """One line of the year's calendar page."""

    date: date
    kind: str  # calendar.NATIONAL, NATIONAL_COLLECTIVE, LOCAL, COLLECTIVE (or WORKING for a stale change)
    name: str
    is_working: bool  # a national day this tenant keeps as a working day
    working_reason: str
    day_off: DayOff | None  # the tenant's row behind this line, which an administrator may remove

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


def year_overview(*, tenant: Tenant, year: int, language: str | None = None) -> list[OverviewDay]:
    """National holidays, cuti bersama and the tenant's days off of a year, merged in date order, with
    names in `language` (the request's language when None). A national day the tenant keeps working
    is listed with is_working=True and the tenant's reason."""
    rows = {row.date: row for row in days_off(tenant=tenant, year=year)}
    calendar = WorkCalendar(
        timezone=tenant.timezone,
        changes=lambda _year: [Change(row.date, row.kind, row.name) for row in rows.values()],
        language=language or translation.get_language(),
    )
    named: list[NamedDay] = calendar.named_days(year)
    found = [
        OverviewDay(
            date=day.date,
            kind=day.kind,
            name=day.name,
            is_working=day.is_working,
            working_reason=day.working_reason,
            day_off=rows.get(day.date),
        )
        for day in named
    ]
    # A change that no longer changes anything (the national calendar moved under it) stays listed so
    # that the administrator can see and remove it.
    shown = {day.date for day in named}
    found += [
        OverviewDay(row.date, row.kind, row.name, row.kind == WORKING, "", row)
        for row in rows.values()
        if row.date not in shown
    ]
    return sorted(found, key=lambda day: day.date)
