"""Reads of the statistics area: public statistics per permit type and month, the SKM index, and the
head of office's view per unit and officer. Everything reads the precomputed monthly rows
(`models_stats`), a fixed number of queries whatever the number of applications.

Percentiles: over the processing times of the decisions (working days, whole numbers), by linear
interpolation between the closest ranks (PostgreSQL's percentile_cont, the "linear" method of most
spreadsheets): with n sorted values v0..v(n-1), the p-th percentile is at rank (n-1)·p/100. The result
is rounded to one decimal ROUND_HALF_UP. Example: 1, 2, 4, 9 → median 3.0 (halfway between 2 and 4),
90th percentile 7.5 (rank 2.7: 4 + 0.7 × 5).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from balai.core.tenants.models import Tenant

from .models import PermitType
from .models_stats import PermitMonthlyStat, PermitOfficerMonthlyStat
from .skm import SkmIndex, skm_from_sums

ONE_PLACE = Decimal("0.1")


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


# --- histograms of working days ------------------------------------------------------------------


def histogram_merge(histograms: Iterable[Mapping[str, int]]) -> dict[str, int]:
    total: Counter = Counter()
    for h in histograms:
        for days, n in (h or {}).items():
            total[int(days)] += int(n)
    return {str(k): v for k, v in sorted(total.items()) if v}


def percentile(histogram: Mapping[str, int], p: int) -> Decimal | None:
    """The p-th percentile (0-100) of the values a histogram {"<value>": count} holds, by linear
    interpolation between closest ranks, rounded to one decimal ROUND_HALF_UP; None when empty."""
    items = sorted((int(k), int(v)) for k, v in (histogram or {}).items() if int(v) > 0)
    n = sum(v for _k, v in items)
    if n == 0:
        return None
    position = Decimal(n - 1) * Decimal(p) / Decimal(100)
    low = int(position)  # floor: position >= 0
    fraction = position - low

    def value_at(rank: int) -> int:
        seen = 0
        for value, count in items:
            seen += count
            if rank < seen:
                return value
        return items[-1][0]

    lower = Decimal(value_at(low))
    upper = Decimal(value_at(min(low + 1, n - 1)))
    return (lower + (upper - lower) * fraction).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def share_percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent, one decimal ROUND_HALF_UP; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


# --- summaries -----------------------------------------------------------------------------------


def _text(value) -> str | None:
    """A decimal for JSON and CSV: its text, or None."""
    return None if value is None else str(value)


@dataclass
class Summary:
    """Statistics added up over some monthly rows (a type's year, a month of all types, a unit...)."""

    label: str = ""
    key: object = None
    received: int = 0
    issued: int = 0
    rejected: int = 0
    sla_met: int = 0
    sla_total: int = 0
    retribution: int = 0
    durations: dict = field(default_factory=dict)
    skm_respondents: int = 0
    skm_sums: list = field(default_factory=lambda: [0] * 9)

    def add(self, row: PermitMonthlyStat) -> None:
        self.received += row.received
        self.issued += row.issued
        self.rejected += row.rejected
        self.sla_met += row.sla_met
        self.sla_total += row.sla_total
        self.retribution += row.retribution
        self.durations = histogram_merge([self.durations, row.durations])
        self.skm_respondents += row.skm_respondents
        self.skm_sums = [a + b for a, b in zip(self.skm_sums, row.skm_sums, strict=True)]

    @property
    def decided(self) -> int:
        return self.issued + self.rejected

    @property
    def sla_late(self) -> int:
        return self.sla_total - self.sla_met

    @property
    def p50_days(self) -> Decimal | None:
        return percentile(self.durations, 50)

    @property
    def p90_days(self) -> Decimal | None:
        return percentile(self.durations, 90)

    @property
    def sla_percent(self) -> Decimal | None:
        return share_percent(self.sla_met, self.sla_total)

    @property
    def skm(self) -> SkmIndex:
        return skm_from_sums(respondents=self.skm_respondents, sums=self.skm_sums)

    def as_open_data(self) -> dict:
        """JSON-able figures (no personal data); decimals as strings, money as integer rupiah."""
        skm = self.skm
        text = _text
        return {
            "received": self.received,
            "issued": self.issued,
            "rejected": self.rejected,
            "median_working_days": text(self.p50_days),
            "p90_working_days": text(self.p90_days),
            "sla_met": self.sla_met,
            "sla_decided": self.sla_total,
            "sla_compliance_percent": text(self.sla_percent),
            "retribution_rupiah": self.retribution,
            "skm_respondents": self.skm_respondents,
            "skm_index": text(skm.index),
            "skm_grade": skm.grade,
        }


@dataclass
class StatsOverview:
    year: int
    years: list[int]
    permit_types: list[PermitType]  # the filter's choices
    permit_type: PermitType | None  # the filter's value
    by_type: list[Summary]
    by_month: list[Summary]  # twelve months, January first (empty months included)
    total: Summary

    @property
    def has_data(self) -> bool:
        return any(s.received or s.decided or s.retribution or s.skm_respondents for s in self.by_type)


def stats_years(*, tenant: Tenant) -> list[int]:
    """Years with statistics, newest first."""
    return sorted(
        {d.year for d in PermitMonthlyStat.objects.filter(tenant=tenant).dates("month", "year")}, reverse=True
    )


def stats_overview(*, tenant: Tenant, year: int, permit_type: PermitType | None = None, today: date | None = None) -> StatsOverview:
    """The public statistics of a year (optionally one permit type): per type, per month and in total,
    with the SKM index. Three queries whatever the data."""
    years = stats_years(tenant=tenant)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    rows = PermitMonthlyStat.objects.filter(tenant=tenant, month__year=year).select_related("permit_type")
    if permit_type is not None:
        rows = rows.filter(permit_type=permit_type)
    type_ids = PermitMonthlyStat.objects.filter(tenant=tenant).values("permit_type_id")
    choices = list(
        PermitType.objects.filter(Q(pk__in=type_ids) | Q(is_published=True), tenant=tenant).order_by("name")
    )
    by_type: dict[int, Summary] = {}
    by_month = [Summary(label="", key=date(year, m, 1)) for m in range(1, 13)]
    total = Summary(label="total")
    for row in rows:
        summary = by_type.get(row.permit_type_id)
        if summary is None:
            summary = by_type[row.permit_type_id] = Summary(label=row.permit_type.name, key=row.permit_type)
        summary.add(row)
        by_month[row.month.month - 1].add(row)
        total.add(row)
    return StatsOverview(
        year=year, years=years, permit_types=choices, permit_type=permit_type,
        by_type=sorted(by_type.values(), key=lambda s: s.label), by_month=by_month, total=total,
    )


def stats_open_data(overview: StatsOverview, *, tenant: Tenant) -> list[dict]:
    """One record per permit type and month (months with nothing left out): the open-data download."""
    records = []
    rows = PermitMonthlyStat.objects.filter(tenant=tenant, month__year=overview.year).select_related("permit_type")
    if overview.permit_type is not None:
        rows = rows.filter(permit_type=overview.permit_type)
    for row in rows.order_by("month", "permit_type__name"):
        summary = Summary()
        summary.add(row)
        records.append(
            {
                "tenant": tenant.code,
                "month": row.month.strftime("%Y-%m"),
                "permit_type_code": row.permit_type.code,
                "permit_type": row.permit_type.name,
                **summary.as_open_data(),
            }
        )
    return records


# --- the head of office --------------------------------------------------------------------------


@dataclass
class OfficerSummary:
    officer: object
    unit: object
    files: int = 0
    actions: int = 0
    breaches: int = 0
    durations: dict = field(default_factory=dict)

    @property
    def p50_days(self) -> Decimal | None:
        return percentile(self.durations, 50)

    @property
    def p90_days(self) -> Decimal | None:
        return percentile(self.durations, 90)

    @property
    def breach_percent(self) -> Decimal | None:
        return share_percent(self.breaches, self.actions)

    @property
    def on_time_percent(self) -> Decimal | None:
        """Steps finished within their SLA, in percent of the steps finished."""
        return share_percent(self.actions - self.breaches, self.actions)

    def as_data(self) -> dict:
        """JSON-able figures for the dashboard download (internal: it names the officer)."""
        return {
            "officer": self.officer.full_name or self.officer.email,
            "unit": self.unit.name if self.unit else None,
            "files": self.files,
            "steps": self.actions,
            "median_working_days_per_step": _text(self.p50_days),
            "p90_working_days_per_step": _text(self.p90_days),
            "steps_late": self.breaches,
            "steps_on_time_percent": _text(self.on_time_percent),
        }


@dataclass
class OfficeOverview:
    year: int
    years: list[int]
    month: int | None
    by_unit: list[Summary]
    officers: list[OfficerSummary]


def stats_office(*, tenant: Tenant, year: int, month: int | None = None) -> OfficeOverview:
    """The head of office's view of a year (or one month of it): per responsible unit (of the permit
    types) the same figures as the public page, and per officer the steps finished, files handled, the
    median working days per step and the steps finished after their SLA. Three queries."""
    years = stats_years(tenant=tenant)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    rows = PermitMonthlyStat.objects.filter(tenant=tenant, month__year=year).select_related("permit_type__unit")
    officer_rows = PermitOfficerMonthlyStat.objects.filter(tenant=tenant, month__year=year).select_related(
        "officer", "unit"
    )
    if month:
        rows = rows.filter(month__month=month)
        officer_rows = officer_rows.filter(month__month=month)
    units: dict[int | None, Summary] = {}
    for row in rows:
        unit = row.permit_type.unit
        key = unit.pk if unit else None
        summary = units.get(key)
        if summary is None:
            summary = units[key] = Summary(label=unit.name if unit else "", key=unit)
        summary.add(row)
    officers: dict[tuple, OfficerSummary] = {}
    for row in officer_rows:
        key = (row.officer_id, row.unit_id)
        found = officers.get(key)
        if found is None:
            found = officers[key] = OfficerSummary(officer=row.officer, unit=row.unit)
        # Files handled across months may repeat; a file that spans two months counts in each.
        found.files += row.files
        found.actions += row.actions
        found.breaches += row.breaches
        found.durations = histogram_merge([found.durations, row.durations])
    return OfficeOverview(
        year=year, years=years, month=month,
        by_unit=sorted(units.values(), key=lambda s: (s.key is None, s.label)),
        officers=sorted(
            officers.values(), key=lambda o: (-o.breaches, (o.officer.full_name or o.officer.email).lower())
        ),
    )
