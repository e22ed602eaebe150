"""Reads on the organisation structure. Every read takes the tenant; a foreign object is a 404.

The supervisor of an employee is derived, on a given day, from the unit tree: the holder of the head
position of the employee's unit; when the employee is that head, or the head post is vacant, the head
of the parent unit, and so on up; nobody above the top unit (OPD).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from balai.core.tenants.models import Tenant

from .models import Assignment, Employee, Position, Unit, UnitName


def tenant_today(tenant: Tenant) -> datetime.date:
    """Today's date in the tenant's time zone."""
    try:
        zone = ZoneInfo(tenant.timezone)
    except Exception:  # an unknown zone name must not break a page; fall back to the server's zone
        zone = None
    return timezone.localdate(timezone=zone)


def _open(on: datetime.date, prefix: str = "") -> Q:
    """Units (or, with a prefix, a related unit) in force on that day."""
    started = Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})
    return started & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on}))


def _current(on: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on}))


# Units -------------------------------------------------------------------------------------------


def unit_get(*, tenant: Tenant, pk: int) -> Unit:
    unit = Unit.objects.filter(tenant=tenant, pk=pk).select_related("parent").first()
    if unit is None:
        raise Http404
    return unit


def unit_by_code(*, tenant: Tenant, code: str) -> Unit | None:
    return Unit.objects.filter(tenant=tenant, code=code).first()


def units_open(*, tenant: Tenant, on: datetime.date | None = None) -> QuerySet[Unit]:
    on = on or tenant_today(tenant)
    return Unit.objects.filter(tenant=tenant).filter(_open(on))


@dataclass
class UnitNode:
    unit: Unit
    head: Employee | None = None
    children: list[UnitNode] = field(default_factory=list)
    depth: int = 0


def _heads_on(*, tenant: Tenant, on: datetime.date) -> dict[int, list[Employee]]:
    """Unit id -> the employees holding its head position on that day (own post first, then acting)."""
    heads: dict[int, list[Employee]] = {}
    rows = (
        Assignment.objects.filter(tenant=tenant, position__is_head=True)
        .filter(_current(on))
        .select_related("employee__user", "position")
        .order_by("-is_primary", "start", "pk")
    )
    for a in rows:
        heads.setdefault(a.position.unit_id, []).append(a.employee)
    return heads


def unit_tree(*, tenant: Tenant, on: datetime.date | None = None, include_closed: bool = False) -> list[UnitNode]:
    """The tenant's units as a forest of OPD roots, each node with its head on that day. Two queries."""
    on = on or tenant_today(tenant)
    units = Unit.objects.filter(tenant=tenant).order_by("code")
    if not include_closed:
        units = units.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    heads = _heads_on(tenant=tenant, on=on)
    nodes = {u.pk: UnitNode(unit=u, head=(heads.get(u.pk) or [None])[0]) for u in units}
    roots: list[UnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id)
        (parent.children if parent else roots).append(node)

    def set_depth(items: list[UnitNode], depth: int) -> None:
        for item in items:
            item.depth = depth
            set_depth(item.children, depth + 1)

    set_depth(roots, 0)
    return roots


def unit_ancestors(*, tenant: Tenant, unit: Unit) -> list[Unit]:
    """The unit's parents from the top (OPD) down to its direct parent. One query."""
    units = {u.pk: u for u in Unit.objects.filter(tenant=tenant)}
    chain, seen = [], {unit.pk}
    parent_id = unit.parent_id
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = units.get(parent_id)
        if parent is None:
            break
        chain.append(parent)
        parent_id = parent.parent_id
    return list(reversed(chain))


def _below(parent: dict[int, int | None], roots) -> set[int]:
    """The ids of `roots` and every unit below them, given each unit's parent id. No query."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in parent.items():
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(roots)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def _descendant_ids(*, tenant: Tenant, roots) -> set[int]:
    """The ids of `roots` and every unit of the tenant below them. One query."""
    return _below(dict(Unit.objects.filter(tenant=tenant).values_list("pk", "parent_id")), roots)


def unit_descendant_ids(*, tenant: Tenant, unit: Unit) -> set[int]:
    """The ids of the unit and every unit below it. One query."""
    return _descendant_ids(tenant=tenant, roots=[unit.pk])


def units_of_user(
    *, tenant: Tenant, user, on: datetime.date | None = None, with_sub_units: bool = True
) -> set[int]:
    """The ids of the units where `user` (through the employee linked to the account) holds a position on
    that day, own post or acting (Plt.), and with `with_sub_units` every unit below them. Empty for an
    account with no employee record or no current post. Two queries at most, whatever the tree's size."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    on = on or tenant_today(tenant)
    held = set(
        Assignment.objects.filter(tenant=tenant, employee__user=user)
        .filter(_current(on))
        .values_list("position__unit_id", flat=True)
    )
    if not held or not with_sub_units:
        return held
    return _descendant_ids(tenant=tenant, roots=held)


def unit_user_ids(
    *, tenant: Tenant, unit: Unit, on: datetime.date | None = None, with_sub_units: bool = True
) -> set[int]:
    """The ids of the accounts of everyone holding a position in `unit` on that day (today by default), own
    post or acting (Plt.), and with `with_sub_units` in every unit below it. Employees without an account
    are left out. Two queries at most."""
    on = on or tenant_today(tenant)
    units = _descendant_ids(tenant=tenant, roots=[unit.pk]) if with_sub_units else {unit.pk}
    return set(
        Assignment.objects.filter(tenant=tenant, position__unit_id__in=units, employee__user__isnull=False)
        .filter(_current(on))
        .values_list("employee__user_id", flat=True)
    )


def unit_children(*, tenant: Tenant, unit: Unit, include_closed: bool = False) -> list[Unit]:
    qs = Unit.objects.filter(tenant=tenant, parent=unit).order_by("code")
    if not include_closed:
        qs = qs.filter(valid_to__isnull=True)
    return list(qs)


def unit_names(*, tenant: Tenant, unit: Unit) -> list[UnitName]:
    return list(UnitName.objects.filter(tenant=tenant, unit=unit).order_by(F("valid_from").desc(nulls_last=True)))


def unit_name_on(*, tenant: Tenant, unit: Unit, on: datetime.date) -> str:
    """The name the unit carried on that day (its current name when the day is outside its history)."""
    row = (
        UnitName.objects.filter(tenant=tenant, unit=unit).filter(_open(on))
        .first()
    )
    return row.name if row else unit.name


def unit_head_upward(*, tenant: Tenant, unit: Unit, on: datetime.date | None = None):
    """(unit name, user) of the nearest head with an active account, from `unit` up the tree on that day;
    None when no unit on the way has one. Two queries, however deep the tree."""
    on = on or tenant_today(tenant)
    units = {pk: (parent_id, name) for pk, parent_id, name in Unit.objects.filter(tenant=tenant).values_list(
        "pk", "parent_id", "name"
    )}
    heads = _heads_on(tenant=tenant, on=on)
    unit_id, seen = unit.pk, set()
    while unit_id is not None and unit_id not in seen and unit_id in units:
        seen.add(unit_id)
        head = (heads.get(unit_id) or [None])[0]
        user = head.user if head is not None else None
        if user is not None and user.is_active:
            return units[unit_id][1], user
        unit_id = units[unit_id][0]
    return None


def unit_head(*, tenant: Tenant, unit: Unit, on: datetime.date | None = None) -> Employee | None:
    on = on or tenant_today(tenant)
    a = (
        Assignment.objects.filter(tenant=tenant, position__unit=unit, position__is_head=True)
        .filter(_current(on))
        .select_related("employee")
        .order_by("-is_primary", "start")
        .first()
    )
    return a.employee if a else None


# Positions ---------------------------------------------------------------------------------------


def position_get(*, tenant: Tenant, pk: int) -> Position:
    position = Position.objects.filter(tenant=tenant, pk=pk).select_related("unit").first()
    if position is None:
        raise Http404
    return position


def unit_positions(*, tenant: Tenant, unit: Unit, on: datetime.date | None = None) -> list[Position]:
    """The unit's active positions, each with `holders`: the assignments current on that day."""
    on = on or tenant_today(tenant)
    current = Assignment.objects.filter(tenant=tenant).filter(_current(on)).select_related("employee").order_by("start")
    return list(
        Position.objects.filter(tenant=tenant, unit=unit, is_active=True).prefetch_related(
            Prefetch("assignments", queryset=current, to_attr="holders")
        )
    )


def position_choices(*, tenant: Tenant, on: datetime.date | None = None) -> QuerySet[Position]:
    """Active positions in units open on that day, for a choice list."""
    on = on or tenant_today(tenant)
    return (
        Position.objects.filter(tenant=tenant, is_active=True).filter(_open(on, "unit__"))
        .select_related("unit")
        .order_by("unit__code", "-is_head", "-job_class", "name")
    )


def position_in_unit(*, tenant: Tenant, unit: Unit, name: str) -> Position | None:
    return Position.objects.filter(tenant=tenant, unit=unit, name__iexact=name.strip(), is_active=True).first()


# Employees ---------------------------------------------------------------------------------------


def employee_get(*, tenant: Tenant, pk: int) -> Employee:
    employee = Employee.objects.filter(tenant=tenant, pk=pk).select_related("user").first()
    if employee is None:
        raise Http404
    return employee


def employee_by_nip(*, tenant: Tenant, nip: str) -> Employee | None:
    return Employee.objects.filter(tenant=tenant, nip=nip).first()


def employee_for_user(*, tenant: Tenant, user) -> Employee | None:
    """The employee record linked to a user account in this tenant, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Employee.objects.filter(tenant=tenant, user=user).first()


def employee_list(
    *,
    tenant: Tenant,
    query: str = "",
    unit: Unit | None = None,
    page: int | str = 1,
    per_page: int = 25,
    on: datetime.date | None = None,
) -> Page:
    """Employees by name, searchable by name or NIP, filtered to a unit and the units below it.

    Each employee carries `current`: their assignments current on that day, with position and unit.
    """
    on = on or tenant_today(tenant)
    qs = Employee.objects.filter(tenant=tenant)
    query = (query or "").strip()
    if query:
        digits = query.replace(" ", "")
        qs = qs.filter(Q(full_name__icontains=query) | Q(nip__startswith=digits) if digits.isdigit() else Q(full_name__icontains=query))
    if unit is not None:
        units = unit_descendant_ids(tenant=tenant, unit=unit)
        held = Assignment.objects.filter(tenant=tenant, position__unit_id__in=units).filter(_current(on))
        qs = qs.filter(pk__in=held.values("employee_id"))
    current = (
        Assignment.objects.filter(tenant=tenant).filter(_current(on)).select_related("position__unit").order_by("-is_primary")
    )
    qs = qs.order_by("full_name", "pk").prefetch_related(Prefetch("assignments", queryset=current, to_attr="current"))
    return Paginator(qs, per_page).get_page(page)


def employee_assignments(*, tenant: Tenant, employee: Employee) -> list[Assignment]:
    return list(
        Assignment.objects.filter(tenant=tenant, employee=employee).select_related("position__unit").order_by("-start", "-pk")
    )


def assignment_current(*, tenant: Tenant, employee: Employee, on: datetime.date | None = None) -> Assignment | None:
    """The employee's primary assignment on that day."""
    on = on or tenant_today(tenant)
    return (
        Assignment.objects.filter(tenant=tenant, employee=employee, is_primary=True)
        .filter(_current(on))
        .select_related("position__unit")
        .order_by("-start")
        .first()
    )


def assignment_get(*, tenant: Tenant, pk: int) -> Assignment:
    assignment = Assignment.objects.filter(tenant=tenant, pk=pk).select_related("employee", "position__unit").first()
    if assignment is None:
        raise Http404
    return assignment


# Supervisors -------------------------------------------------------------------------------------


@dataclass
class _Structure:
    parent: dict[int, int | None]
    heads: dict[int, list[Employee]]

    def supervisor(self, unit_id: int | None, employee_id: int) -> Employee | None:
        seen: set[int] = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            for head in self.heads.get(unit_id, []):
                if head.pk != employee_id:
                    return head
            unit_id = self.parent.get(unit_id)
        return None


def _structure(*, tenant: Tenant, on: datetime.date) -> _Structure:
    parent = dict(Unit.objects.filter(tenant=tenant).values_list("pk", "parent_id"))
    return _Structure(parent=parent, heads=_heads_on(tenant=tenant, on=on))


def _unit_of(*, tenant: Tenant, employee: Employee, on: datetime.date) -> int | None:
    row = (
        Assignment.objects.filter(tenant=tenant, employee=employee, is_primary=True)
        .filter(_current(on))
        .order_by("-start")
        .values_list("position__unit_id", flat=True)
        .first()
    )
    return row


def supervisor_of(*, tenant: Tenant, employee: Employee, on: datetime.date | None = None) -> Employee | None:
    """The employee's supervisor on that day, derived from the unit tree (see the module docstring).

    None when the employee holds no primary position that day or nobody leads any unit above them.
    """
    on = on or tenant_today(tenant)
    if employee.tenant_id != tenant.pk:
        return None
    unit_id = _unit_of(tenant=tenant, employee=employee, on=on)
    if unit_id is None:
        return None
    return _structure(tenant=tenant, on=on).supervisor(unit_id, employee.pk)


def supervisor_chain(*, tenant: Tenant, employee: Employee, on: datetime.date | None = None) -> list[Employee]:
    """The employee's supervisor, that supervisor's supervisor, and so on to the top."""
    on = on or tenant_today(tenant)
    if employee.tenant_id != tenant.pk:
        return []
    structure = _structure(tenant=tenant, on=on)
    units = dict(
        Assignment.objects.filter(tenant=tenant, is_primary=True)
        .filter(_current(on))
        .order_by("start")
        .values_list("employee_id", "position__unit_id")
    )
    chain: list[Employee] = []
    seen = {employee.pk}
    current = employee
    while True:
        boss = structure.supervisor(units.get(current.pk), current.pk)
        if boss is None or boss.pk in seen:
            return chain
        chain.append(boss)
        seen.add(boss.pk)
        current = boss


def subordinates_of(*, tenant: Tenant, employee: Employee, on: datetime.date | None = None) -> list[Employee]:
    """The employees whose supervisor on that day is this employee, by name."""
    on = on or tenant_today(tenant)
    if employee.tenant_id != tenant.pk:
        return []
    structure = _structure(tenant=tenant, on=on)
    led = [unit_id for unit_id, heads in structure.heads.items() if any(h.pk == employee.pk for h in heads)]
    if not led:
        return []
    below = _below(structure.parent, led)
    rows = (
        Assignment.objects.filter(tenant=tenant, is_primary=True, position__unit_id__in=below)
        .filter(_current(on))
        .select_related("employee", "position")
    )
    found = {
        a.employee.pk: a.employee
        for a in rows
        if a.employee_id != employee.pk
        and (boss := structure.supervisor(a.position.unit_id, a.employee_id)) is not None
        and boss.pk == employee.pk
    }
    return sorted(found.values(), key=lambda e: (e.full_name, e.pk))


def supervisors_for(*, tenant: Tenant, employees: list[Employee], on: datetime.date | None = None) -> dict[int, Employee | None]:
    """Employee id -> supervisor on that day, for many employees at once (three queries)."""
    on = on or tenant_today(tenant)
    structure = _structure(tenant=tenant, on=on)
    ids = [e.pk for e in employees]
    units = dict(
        Assignment.objects.filter(tenant=tenant, is_primary=True, employee_id__in=ids)
        .filter(_current(on))
        .order_by("start")
        .values_list("employee_id", "position__unit_id")
    )
    return {pk: structure.supervisor(units.get(pk), pk) if pk in units else None for pk in ids}
