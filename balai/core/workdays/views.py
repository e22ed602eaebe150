"""The tenant's working-day calendar: public to read, changed by the tenant administrator."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required
from balai.core.accounts.selectors import user_has_perm

from . import selectors, services
from .calendar import COLLECTIVE, LOCAL, NATIONAL, NATIONAL_COLLECTIVE, WORKING
from .forms import DayOffForm

MANAGE_PERM = "tenants.manage"
FIRST_YEAR, LAST_YEAR = 2000, 2100

KIND_LABELS = {
    NATIONAL: gettext_lazy("Libur nasional"),
    NATIONAL_COLLECTIVE: gettext_lazy("Cuti bersama"),
    LOCAL: gettext_lazy("Libur daerah"),
    COLLECTIVE: gettext_lazy("Cuti bersama tambahan"),
    WORKING: gettext_lazy("Tetap hari kerja"),
}


def _can_manage(request) -> bool:
    return user_has_perm(user=request.user, tenant=request.tenant, perm=MANAGE_PERM)


def _year_from(request, default: int) -> int:
    try:
        year = int(request.GET.get("tahun", default))
    except ValueError:
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


def _back_to_calendar(tenant, year: int) -> HttpResponseRedirect:
    # 303 See Other after a successful POST: unambiguous for the browser, and the isolation harness can
    # tell a success from its refusals (302 is the login redirect).
    url = f"{reverse('workdays:calendar', kwargs={'tenant': tenant.slug})}?tahun={year}"
    return HttpResponseRedirect(url, status=303)


def _render(request, *, year: int, form=None, status=200):
    tenant = request.tenant
    calendar = selectors.calendar_for(tenant)
    can_manage = _can_manage(request)
    days = selectors.year_overview(tenant=tenant, year=year)
    editable = services.editable_years(tenant=tenant)
    context = {
        "year": year,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "today": calendar.today(),
        "days": [(day, KIND_LABELS[day.kind]) for day in days],
        "months": [
            (formats.date_format(date(year, month, 1), "F"), calendar.working_days_in_month(year, month))
            for month in range(1, 13)
        ],
        "can_manage": can_manage,
        "can_edit_year": can_manage and year in editable,
        "editable": editable,
        "form": form or (DayOffForm() if can_manage else None),
    }
    return render(request, "workdays/calendar.html", context, status=status)


def calendar_page(request):
    """The year's non-working days; anyone may read it, it is public information."""
    year = _year_from(request, selectors.calendar_for(request.tenant).today().year)
    return _render(request, year=year)


@require_POST
@tenant_perm_required(MANAGE_PERM)
def day_off_add(request):
    tenant = request.tenant
    form = DayOffForm(request.POST)
    this_year = selectors.calendar_for(tenant).today().year
    if form.is_valid():
        data = form.cleaned_data
        try:
            day_off = services.day_off_add(
                tenant=tenant, date=data["date"], kind=data["kind"], name=data["name"], actor=request.user
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(
                request,
                _("%(date)s dicatat: %(name)s.")
                % {"date": formats.date_format(day_off.date, "j F Y"), "name": day_off.name},
            )
            return _back_to_calendar(tenant, day_off.date.year)
    year = form.cleaned_data["date"].year if form.cleaned_data.get("date") else this_year
    return _render(request, year=year, form=form, status=400)


@require_POST
@tenant_perm_required(MANAGE_PERM)
def day_off_remove(request, pk: int):
    tenant = request.tenant
    day_off = selectors.day_off_get(tenant=tenant, pk=pk)
    try:
        services.day_off_remove(tenant=tenant, day_off=day_off, actor=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("Catatan %(date)s (%(name)s) dihapus; tanggal itu kembali mengikuti kalender nasional.")
            % {"date": formats.date_format(day_off.date, "j F Y"), "name": day_off.name},
        )
    return _back_to_calendar(tenant, day_off.date.year)
