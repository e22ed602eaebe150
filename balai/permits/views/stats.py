"""Statistics pages: the public statistics of a tenant's permits (charts, tables, SKM, open-data
downloads) and the head of office's dashboard per unit and officer.

Both read only the precomputed monthly rows (selectors_stats), so that their cost is the same with ten
files or a hundred thousand. Charts are SVG drawn here on the server, each with a title and the same
figures in a table next to it (no chart library, no script).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from balai.core.accounts.access import tenant_perm_required
from balai.core.accounts.selectors import membership_for
from balai.core.workdays.selectors import calendar_for

from ..models import SKM_ELEMENTS
from ..selectors import permit_type_get
from ..selectors_stats import stats_office as office_overview
from ..selectors_stats import stats_open_data, stats_overview

OFFICE_ROLES = frozenset({"core.tenant_admin", "permits.approver"})
MIN_YEAR, MAX_YEAR = 2000, 2100
OPEN_DATA_FIELDS = (
    "tenant", "month", "permit_type_code", "permit_type", "received", "issued", "rejected", "median_working_days",
    "p90_working_days", "sla_met", "sla_decided", "sla_compliance_percent", "retribution_rupiah", "skm_respondents",
    "skm_index", "skm_grade",
)


class StatsFilterForm(forms.Form):
    tahun = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    jenis = forms.CharField(label=gettext_lazy("Jenis izin"), max_length=40, required=False)


class OfficeFilterForm(forms.Form):
    tahun = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    bulan = forms.IntegerField(label=gettext_lazy("Bulan"), min_value=1, max_value=12, required=False)


def _filters(request):
    """(year, permit type or None) from the query string; a bad value falls back to the default."""
    form = StatsFilterForm(request.GET)
    year = calendar_for(request.tenant).today().year
    permit_type = None
    if form.is_valid():
        year = form.cleaned_data["tahun"] or year
        code = (form.cleaned_data["jenis"] or "").strip()
        if code:
            permit_type = permit_type_get(tenant=request.tenant, code=code)  # 404 for an unknown type
    return year, permit_type


# --- charts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    value: object
    label: str
    fill: str


CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM, CHART_LEFT = 640, 240, 12, 36, 44


def _num(value: float) -> str:
    return f"{value:.1f}"


def _scale(maximum) -> float:
    return float(maximum) if maximum else 1.0


def _grouped_month_bars(by_month, series) -> dict:
    """Grouped vertical bars, one group per month; `series`: [(attribute, label, colour)]."""
    plot_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    plot_w = CHART_WIDTH - CHART_LEFT - 8
    group_w = plot_w / 12
    bar_w = (group_w - 6) / len(series)
    top = _scale(max((getattr(m, attr) for m in by_month for attr, _l, _c in series), default=0))
    bars, ticks = [], []
    for i, month in enumerate(by_month):
        for j, (attr, label, colour) in enumerate(series):
            value = getattr(month, attr)
            h = plot_h * value / top
            bars.append(
                Bar(
                    x=_num(CHART_LEFT + i * group_w + 3 + j * bar_w), y=_num(CHART_TOP + plot_h - h),
                    width=_num(max(bar_w - 1, 1)), height=_num(h), value=value,
                    label=f"{label} {month.key:%m/%Y}: {value}", fill=colour,
                )
            )
        ticks.append({"x": _num(CHART_LEFT + (i + 0.5) * group_w), "label": f"{month.key:%m}"})
    return {
        "width": CHART_WIDTH, "height": CHART_HEIGHT, "bars": bars, "ticks": ticks, "axis_y": _num(CHART_TOP + plot_h),
        "left": CHART_LEFT, "max": int(top) if top != 1.0 or any(b.value for b in bars) else 0,
        "legend": [{"label": label, "fill": colour} for _a, label, colour in series],
        "label_y": CHART_HEIGHT - 6,
    }


def _horizontal_bars(items) -> dict:
    """One horizontal bar per (label, Decimal | None value)."""
    row_h, label_w, width = 28, 200, CHART_WIDTH
    plot_w = width - label_w - 60
    top = _scale(max((float(v) for _l, v in items if v is not None), default=0))
    bars = []
    for i, (label, value) in enumerate(items):
        w = plot_w * float(value or 0) / top
        bars.append(
            {
                "y": i * row_h + 4, "text_y": i * row_h + 19, "x": label_w, "width": _num(max(w, 0)),
                "value_x": _num(label_w + w + 6), "label": label, "value": value,
            }
        )
    return {"width": width, "height": max(len(items) * row_h + 8, 36), "bars": bars, "label_w": label_w - 8}


SERIES = (
    ("received", gettext_lazy("Diterima"), "#0b5394"),
    ("issued", gettext_lazy("Terbit"), "#38761d"),
    ("rejected", gettext_lazy("Ditolak"), "#990000"),
)


# --- pages -----------------------------------------------------------------------------------------


@require_GET
def stats_index(request):
    """Public statistics of the tenant's permits for a year (optionally one type)."""
    year, permit_type = _filters(request)
    overview = stats_overview(tenant=request.tenant, year=year, permit_type=permit_type)
    series = [(attr, str(label), colour) for attr, label, colour in SERIES]
    context = {
        "overview": overview,
        "form": StatsFilterForm(initial={"tahun": year, "jenis": permit_type.code if permit_type else ""}),
        "month_chart": _grouped_month_bars(overview.by_month, series),
        "time_chart": _horizontal_bars([(s.label, s.p50_days) for s in overview.by_type]),
        "skm": overview.total.skm,
        "skm_elements": list(zip([label for _c, label in SKM_ELEMENTS], overview.total.skm.element_means_display, strict=False)),
        "query": {"tahun": year, "jenis": permit_type.code if permit_type else ""},
    }
    return render(request, "permits/stats/index.html", context)


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


@require_GET
def stats_download(request):
    """Open data: the year's figures per permit type and month, as CSV or JSON. No personal data."""
    fmt = (request.GET.get("format") or "csv").lower()
    if fmt not in ("csv", "json"):
        return HttpResponseBadRequest(
            _("Format unduhan tidak dikenal. Pilih format=csv atau format=json.").encode(), content_type="text/plain; charset=utf-8"
        )
    year, permit_type = _filters(request)
    overview = stats_overview(tenant=request.tenant, year=year, permit_type=permit_type)
    records = stats_open_data(overview, tenant=request.tenant)
    name = f"statistik-izin-{request.tenant.slug}-{year}{'-' + permit_type.code if permit_type else ''}"
    if fmt == "json":
        payload = {
            "tenant": {"code": request.tenant.code, "name": request.tenant.name},
            "year": year,
            "permit_type": permit_type.code if permit_type else None,
            "generated_at": timezone.now().isoformat(),
            "definitions": {
                "median_working_days": "median hari kerja dari pengajuan sampai keputusan (terbit/ditolak), jeda di pemohon tidak dihitung",
                "p90_working_days": "persentil 90 hari kerja yang sama",
                "sla_compliance_percent": "persentase keputusan dalam SLA jenis izin",
                "retribution_rupiah": "retribusi yang dibayar lunas pada bulan itu (rupiah)",
                "skm_index": "Indeks Kepuasan Masyarakat (PermenPANRB 14/2017), 25-100",
            },
            "records": records,
        }
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "default": _json_default})
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    return _csv_response(records, fields=OPEN_DATA_FIELDS, filename=f"{name}.csv")


def _csv_response(records, *, fields, filename) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: ("" if v is None else v) for k, v in record.items()})
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _may_see_office(request) -> bool:
    membership = membership_for(user=request.user, tenant=request.tenant)
    return membership is not None and bool(OFFICE_ROLES & set(membership.roles))


def _office_filters(request) -> tuple[int, int | None]:
    """(year, month or None) of the head of office's dashboard; a bad value falls back to the default."""
    form = OfficeFilterForm(request.GET)
    year, month = calendar_for(request.tenant).today().year, None
    if form.is_valid():
        year = form.cleaned_data["tahun"] or year
        month = form.cleaned_data["bulan"]
    return year, month


@tenant_perm_required("dashboard.view")
def stats_office(request):
    """The head of office's dashboard: the same figures per unit, and per officer the steps finished,
    median and 90th-percentile working days per step and SLA breaches. Tenant administrators and
    approvers only."""
    if not _may_see_office(request):
        raise PermissionDenied
    year, month = _office_filters(request)
    overview = office_overview(tenant=request.tenant, year=year, month=month)
    context = {
        "overview": overview,
        "form": OfficeFilterForm(initial={"tahun": year, "bulan": month}),
        "months": [(m, date(2000, m, 1)) for m in range(1, 13)],
        "unit_chart": _horizontal_bars([(s.label or _("Tanpa unit"), s.sla_percent) for s in overview.by_unit]),
    }
    return render(request, "permits/stats/office.html", context)



OFFICE_UNIT_FIELDS = (
    "unit", "received", "issued", "rejected", "median_working_days", "p90_working_days", "sla_met", "sla_decided",
    "sla_compliance_percent", "retribution_rupiah",
)
OFFICE_OFFICER_FIELDS = (
    "officer", "unit", "files", "steps", "median_working_days_per_step", "p90_working_days_per_step", "steps_late",
    "steps_on_time_percent",
)


@tenant_perm_required("dashboard.view")
@require_GET
def stats_office_download(request):
    """The head of office's dashboard as CSV (a table a file: ?tabel=unit or ?tabel=petugas) or JSON
    (both tables). Internal figures that name officers: only the dashboard's own readers get them."""
    if not _may_see_office(request):
        raise PermissionDenied
    fmt = (request.GET.get("format") or "csv").lower()
    table = request.GET.get("tabel") or "unit"
    if fmt not in ("csv", "json") or table not in ("unit", "petugas"):
        return HttpResponseBadRequest(
            _("Unduhan tidak dikenal. Pilih format=csv (dengan tabel=unit atau tabel=petugas) atau format=json.").encode(),
            content_type="text/plain; charset=utf-8",
        )
    year, month = _office_filters(request)
    overview = office_overview(tenant=request.tenant, year=year, month=month)
    units = [{**s.as_open_data(), "unit": s.label or None} for s in overview.by_unit]
    officers = [o.as_data() for o in overview.officers]
    name = f"dasbor-izin-{request.tenant.slug}-{year}{f'-{month:02d}' if month else ''}"
    if fmt == "json":
        payload = {
            "tenant": {"code": request.tenant.code, "name": request.tenant.name},
            "year": year,
            "month": month,
            "generated_at": timezone.now().isoformat(),
            "units": [{k: unit[k] for k in OFFICE_UNIT_FIELDS} for unit in units],
            "officers": officers,
        }
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "default": _json_default})
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    if table == "unit":
        return _csv_response(units, fields=OFFICE_UNIT_FIELDS, filename=f"{name}-unit.csv")
    return _csv_response(officers, fields=OFFICE_OFFICER_FIELDS, filename=f"{name}-petugas.csv")
