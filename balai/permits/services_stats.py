"""Writes of the statistics area: recompute a month of `PermitMonthlyStat` / `PermitOfficerMonthlyStat`.

`stats_refresh` runs on schedule (`stats_refresh_recent`, every few minutes: the current month, and the
previous one during the first days of a month so that late decisions land) and may be called after a
decision. A month is recomputed from scratch, set-based: one grouped query per measure, then the
month's rows are replaced in one transaction. Running it twice gives the same rows.

Definitions (the tenant's calendar month, in its time zone):
- received: applications whose `submitted_at` falls in the month;
- issued / rejected: workflow transitions into "issued" / "rejected" in the month (the decision);
- processing time of a decision: the working days its file's SLA clock ran from submission to the
  decision, i.e. the file's SLA minus what remained of it when the decision was taken (the engine
  records that on the transition); time with the applicant (returned, awaiting payment) is excluded
  because the clock is paused then. A file decided the day it was received took 0 working days;
- SLA met: the processing time is at most the file's SLA (the type's SLA when it was submitted);
- retribution: paid bills of applications, by the bill's `paid_at`, integer rupiah;
- SKM: surveys by their `created_at`;
- officers: each step an officer finished (any action from verification, inspection, technical
  recommendation, approval or signing, by an officer who is not the file's applicant), by the action's
  time; its duration is the working days from entering the step to leaving it, a breach when the step
  was left after its own SLA.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for
from balai.core.workflow import clock as workflow_clock
from balai.core.workflow.models import Transition

from .models import Application, SurveyResponse
from .models_stats import PermitMonthlyStat, PermitOfficerMonthlyStat
from .selectors_stats import month_start, percentile
from .workflow import OFFICER_STEPS

log = logging.getLogger(__name__)

DECISION_STATES = ("issued", "rejected")


def month_bounds(tenant: Tenant, month: date) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in the tenant's time zone."""
    zone = ZoneInfo(tenant.timezone)
    first = month_start(month)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return (
        datetime(first.year, first.month, first.day, tzinfo=zone),
        datetime(following.year, following.month, 1, tzinfo=zone),
    )


def _processing_days(calendar, row: dict) -> int:
    sla, left = row["workflow__sla_days"], row["workflow__transitions__sla_remaining_days"]
    if sla is not None and left is not None:
        return sla - left
    # No SLA recorded on the file: count its clock's running periods up to the decision.
    raw = row["workflow__clock_intervals"] or []
    return workflow_clock.file_elapsed(calendar, raw, row["workflow__transitions__at"])


def _histogram(values) -> dict[str, int]:
    return {str(k): v for k, v in sorted(Counter(values).items())}


@transaction.atomic
def stats_refresh(*, tenant: Tenant, month: date) -> int:
    """Recompute the statistics of one month of `tenant` (any date in the month) and return how many
    permit-type rows it now has.

    Guarantees: the month's rows (per type and per officer) are exactly what the data says now,
    replaced together in one transaction; nothing else changes; idempotent. Types with nothing in the
    month get no row.
    """
    first = month_start(month)
    start, end = month_bounds(tenant, first)
    calendar = calendar_for(tenant)
    rows: dict[int, PermitMonthlyStat] = {}

    def row(type_id: int) -> PermitMonthlyStat:
        found = rows.get(type_id)
        if found is None:
            found = rows[type_id] = PermitMonthlyStat(tenant=tenant, permit_type_id=type_id, month=first)
        return found

    apps = Application.objects.filter(tenant=tenant)
    for item in (
        apps.filter(submitted_at__gte=start, submitted_at__lt=end).values("permit_type_id").annotate(n=Count("pk"))
    ):
        row(item["permit_type_id"]).received = item["n"]

    decisions = (
        apps.filter(
            workflow__transitions__to_state__in=DECISION_STATES,
            workflow__transitions__at__gte=start,
            workflow__transitions__at__lt=end,
        )
        .values(
            "permit_type_id", "workflow__sla_days", "workflow__clock_intervals", "workflow__transitions__to_state",
            "workflow__transitions__sla_remaining_days", "workflow__transitions__at",
        )
    )
    days_by_type: dict[int, list[int]] = defaultdict(list)
    for item in decisions.iterator(chunk_size=5000):
        stat = row(item["permit_type_id"])
        if item["workflow__transitions__to_state"] == "issued":
            stat.issued += 1
        else:
            stat.rejected += 1
        days = _processing_days(calendar, item)
        days_by_type[item["permit_type_id"]].append(days)
        stat.sla_total += 1
        if item["workflow__sla_days"] is None or days <= item["workflow__sla_days"]:
            stat.sla_met += 1
    for type_id, values in days_by_type.items():
        stat = rows[type_id]
        stat.durations = _histogram(values)
        stat.p50_days = percentile(stat.durations, 50)
        stat.p90_days = percentile(stat.durations, 90)

    for item in (
        apps.filter(bill__status="paid", bill__paid_at__gte=start, bill__paid_at__lt=end)
        .values("permit_type_id")
        .annotate(total=Sum("bill__amount"))
    ):
        row(item["permit_type_id"]).retribution = int(item["total"] or 0)

    skm_fields = {f"u{i}": Sum(f"u{i}") for i in range(1, 10)}
    for item in (
        SurveyResponse.objects.filter(tenant=tenant, created_at__gte=start, created_at__lt=end)
        .values("permit_type_id")
        .annotate(n=Count("pk"), **skm_fields)
    ):
        stat = row(item["permit_type_id"])
        stat.skm_respondents = item["n"]
        for i in range(1, 10):
            setattr(stat, f"skm_u{i}", item[f"u{i}"] or 0)

    officer_rows = _officer_rows(tenant=tenant, first=first, start=start, end=end, calendar=calendar)

    now = timezone.now()
    for stat in rows.values():
        stat.refreshed_at = now
    PermitMonthlyStat.objects.filter(tenant=tenant, month=first).delete()
    PermitMonthlyStat.objects.bulk_create(rows.values(), batch_size=500)
    PermitOfficerMonthlyStat.objects.filter(tenant=tenant, month=first).delete()
    PermitOfficerMonthlyStat.objects.bulk_create(officer_rows, batch_size=500)
    return len(rows)


def _officer_rows(*, tenant: Tenant, first: date, start: datetime, end: datetime, calendar) -> list:
    entered = Transition.objects.filter(
        tenant=tenant, instance_id=OuterRef("instance_id"), seq=OuterRef("seq") - 1
    ).values("at")[:1]
    steps = (
        Transition.objects.filter(
            tenant=tenant, at__gte=start, at__lt=end, from_state__in=OFFICER_STEPS, actor__isnull=False
        )
        .exclude(Q(instance__owner__isnull=False) & Q(actor=F("instance__owner")))
        .annotate(entered_at=Subquery(entered))
        .values("actor_id", "instance__unit_id", "instance_id", "at", "entered_at", "step_remaining_days")
    )
    files: dict[tuple, set] = defaultdict(set)
    durations: dict[tuple, list[int]] = defaultdict(list)
    breaches: Counter = Counter()
    actions: Counter = Counter()
    for item in steps.iterator(chunk_size=5000):
        key = (item["actor_id"], item["instance__unit_id"])
        files[key].add(item["instance_id"])
        actions[key] += 1
        if item["entered_at"] is not None:
            durations[key].append(calendar.working_days_between(item["entered_at"], item["at"]))
        if item["step_remaining_days"] is not None and item["step_remaining_days"] < 0:
            breaches[key] += 1
    now = timezone.now()
    return [
        PermitOfficerMonthlyStat(
            tenant=tenant, officer_id=officer_id, unit_id=unit_id, month=first, files=len(ids),
            actions=actions[(officer_id, unit_id)],
            breaches=breaches[(officer_id, unit_id)], durations=_histogram(durations[(officer_id, unit_id)]),
            refreshed_at=now,
        )
        for (officer_id, unit_id), ids in files.items()
    ]


def stats_refresh_recent(*, tenant: Tenant, today: date | None = None) -> list[date]:
    """Refresh the current month of `tenant`, and the previous one during the first five days of a month
    (decisions and payments of its last days land late). Returns the months refreshed."""
    today = today or calendar_for(tenant).today()
    months = [month_start(today)]
    if today.day <= 5:
        months.insert(0, month_start(date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)))
    for month in months:
        stats_refresh(tenant=tenant, month=month)
    return months


def stats_refresh_all_tenants() -> int:
    """The scheduled refresh: every active tenant with the permits module; one tenant's failure is logged
    and the others go on. Returns the tenants refreshed."""
    from balai.core.tenants.selectors import tenant_module_enabled

    done = 0
    for tenant in Tenant.objects.filter(is_active=True).order_by("pk"):
        if not tenant_module_enabled(tenant=tenant, module="permits"):
            continue
        try:
            stats_refresh_recent(tenant=tenant)
            done += 1
        except Exception:  # noqa: BLE001 - one tenant must not stop the others
            log.exception("Permit statistics refresh failed for tenant %s", tenant.slug)
    return done
