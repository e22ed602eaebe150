"""Reads of findings and runs. Every read takes the tenant and the viewer.

The rule, in one place: a finding is never shown to a person it concerns, whatever roles that person
holds (an inspector whose own approval is flagged does not see the finding, before or after triage;
the outcome reaches them, if at all, through the inspectorate's own procedure). Lists leave such
findings out and count without them; their detail is a 404, the same answer as for a finding that
does not exist or belongs to another tenant.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from balai.core.tenants.models import Tenant

from .models import CheckRun, Finding, FindingConcern, FindingNote


def _visible(*, tenant: Tenant, viewer) -> QuerySet[Finding]:
    rows = Finding.objects.filter(tenant=tenant)
    if viewer is None or not viewer.is_authenticated:
        return rows.none()
    concerning = FindingConcern.objects.filter(tenant=tenant, user_id=viewer.pk).values("finding_id")
    return rows.exclude(pk__in=concerning)


def _day_start(tenant: Tenant, day: date) -> datetime:
    return datetime.combine(day, time.min, ZoneInfo(tenant.timezone))


def finding_list(
    *,
    tenant: Tenant,
    viewer,
    status: str | None = None,
    severity: str | None = None,
    check: str | None = None,
    module: str | None = None,
    found_from: date | None = None,
    found_to: date | None = None,
    run: CheckRun | None = None,
) -> QuerySet[Finding]:
    """Findings the viewer may see, newest problems first; dates are the tenant's calendar days."""
    rows = _visible(tenant=tenant, viewer=viewer)
    if status:
        rows = rows.filter(status=status)
    if severity:
        rows = rows.filter(severity=severity)
    if check:
        rows = rows.filter(check_code=check)
    if module:
        rows = rows.filter(module=module)
    if found_from:
        rows = rows.filter(first_seen_at__gte=_day_start(tenant, found_from))
    if found_to:
        rows = rows.filter(first_seen_at__lt=_day_start(tenant, found_to + timedelta(days=1)))
    if run is not None:
        rows = rows.filter(run=run)
    return rows.select_related("subject_type").order_by("-first_seen_at", "-pk")


def finding_status_counts(*, tenant: Tenant, viewer, **filters) -> dict[str, int]:
    """How many visible findings hold each status, under the other filters given."""
    filters.pop("status", None)
    counted = dict(
        finding_list(tenant=tenant, viewer=viewer, **filters).order_by().values_list("status").annotate(n=Count("pk"))
    )
    return {value: counted.get(value, 0) for value in Finding.Status.values}


def finding_get(*, tenant: Tenant, viewer, pk: int) -> Finding:
    finding = _visible(tenant=tenant, viewer=viewer).filter(pk=pk).select_related("subject_type", "run", "last_run").first()
    if finding is None:
        raise Http404
    return finding


def finding_notes(*, finding: Finding) -> QuerySet[FindingNote]:
    return FindingNote.objects.filter(tenant_id=finding.tenant_id, finding=finding).select_related("author").order_by("at", "pk")


def run_list(*, tenant: Tenant, viewer) -> QuerySet[CheckRun]:
    """Runs, newest first, each with `visible_new`: the findings it raised that the viewer may see."""
    raised = (
        _visible(tenant=tenant, viewer=viewer)
        .filter(run=OuterRef("pk"))
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        CheckRun.objects.filter(tenant=tenant)
        .select_related("started_by")
        .annotate(visible_new=Coalesce(Subquery(raised, output_field=IntegerField()), 0))
        .order_by("-started_at", "-pk")
    )


def run_get(*, tenant: Tenant, viewer, pk: int) -> CheckRun:
    run = run_list(tenant=tenant, viewer=viewer).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def latest_run(*, tenant: Tenant) -> CheckRun | None:
    return CheckRun.objects.filter(tenant=tenant, finished_at__isnull=False).order_by("-started_at", "-pk").first()


def open_count(*, tenant: Tenant, viewer) -> int:
    """For a dashboard tile: open findings the viewer may see."""
    return _visible(tenant=tenant, viewer=viewer).filter(Q(status=Finding.Status.OPEN)).count()
