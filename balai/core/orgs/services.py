"""Writes on the organisation structure: units, positions, employees, assignments, and the import.

Every service runs in one transaction and raises ValidationError (keyed by field where there is one,
with an Indonesian message saying what to do) before writing anything it refuses. History is kept:
units are closed and renamed by date, assignments end the day before the next one starts.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from balai.core.audit.services import audit_record, snapshot
from balai.core.tenants.models import Tenant

from .identifiers import job_class_clean, nip_clean, rank_clean
from .models import Assignment, Employee, Position, Unit, UnitName
from .selectors import tenant_today

if TYPE_CHECKING:
    from .imports import ImportReport

_UNSET: Any = object()
ONE_DAY = datetime.timedelta(days=1)


_UNIT_FIELDS = ["code", "name", "short_name", "kind", "parent", "valid_from"]


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


# Units -------------------------------------------------------------------------------------------


def _clean_unit_fields(*, tenant: Tenant, code: str, name: str, kind: str, short_name: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    code, name, short_name = (code or "").strip(), " ".join((name or "").split()), (short_name or "").strip()
    if not code:
        errors["code"] = _("Kode unit wajib diisi, misalnya DPMPTSP atau 1.2.3.")
    elif len(code) > 40 or any(ch.isspace() for ch in code):
        errors["code"] = _("Kode unit paling panjang 40 karakter dan tanpa spasi.")
    if not name:
        errors["name"] = _("Nama unit wajib diisi, misalnya Bidang Pelayanan Perizinan.")
    elif len(name) > 200:
        errors["name"] = _("Nama unit paling panjang 200 karakter.")
    if len(short_name) > 40:
        errors["short_name"] = _("Singkatan paling panjang 40 karakter.")
    if kind not in Unit.Kind.values:
        errors["kind"] = _("Pilih jenis unit: OPD, bidang, bagian, seksi, subbagian, UPTD atau lainnya.")
    if errors:
        raise ValidationError(errors)
    return {"code": code, "name": name, "short_name": short_name, "kind": kind}


def _check_parent(*, tenant: Tenant, kind: str, parent: Unit | None, on: datetime.date, unit: Unit | None = None) -> None:
    if kind == Unit.Kind.OPD:
        if parent is not None:
            raise ValidationError({"parent": _("OPD berada di puncak pohon: kosongkan unit induk, atau pilih jenis lain.")})
        return
    if parent is None:
        raise ValidationError({"parent": _("Pilih unit induk: hanya OPD yang berdiri tanpa induk.")})
    if parent.tenant_id != tenant.pk:
        raise ValidationError({"parent": _("Unit induk tidak ditemukan.")})
    if not parent.is_open_on(on):
        raise ValidationError({"parent": _("Unit induk %(name)s sudah ditutup; pilih unit yang masih aktif.") % {"name": parent.name}})
    if unit is not None:
        ancestor, seen = parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == unit.pk:
                raise ValidationError({"parent": _("Unit tidak bisa menjadi induk dirinya sendiri atau induk dari induknya.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


@transaction.atomic
def unit_create(
    *,
    tenant: Tenant,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    valid_from: datetime.date | None = None,
    actor=None,
) -> Unit:
    """Create a unit under its parent (none for an OPD), with its first name in the name history.

    The code is unique in the tenant; the parent must be open on `valid_from`. An empty `valid_from`
    records a unit that already existed before it was entered here.
    """
    fields = _clean_unit_fields(tenant=tenant, code=code, name=name, kind=kind, short_name=short_name)
    _check_parent(tenant=tenant, kind=fields["kind"], parent=parent, on=valid_from or tenant_today(tenant))
    if Unit.objects.filter(tenant=tenant, code=fields["code"]).exists():
        raise ValidationError({"code": _("Kode unit %(code)s sudah dipakai; pilih kode lain.") % {"code": fields["code"]}})
    unit = Unit.objects.create(tenant=tenant, parent=parent, valid_from=valid_from, **fields)
    UnitName.objects.create(
        tenant=tenant, unit=unit, name=unit.name, short_name=unit.short_name, valid_from=valid_from
    )
    audit_record(tenant=tenant, actor=actor, action="orgs.unit_create", obj=unit, after=snapshot(unit, _UNIT_FIELDS))
    return unit


@transaction.atomic
def unit_update(
    *,
    unit: Unit,
    name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    code: str | None = None,
    parent: Unit | None = _UNSET,
    effective: datetime.date | None = None,
    actor=None,
) -> Unit:
    """Change a unit. A new name or short name takes effect on `effective` (default today) and the
    earlier name stays in the history up to the day before; a change on the day the current name
    started corrects it instead. The tree never gets a cycle.
    """
    tenant = unit.tenant
    unit = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk, tenant=tenant)
    if unit.valid_to is not None:
        raise ValidationError(_("Unit %(name)s sudah ditutup dan tidak dapat diubah.") % {"name": unit.name})
    new = _clean_unit_fields(
        tenant=tenant,
        code=unit.code if code is None else code,
        name=unit.name if name is None else name,
        kind=unit.kind if kind is None else kind,
        short_name=unit.short_name if short_name is None else short_name,
    )
    new_parent = unit.parent if parent is _UNSET else parent
    effective = effective or tenant_today(tenant)
    if new_parent != unit.parent or new["kind"] != unit.kind:
        _check_parent(tenant=tenant, kind=new["kind"], parent=new_parent, on=effective, unit=unit)
    if new["code"] != unit.code and Unit.objects.filter(tenant=tenant, code=new["code"]).exclude(pk=unit.pk).exists():
        raise ValidationError({"code": _("Kode unit %(code)s sudah dipakai; pilih kode lain.") % {"code": new["code"]}})

    if new["name"] != unit.name or new["short_name"] != unit.short_name:
        current = UnitName.objects.select_for_update().filter(tenant=tenant, unit=unit, valid_to__isnull=True).first()
        started = current.valid_from if current is not None else None
        if started is not None and effective < started:
            raise ValidationError(
                {"effective": _("Tanggal berlaku nama baru harus sesudah %(day)s, saat nama sekarang mulai berlaku.")
                 % {"day": _fmt(current.valid_from)}}
            )
        if current is not None and effective == started:
            current.name, current.short_name = new["name"], new["short_name"]
            current.save(update_fields=["name", "short_name"])
        else:
            if current is not None:
                current.valid_to = effective - ONE_DAY
                current.save(update_fields=["valid_to"])
            UnitName.objects.create(
                tenant=tenant, unit=unit, name=new["name"], short_name=new["short_name"], valid_from=effective
            )

    changed = [f for f, v in new.items() if getattr(unit, f) != v]
    for f in changed:
        setattr(unit, f, new[f])
    if new_parent != unit.parent:
        unit.parent = new_parent
        changed.append("parent")
    if changed:
        unit.save(update_fields=[*changed, "updated_at"])
        audit_record(tenant=unit.tenant, actor=actor, action="orgs.unit_update", obj=unit, data={"changed": changed})
    return unit


@transaction.atomic
def unit_close(*, unit: Unit, on: datetime.date | None = None, actor=None) -> Unit:
    """Close a unit from the day after `on` (its last day, default today); it stays in the history.

    Refused while a unit below it is still open or someone still holds a position in it after that
    day. Its positions become inactive.
    """
    tenant = unit.tenant
    unit = Unit.objects.select_for_update().get(pk=unit.pk, tenant=tenant)
    on = on or tenant_today(tenant)
    if unit.valid_to is not None:
        raise ValidationError(_("Unit %(name)s sudah ditutup.") % {"name": unit.name})
    if unit.valid_from is not None and on < unit.valid_from:
        raise ValidationError({"on": _("Tanggal tutup tidak boleh sebelum unit berlaku (%(day)s).") % {"day": _fmt(unit.valid_from)}})
    open_children = Unit.objects.filter(tenant=tenant, parent=unit).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
    if open_children.exists():
        raise ValidationError(_("Unit ini masih punya unit di bawahnya yang aktif; tutup atau pindahkan unit itu dulu."))
    holders = Assignment.objects.filter(tenant=tenant, position__unit=unit).filter(Q(end__isnull=True) | Q(end__gt=on))
    if holders.exists():
        raise ValidationError(_("Masih ada pegawai yang memegang jabatan di unit ini; pindahkan atau akhiri penugasannya dulu."))
    unit.valid_to = on
    unit.save(update_fields=["valid_to", "updated_at"])
    UnitName.objects.filter(tenant=tenant, unit=unit, valid_to__isnull=True).update(valid_to=on)
    Position.objects.filter(tenant=tenant, unit=unit, is_active=True).update(is_active=False)
    audit_record(tenant=tenant, actor=actor, action="orgs.unit_close", obj=unit, data={"last_day": on.isoformat()})
    return unit


# Positions ---------------------------------------------------------------------------------------


def _clean_position_fields(*, name: str, job_class: Any, type: str) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Nama jabatan wajib diisi, misalnya Kepala Seksi Perizinan Usaha.")
    elif len(name) > 200:
        errors["name"] = _("Nama jabatan paling panjang 200 karakter.")
    try:
        job_class = job_class_clean(job_class)
    except ValidationError as exc:
        errors["job_class"] = exc.messages[0]
    if type and type not in Position.Type.values:
        errors["type"] = _("Pilih jenis jabatan: struktural, fungsional atau pelaksana.")
    if errors:
        raise ValidationError(errors)
    return {"name": name, "job_class": job_class, "type": type or ""}


def _check_single_head(*, unit: Unit, exclude: Position | None = None) -> None:
    others = Position.objects.filter(tenant=unit.tenant_id, unit=unit, is_head=True, is_active=True)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    other = others.first()
    if other is not None:
        raise ValidationError(
            {"is_head": _("Unit %(unit)s sudah punya jabatan kepala (%(name)s); satu unit hanya punya satu kepala.")
             % {"unit": unit.name, "name": other.name}}
        )


@transaction.atomic
def position_create(
    *, unit: Unit, name: str, job_class: int, is_head: bool = False, type: str = "", actor=None
) -> Position:
    """Create a position in an open unit; at most one active head position per unit."""
    fields = _clean_position_fields(name=name, job_class=job_class, type=type)
    unit = Unit.objects.select_for_update().get(pk=unit.pk, tenant=unit.tenant_id)
    if unit.valid_to is not None:
        raise ValidationError(_("Unit %(name)s sudah ditutup; jabatan baru hanya di unit yang aktif.") % {"name": unit.name})
    if is_head:
        _check_single_head(unit=unit)
    position = Position.objects.create(tenant_id=unit.tenant_id, unit=unit, is_head=is_head, **fields)
    audit_record(
        tenant=unit.tenant, actor=actor, action="orgs.position_create", obj=position,
        after=snapshot(position, ["unit", "name", "job_class", "is_head", "type"]),
    )
    return position


@transaction.atomic
def position_update(
    *,
    position: Position,
    name: str | None = None,
    job_class: int | None = None,
    is_head: bool | None = None,
    type: str | None = None,
    is_active: bool | None = None,
    actor=None,
) -> Position:
    """Change a position. It stays the head only if no other active head exists in its unit, and it
    can be made inactive or stop being the head only once nobody holds it any more.
    """
    position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk, tenant=position.tenant_id)
    fields = _clean_position_fields(
        name=position.name if name is None else name,
        job_class=position.job_class if job_class is None else job_class,
        type=position.type if type is None else type,
    )
    fields["is_head"] = position.is_head if is_head is None else bool(is_head)
    fields["is_active"] = position.is_active if is_active is None else bool(is_active)
    if fields["is_active"] and not position.is_active and position.unit.valid_to is not None:
        raise ValidationError(_("Unit jabatan ini sudah ditutup; jabatan tidak dapat diaktifkan lagi."))
    if fields["is_head"] and fields["is_active"]:
        _check_single_head(unit=position.unit, exclude=position)
    held = Assignment.objects.filter(tenant=position.tenant_id, position=position, end__isnull=True).exists()
    if held and not fields["is_active"] and position.is_active:
        raise ValidationError({"is_active": _("Jabatan ini masih dipegang pegawai; akhiri penugasannya dulu.")})
    if held and fields["is_head"] != position.is_head:
        raise ValidationError({"is_head": _("Jabatan ini sedang dipegang; ubah status kepala setelah penugasannya berakhir.")})
    changed = [f for f, v in fields.items() if getattr(position, f) != v]
    for f in changed:
        setattr(position, f, fields[f])
    if changed:
        position.save(update_fields=[*changed, "updated_at"])
        audit_record(tenant=position.tenant, actor=actor, action="orgs.position_update", obj=position, data={"changed": changed})
    return position


# Employees ---------------------------------------------------------------------------------------


def _clean_employee_fields(*, nip: str, full_name: str, employment_type: str, rank: str, email: str, status: str) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    try:
        nip = nip_clean(nip)
    except ValidationError as exc:
        errors["nip"] = exc.messages[0]
    full_name = " ".join((full_name or "").split())
    if not full_name:
        errors["full_name"] = _("Nama lengkap wajib diisi, seperti tertulis pada SK.")
    elif len(full_name) > 150:
        errors["full_name"] = _("Nama lengkap paling panjang 150 karakter.")
    if employment_type not in Employee.EmploymentType.values:
        errors["employment_type"] = _("Pilih jenis pegawai: PNS atau PPPK.")
    else:
        try:
            rank = rank_clean(rank, employment_type=employment_type)
        except ValidationError as exc:
            errors["rank"] = exc.messages[0]
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Alamat surel %(email)s tidak sah; tulis seperti nama@contoh.go.id.") % {"email": email}
    if status not in Employee.Status.values:
        errors["status"] = _("Pilih status pegawai yang tersedia.")
    if errors:
        raise ValidationError(errors)
    return {"nip": nip, "full_name": full_name, "employment_type": employment_type, "rank": rank, "email": email, "status": status}


def _account_for(*, tenant: Tenant, email: str, exclude: Employee | None = None):
    """The verified account with this e-mail, unless another employee of the tenant is linked to it.

    Only a verified address links: somebody who registers with a colleague's address gets nothing.
    """
    from balai.core.accounts.selectors import user_by_email

    if not email:
        return None
    user = user_by_email(email=email)
    if user is None or not user.email_verified:
        return None
    taken = Employee.objects.filter(tenant=tenant, user=user)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return None if taken.exists() else user


@transaction.atomic
def employee_create(
    *,
    tenant: Tenant,
    nip: str,
    full_name: str,
    employment_type: str,
    rank: str = "",
    email: str = "",
    status: str = Employee.Status.ACTIVE,
    actor=None,
) -> Employee:
    """Create an employee with a valid NIP that is unique in the tenant; link the verified account
    with the same e-mail address when there is one.
    """
    fields = _clean_employee_fields(
        nip=nip, full_name=full_name, employment_type=employment_type, rank=rank, email=email, status=status
    )
    if Employee.objects.filter(tenant=tenant, nip=fields["nip"]).exists():
        raise ValidationError({"nip": _("NIP %(nip)s sudah terdaftar; buka data pegawai itu untuk mengubahnya.") % {"nip": fields["nip"]}})
    user = _account_for(tenant=tenant, email=fields["email"])
    try:
        with transaction.atomic():
            employee = Employee.objects.create(tenant=tenant, user=user, **fields)
    except IntegrityError:  # a concurrent request registered the same NIP
        raise ValidationError({"nip": _("NIP %(nip)s sudah terdaftar.") % {"nip": fields["nip"]}}) from None
    audit_record(tenant=tenant, actor=actor, action="orgs.employee_create", obj=employee, data={"linked_account": bool(user)})
    return employee


@transaction.atomic
def employee_update(
    *,
    employee: Employee,
    nip: str | None = None,
    full_name: str | None = None,
    employment_type: str | None = None,
    rank: str | None = None,
    email: str | None = None,
    status: str | None = None,
    actor=None,
) -> Employee:
    """Change an employee's data. A retired employee's current assignments end today. The linked
    account follows the e-mail address (a verified account with that address, or none).
    """
    tenant = employee.tenant
    employee = Employee.objects.select_for_update().get(pk=employee.pk, tenant=tenant)
    fields = _clean_employee_fields(
        nip=employee.nip if nip is None else nip,
        full_name=employee.full_name if full_name is None else full_name,
        employment_type=employee.employment_type if employment_type is None else employment_type,
        rank=employee.rank if rank is None else rank,
        email=employee.email if email is None else email,
        status=employee.status if status is None else status,
    )
    if fields["nip"] != employee.nip and Employee.objects.filter(tenant=tenant, nip=fields["nip"]).exists():
        raise ValidationError({"nip": _("NIP %(nip)s sudah dipakai pegawai lain.") % {"nip": fields["nip"]}})
    changed = [f for f, v in fields.items() if getattr(employee, f) != v]
    if "email" in changed or (employee.user_id is None and fields["email"]):
        user = _account_for(tenant=tenant, email=fields["email"], exclude=employee)
        if (user.pk if user else None) != employee.user_id:
            employee.user = user
            changed.append("user")
    for f in fields:
        setattr(employee, f, fields[f])
    if changed:
        employee.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
    if "status" in changed and employee.status == Employee.Status.RETIRED:
        today = tenant_today(tenant)
        Assignment.objects.filter(tenant=tenant, employee=employee, end__isnull=True, start__lte=today).update(end=today)
    if changed:
        audit_record(tenant=tenant, actor=actor, action="orgs.employee_update", obj=employee, data={"changed": sorted(set(changed))})
    return employee


@transaction.atomic
def employee_link_account(*, employee: Employee, actor=None) -> Employee:
    """Link the employee to the verified account with the employee's e-mail address, if there is one
    and no other employee of the tenant holds it. Call it after creating or verifying such an account.
    """
    employee = Employee.objects.select_for_update().get(pk=employee.pk, tenant=employee.tenant_id)
    if employee.user_id is None:
        user = _account_for(tenant=employee.tenant, email=employee.email, exclude=employee)
        if user is not None:
            employee.user = user
            employee.save(update_fields=["user", "updated_at"])
            audit_record(tenant=employee.tenant, actor=actor, action="orgs.employee_link_account", obj=employee)
    return employee


@transaction.atomic
def employee_assign(
    *,
    employee: Employee,
    position: Position,
    start: datetime.date,
    actor=None,
    primary: bool = True,
) -> Assignment:
    """Let the employee hold the position from `start` on.

    A primary assignment ends the employee's current primary one on the day before `start`, and must
    start after it began. A head position has at most one holder at a time: assigning someone else
    while it is held is refused until the holder's assignment ends. The unit must be open.
    """
    tenant = employee.tenant
    if position.tenant_id != tenant.pk:
        raise ValidationError({"position": _("Jabatan tidak ditemukan.")})
    employee = Employee.objects.select_for_update().get(pk=employee.pk, tenant=tenant)
    position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk, tenant=tenant)
    if start is None:
        raise ValidationError({"start": _("Tanggal mulai wajib diisi.")})
    if not position.is_active:
        raise ValidationError({"position": _("Jabatan %(name)s tidak aktif; pilih jabatan lain.") % {"name": position.name}})
    if not position.unit.is_open_on(start):
        raise ValidationError(
            {"start": _("Unit %(unit)s tidak aktif pada %(day)s; pilih tanggal saat unit itu berlaku.")
             % {"unit": position.unit.name, "day": _fmt(start)}}
        )
    if employee.status == Employee.Status.RETIRED:
        raise ValidationError(_("Pegawai ini sudah pensiun; ubah statusnya dulu bila memang aktif lagi."))
    if position.is_head:
        holder = (
            Assignment.objects.filter(tenant=tenant, position=position)
            .exclude(employee=employee)
            .filter(Q(end__isnull=True) | Q(end__gte=start))
            .select_related("employee")
            .first()
        )
        if holder is not None:
            raise ValidationError(
                {"position": _("Jabatan kepala %(name)s masih dipegang %(holder)s; akhiri penugasan itu dulu.")
                 % {"name": position.name, "holder": holder.employee.full_name}}
            )
    if primary:
        later = Assignment.objects.filter(tenant=tenant, employee=employee, is_primary=True, start__gte=start).first()
        if later is not None:
            raise ValidationError(
                {"start": _("Pegawai ini sudah punya penugasan mulai %(day)s; tanggal mulai yang baru harus sesudahnya.")
                 % {"day": _fmt(later.start)}}
            )
        Assignment.objects.filter(tenant=tenant, employee=employee, is_primary=True).filter(
            Q(end__isnull=True) | Q(end__gte=start)
        ).update(end=start - ONE_DAY)
    else:
        overlap = Assignment.objects.filter(tenant=tenant, employee=employee, position=position).filter(
            Q(end__isnull=True) | Q(end__gte=start)
        )
        if overlap.exists():
            raise ValidationError({"position": _("Pegawai ini sudah memegang jabatan itu pada tanggal tersebut.")})
    assignment = Assignment.objects.create(
        tenant=tenant, employee=employee, position=position, start=start, is_primary=primary,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        tenant=tenant, actor=actor, action="orgs.employee_assign", obj=assignment,
        data={"employee": employee.pk, "position": position.pk, "start": start.isoformat(), "primary": primary},
    )
    return assignment


@transaction.atomic
def assignment_end(*, assignment: Assignment, end: datetime.date, actor=None) -> Assignment:
    """End an assignment on `end` (its last day), not before it started."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk, tenant=assignment.tenant_id)
    if end is None or end < assignment.start:
        raise ValidationError({"end": _("Tanggal akhir tidak boleh sebelum penugasan mulai (%(day)s).") % {"day": _fmt(assignment.start)}})
    if assignment.end is not None and assignment.end <= end:
        raise ValidationError(_("Penugasan ini sudah berakhir pada %(day)s.") % {"day": _fmt(assignment.end)})
    assignment.end = end
    assignment.save(update_fields=["end"])
    audit_record(tenant=assignment.tenant, actor=actor, action="orgs.assignment_end", obj=assignment, data={"end": end.isoformat()})
    return assignment


def orgs_import(*, tenant: Tenant, file, actor=None) -> ImportReport:
    """Import units and employees from an uploaded .xlsx or .csv file (see imports.py for the columns).

    The file is refused as a whole when it is not really xlsx or csv, is larger than 2 MB or has more
    than 5,000 rows. Otherwise each row is saved on its own, atomically, or rejected with its reason;
    re-importing the same file changes nothing (units match by code, employees by NIP).
    """
    from .imports import import_file

    return import_file(tenant=tenant, file=file, actor=actor)
