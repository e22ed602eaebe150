"""Pages of the organisation structure: the unit tree, units, positions, employees and the import.

Viewing needs `orgs.view`; every change and the import need `orgs.manage`. Objects are looked up
through the selectors with the request's tenant, so another tenant's object is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required

from . import selectors, services
from .forms import (
    AssignForm,
    AssignmentEndForm,
    EmployeeForm,
    ImportForm,
    PositionForm,
    PositionUpdateForm,
    UnitCloseForm,
    UnitForm,
    UnitUpdateForm,
)
from .imports import EMPLOYEE_COLUMNS, EMPLOYEES, MAX_ROWS, UNIT_COLUMNS, UNITS, template_csv, template_xlsx
from .models import Unit

VIEW, MANAGE = "orgs.view", "orgs.manage"


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


# Units -------------------------------------------------------------------------------------------


@tenant_perm_required(VIEW)
def unit_list(request):
    include_closed = request.GET.get("tutup") == "1"
    tree = selectors.unit_tree(tenant=request.tenant, include_closed=include_closed)
    return render(request, "orgs/unit_list.html", {"tree": tree, "include_closed": include_closed})


@tenant_perm_required(MANAGE)
def unit_create(request):
    tenant = request.tenant
    units = selectors.units_open(tenant=tenant).order_by("code")
    if request.method == "POST":
        form = UnitForm(request.POST, units=units)
        if form.is_valid():
            try:
                unit = services.unit_create(tenant=tenant, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Unit %(name)s ditambahkan.") % {"name": unit.name})
                return redirect("orgs:unit_detail", tenant=tenant.slug, pk=unit.pk)
        return render(request, "orgs/unit_form.html", {"form": form, "unit": None}, status=400)
    initial = {}
    parent_pk = _int_param(request, "induk")
    if parent_pk:
        parent = units.filter(pk=parent_pk).first()
        if parent is not None:
            child_kind = {Unit.Kind.OPD: Unit.Kind.BIDANG, Unit.Kind.BIDANG: Unit.Kind.SEKSI, Unit.Kind.BAGIAN: Unit.Kind.SUBBAGIAN}
            initial = {"parent": parent, "kind": child_kind.get(parent.kind, Unit.Kind.LAINNYA)}
    return render(request, "orgs/unit_form.html", {"form": UnitForm(initial=initial, units=units), "unit": None})


@tenant_perm_required(VIEW)
def unit_detail(request, pk: int):
    tenant = request.tenant
    unit = selectors.unit_get(tenant=tenant, pk=pk)
    positions = selectors.unit_positions(tenant=tenant, unit=unit)
    holders = [a.employee for p in positions for a in p.holders]
    supervisors = selectors.supervisors_for(tenant=tenant, employees=holders)
    rows = [(p, [(a, supervisors.get(a.employee_id)) for a in p.holders]) for p in positions]
    head = next((a.employee for p in positions if p.is_head for a in p.holders), None)
    parent_head = None
    if unit.parent_id:
        chain = selectors.unit_ancestors(tenant=tenant, unit=unit)
        for ancestor in reversed(chain):
            parent_head = selectors.unit_head(tenant=tenant, unit=ancestor)
            if parent_head is not None:
                break
    else:
        chain = []
    context = {
        "unit": unit,
        "ancestors": chain,
        "children": selectors.unit_children(tenant=tenant, unit=unit),
        "position_rows": rows,
        "head": head,
        "reports_to": parent_head,
        "names": selectors.unit_names(tenant=tenant, unit=unit),
        "close_form": UnitCloseForm(),
    }
    return render(request, "orgs/unit_detail.html", context)


@tenant_perm_required(MANAGE)
def unit_update(request, pk: int):
    tenant = request.tenant
    unit = selectors.unit_get(tenant=tenant, pk=pk)
    if unit.is_closed:
        raise Http404
    units = selectors.units_open(tenant=tenant).exclude(pk=unit.pk).order_by("code")
    if request.method == "POST":
        form = UnitUpdateForm(request.POST, units=units)
        if form.is_valid():
            try:
                services.unit_update(unit=unit, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Perubahan unit disimpan."))
                return redirect("orgs:unit_detail", tenant=tenant.slug, pk=unit.pk)
        return render(request, "orgs/unit_form.html", {"form": form, "unit": unit}, status=400)
    initial = {"name": unit.name, "short_name": unit.short_name, "code": unit.code, "kind": unit.kind, "parent": unit.parent}
    return render(request, "orgs/unit_form.html", {"form": UnitUpdateForm(initial=initial, units=units), "unit": unit})


@require_POST
@tenant_perm_required(MANAGE)
def unit_close(request, pk: int):
    tenant = request.tenant
    unit = selectors.unit_get(tenant=tenant, pk=pk)
    form = UnitCloseForm(request.POST)
    if form.is_valid():
        try:
            services.unit_close(unit=unit, on=form.cleaned_data["on"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms))
        else:
            messages.success(request, _("Unit %(name)s ditutup; riwayatnya tetap tersimpan.") % {"name": unit.name})
    else:
        messages.error(request, _("Tanggal tutup tidak sah; tulis seperti 2026-01-31."))
    return redirect("orgs:unit_detail", tenant=tenant.slug, pk=unit.pk)


# Positions ---------------------------------------------------------------------------------------


@tenant_perm_required(MANAGE)
def position_create(request, pk: int):
    tenant = request.tenant
    unit = selectors.unit_get(tenant=tenant, pk=pk)
    if unit.is_closed:
        raise Http404
    if request.method == "POST":
        form = PositionForm(request.POST)
        if form.is_valid():
            try:
                position = services.position_create(unit=unit, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Jabatan %(name)s ditambahkan.") % {"name": position.name})
                return redirect("orgs:unit_detail", tenant=tenant.slug, pk=unit.pk)
        return render(request, "orgs/position_form.html", {"form": form, "unit": unit, "position": None}, status=400)
    return render(request, "orgs/position_form.html", {"form": PositionForm(), "unit": unit, "position": None})


@tenant_perm_required(MANAGE)
def position_update(request, pk: int):
    tenant = request.tenant
    position = selectors.position_get(tenant=tenant, pk=pk)
    unit = position.unit
    if request.method == "POST":
        form = PositionUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.position_update(position=position, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Perubahan jabatan disimpan."))
                return redirect("orgs:unit_detail", tenant=tenant.slug, pk=unit.pk)
        return render(request, "orgs/position_form.html", {"form": form, "unit": unit, "position": position}, status=400)
    initial = {
        "name": position.name, "job_class": position.job_class, "type": position.type,
        "is_head": position.is_head, "is_active": position.is_active,
    }
    return render(request, "orgs/position_form.html", {"form": PositionUpdateForm(initial=initial), "unit": unit, "position": position})


# Employees ---------------------------------------------------------------------------------------


@tenant_perm_required(VIEW)
def employee_list(request):
    tenant = request.tenant
    query = request.GET.get("q", "")[:100]
    unit_pk = _int_param(request, "unit")
    units = list(selectors.units_open(tenant=tenant).order_by("code"))
    unit = next((u for u in units if u.pk == unit_pk), None)
    page = selectors.employee_list(tenant=tenant, query=query, unit=unit, page=request.GET.get("halaman", 1))
    context = {"page": page, "query": query, "unit": unit, "units": units}
    return render(request, "orgs/employee_list.html", context)


@tenant_perm_required(MANAGE)
def employee_create(request):
    tenant = request.tenant
    if request.method == "POST":
        form = EmployeeForm(request.POST)
        if form.is_valid():
            try:
                employee = services.employee_create(tenant=tenant, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Pegawai %(name)s ditambahkan. Tetapkan jabatannya di bawah.") % {"name": employee.full_name})
                return redirect("orgs:employee_assign", tenant=tenant.slug, pk=employee.pk)
        return render(request, "orgs/employee_form.html", {"form": form, "employee": None}, status=400)
    return render(request, "orgs/employee_form.html", {"form": EmployeeForm(), "employee": None})


@tenant_perm_required(VIEW)
def employee_detail(request, pk: int):
    tenant = request.tenant
    employee = selectors.employee_get(tenant=tenant, pk=pk)
    assignments = selectors.employee_assignments(tenant=tenant, employee=employee)
    today = selectors.tenant_today(tenant)
    context = {
        "employee": employee,
        "assignments": assignments,
        "current": [a for a in assignments if a.is_current_on(today)],
        "today": today,
        "chain": selectors.supervisor_chain(tenant=tenant, employee=employee, on=today),
        "subordinates": selectors.subordinates_of(tenant=tenant, employee=employee, on=today),
        "end_form": AssignmentEndForm(initial={"end": today}),
    }
    return render(request, "orgs/employee_detail.html", context)


@tenant_perm_required(MANAGE)
def employee_update(request, pk: int):
    tenant = request.tenant
    employee = selectors.employee_get(tenant=tenant, pk=pk)
    if request.method == "POST":
        form = EmployeeForm(request.POST)
        if form.is_valid():
            try:
                services.employee_update(employee=employee, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Data pegawai disimpan."))
                return redirect("orgs:employee_detail", tenant=tenant.slug, pk=employee.pk)
        return render(request, "orgs/employee_form.html", {"form": form, "employee": employee}, status=400)
    initial = {f: getattr(employee, f) for f in ("nip", "full_name", "employment_type", "rank", "email", "status")}
    return render(request, "orgs/employee_form.html", {"form": EmployeeForm(initial=initial), "employee": employee})


@tenant_perm_required(MANAGE)
def employee_assign(request, pk: int):
    tenant = request.tenant
    employee = selectors.employee_get(tenant=tenant, pk=pk)
    positions = selectors.position_choices(tenant=tenant)
    if request.method == "POST":
        form = AssignForm(request.POST, positions=positions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.employee_assign(
                    employee=employee, position=data["position"], start=data["start"], primary=not data["acting"], actor=request.user
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Penugasan disimpan."))
                return redirect("orgs:employee_detail", tenant=tenant.slug, pk=employee.pk)
        return render(request, "orgs/employee_assign.html", {"form": form, "employee": employee}, status=400)
    form = AssignForm(initial={"start": selectors.tenant_today(tenant)}, positions=positions)
    return render(request, "orgs/employee_assign.html", {"form": form, "employee": employee})


@require_POST
@tenant_perm_required(MANAGE)
def assignment_end(request, pk: int):
    tenant = request.tenant
    assignment = selectors.assignment_get(tenant=tenant, pk=pk)
    form = AssignmentEndForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_end(assignment=assignment, end=form.cleaned_data["end"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Penugasan diakhiri."))
    else:
        messages.error(request, _("Tanggal akhir tidak sah; tulis seperti 2026-01-31."))
    return redirect("orgs:employee_detail", tenant=tenant.slug, pk=assignment.employee_id)


# Import ------------------------------------------------------------------------------------------


TEMPLATE_FILES = {
    "templat-unit.csv": ("text/csv; charset=utf-8", lambda: template_csv(UNITS)),
    "templat-pegawai.csv": ("text/csv; charset=utf-8", lambda: template_csv(EMPLOYEES)),
    "templat-struktur-organisasi.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        template_xlsx,
    ),
}


def _import_context(**extra) -> dict:
    return {
        "unit_columns": UNIT_COLUMNS,
        "employee_columns": EMPLOYEE_COLUMNS,
        "max_rows": f"{MAX_ROWS:,}".replace(",", "."),
        "template_files": list(TEMPLATE_FILES),
        **extra,
    }


@tenant_perm_required(MANAGE)
def import_page(request):
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = services.orgs_import(tenant=request.tenant, file=form.cleaned_data["file"], actor=request.user)
            if report.error:
                form.add_error("file", report.error)
            else:
                return render(request, "orgs/import.html", _import_context(form=ImportForm(), report=report))
        return render(request, "orgs/import.html", _import_context(form=form), status=400)
    return render(request, "orgs/import.html", _import_context(form=ImportForm()))


@tenant_perm_required(MANAGE)
def import_template(request, filename: str):
    if filename not in TEMPLATE_FILES:
        raise Http404
    content_type, build = TEMPLATE_FILES[filename]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
