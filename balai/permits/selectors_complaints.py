"""Reads of complaints (pengaduan) for the office and the applicant; every query takes the tenant.

Age of a complaint: the tenant's working days from its receipt to its answer, or to now while it is
open (`WorkCalendar.working_days_between`: a complaint received and answered the same day is 0). The spec
sets no deadline for answering, so the age is shown, not graded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for

from .models import Application, Complaint

OPEN = "open"
ANSWERED = "answered"
FILTERS = (OPEN, ANSWERED)
_RELATED = ("application", "application__permit_type", "author", "responded_by")


@dataclass(frozen=True)
class ComplaintRow:
    complaint: Complaint
    age_days: int  # working days from receipt to the answer, or to now while open

    @property
    def is_open(self) -> bool:
        return self.complaint.status == Complaint.Status.OPEN


def office_complaints(*, tenant: Tenant, status: str | None = None) -> QuerySet[Complaint]:
    """The tenant's complaints, open ones first, oldest first; `status` "open" or "answered" (closed
    ones count as answered) narrows them."""
    rows = Complaint.objects.filter(tenant=tenant).select_related(*_RELATED)
    if status == OPEN:
        rows = rows.filter(status=Complaint.Status.OPEN)
    elif status == ANSWERED:
        rows = rows.exclude(status=Complaint.Status.OPEN)
    return rows.annotate(
        _open_first=Case(
            When(status=Complaint.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("_open_first", "created_at", "pk")


def open_complaint_count(*, tenant: Tenant) -> int:
    return Complaint.objects.filter(tenant=tenant, status=Complaint.Status.OPEN).count()


def complaint_get(*, tenant: Tenant, pk: int) -> Complaint:
    """One of the tenant's complaints; 404 when missing or another tenant's."""
    found = Complaint.objects.filter(tenant=tenant, pk=pk).select_related(*_RELATED).first()
    if found is None:
        raise Http404
    return found


def complaints_of_application(*, tenant: Tenant, application: Application) -> list[Complaint]:
    """The complaints about one file, newest first."""
    return list(
        Complaint.objects.filter(tenant=tenant, application=application)
        .select_related("responded_by")
        .order_by("-created_at", "-pk")
    )


def complaint_rows(*, tenant: Tenant, complaints, now: datetime.datetime | None = None) -> list[ComplaintRow]:
    """The complaints with their age in the tenant's working days."""
    calendar = calendar_for(tenant)
    now = now or timezone.now()
    return [
        ComplaintRow(
            complaint=c, age_days=max(calendar.working_days_between(c.created_at, c.responded_at or now), 0)
        )
        for c in complaints
    ]
