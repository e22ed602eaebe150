"""Demo organisation structure: six OPD with bidang and seksi, positions and a few employees each.

Everything goes through the services. Running it again creates nothing new: units match by code,
positions by unit and name, and a position that already has a holder gets no new one.
"""

from __future__ import annotations

import datetime
from typing import Any

from balai.core.tenants.models import Tenant

from . import services
from .models import Assignment, Employee, Position, Unit
from .selectors import tenant_today

# (code, name, short name, head title, head class, [(bidang name, kind, [seksi names])])
OPDS: list[tuple[str, str, str, str, int, list[tuple[str, str, list[str]]]]] = [
    (
        "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "Kepala Dinas", 14,
        [
            ("Bidang Pelayanan Perizinan", Unit.Kind.BIDANG, ["Seksi Perizinan Usaha", "Seksi Perizinan Non Usaha"]),
            ("Bidang Pengaduan dan Informasi", Unit.Kind.BIDANG, ["Seksi Pengaduan"]),
        ],
    ),
    (
        "BKAD", "Badan Keuangan dan Aset Daerah", "BKAD", "Kepala Badan", 15,
        [
            ("Bidang Perbendaharaan", Unit.Kind.BIDANG, ["Seksi Belanja", "Seksi Kas Daerah"]),
            ("Bidang Akuntansi", Unit.Kind.BIDANG, ["Seksi Pelaporan"]),
        ],
    ),
    (
        "BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "Kepala Badan", 14,
        [
            ("Bidang Mutasi dan Promosi", Unit.Kind.BIDANG, ["Seksi Kepangkatan"]),
            ("Bidang Pengembangan Kompetensi", Unit.Kind.BIDANG, ["Seksi Diklat"]),
        ],
    ),
    (
        "INSPEKTORAT", "Inspektorat Daerah", "Inspektorat", "Inspektur", 15,
        [("Sekretariat Inspektorat", Unit.Kind.BAGIAN, ["Subbagian Umum dan Kepegawaian"])],
    ),
    (
        "DINSOS", "Dinas Sosial", "Dinsos", "Kepala Dinas", 14,
        [
            ("Bidang Perlindungan dan Jaminan Sosial", Unit.Kind.BIDANG, ["Seksi Bantuan Sosial"]),
            ("Bidang Rehabilitasi Sosial", Unit.Kind.BIDANG, ["Seksi Rehabilitasi Anak dan Lanjut Usia"]),
        ],
    ),
    (
        "DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo", "Kepala Dinas", 14,
        [
            ("Bidang Aplikasi Informatika", Unit.Kind.BIDANG, ["Seksi Pengembangan Aplikasi", "Seksi Tata Kelola e-Government"]),
            ("Bidang Informasi dan Komunikasi Publik", Unit.Kind.BIDANG, ["Seksi Pengelolaan Informasi Publik"]),
        ],
    ),
]

PELAKSANA = [("Pengadministrasi Umum", 5), ("Analis Kebijakan", 7), ("Pengelola Data", 6)]
RANK_BY_CLASS = {15: "IV/c", 14: "IV/b", 12: "IV/a", 11: "III/d", 9: "III/c", 7: "III/b", 6: "III/a", 5: "II/c"}


def _head_title(unit_name: str) -> str:
    return "Sekretaris Inspektorat" if unit_name == "Sekretariat Inspektorat" else f"Kepala {unit_name}"


def _unit(*, tenant: Tenant, code: str, name: str, kind: str, parent: Unit | None, short_name: str, day, actor, counts) -> Unit:
    unit = Unit.objects.filter(tenant=tenant, code=code).first()
    if unit is None:
        unit = services.unit_create(
            tenant=tenant, code=code, name=name, kind=kind, parent=parent, short_name=short_name, valid_from=day, actor=actor
        )
        counts["units"] += 1
    return unit


def _position(*, unit: Unit, name: str, job_class: int, is_head: bool, type: str, actor, counts) -> Position:
    position = Position.objects.filter(tenant=unit.tenant_id, unit=unit, name=name).first()
    if position is None:
        position = services.position_create(unit=unit, name=name, job_class=job_class, is_head=is_head, type=type, actor=actor)
        counts["positions"] += 1
    return position


def _nip(*, faker, tenant: Tenant, male: bool, appointed: datetime.date) -> str:
    for _attempt in range(50):
        birth = faker.date_between_dates(
            date_start=datetime.date(appointed.year - 45, 1, 1), date_end=datetime.date(appointed.year - 22, 12, 31)
        )
        serial = faker.random_int(min=1, max=999)
        nip = f"{birth:%Y%m%d}{appointed:%Y%m}{1 if male else 2}{serial:03d}"
        if not Employee.objects.filter(tenant=tenant, nip=nip).exists():
            return nip
    raise RuntimeError("Could not find a free demo NIP.")


def _fill(*, tenant: Tenant, position: Position, faker, start: datetime.date, actor, counts, employees: list[Employee], new: list[Employee]) -> None:
    holder = Assignment.objects.filter(tenant=tenant, position=position, end__isnull=True).select_related("employee").first()
    if holder is not None:
        employees.append(holder.employee)
        return
    male = faker.boolean()
    name = faker.name_male() if male else faker.name_female()
    appointed = datetime.date(faker.random_int(min=1995, max=2020), faker.random_int(min=1, max=12), 1)
    employee = services.employee_create(
        tenant=tenant,
        nip=_nip(faker=faker, tenant=tenant, male=male, appointed=appointed),
        full_name=name,
        employment_type=Employee.EmploymentType.PNS,
        rank=RANK_BY_CLASS.get(position.job_class, "III/a"),
        email=f"{faker.user_name()}.{faker.random_int(min=10, max=99)}@demo.balai.id",
        actor=actor,
    )
    services.employee_assign(employee=employee, position=position, start=start, actor=actor)
    counts["employees"] += 1
    employees.append(employee)
    new.append(employee)


def demo_org_structure(*, tenant: Tenant, faker, actor=None) -> dict[str, Any]:
    """Create the demo structure for a tenant (idempotent) and return what it holds.

    Returns {"units": [Unit], "positions": [Position], "employees": [Employee] (all demo holders),
    "new_employees": [Employee] (created by this call), "created": {"units", "positions", "employees": int}}.
    The second bidang of each OPD keeps its head post vacant, so that its people report to the OPD head.
    `faker` should be an id_ID Faker; accounts are not created here.
    """
    today = tenant_today(tenant)
    day = datetime.date(today.year - 2, 1, 2)
    counts = {"units": 0, "positions": 0, "employees": 0}
    units: list[Unit] = []
    positions: list[Position] = []
    employees: list[Employee] = []
    new: list[Employee] = []

    for code, name, short, head_title, head_class, bidang_list in OPDS:
        opd = _unit(tenant=tenant, code=code, name=name, kind=Unit.Kind.OPD, parent=None, short_name=short, day=day, actor=actor, counts=counts)
        units.append(opd)
        head = _position(unit=opd, name=head_title, job_class=head_class, is_head=True, type=Position.Type.STRUKTURAL, actor=actor, counts=counts)
        positions.append(head)
        _fill(tenant=tenant, position=head, faker=faker, start=day, actor=actor, counts=counts, employees=employees, new=new)
        for b_index, (b_name, b_kind, seksi_names) in enumerate(bidang_list, start=1):
            bidang = _unit(
                tenant=tenant, code=f"{code}.{b_index}", name=b_name, kind=b_kind, parent=opd, short_name="", day=day, actor=actor, counts=counts
            )
            units.append(bidang)
            b_head = _position(
                unit=bidang, name=_head_title(b_name), job_class=12 if b_index == 1 else 11, is_head=True,
                type=Position.Type.STRUKTURAL, actor=actor, counts=counts,
            )
            positions.append(b_head)
            pelaksana_name, pelaksana_class = PELAKSANA[(b_index - 1) % len(PELAKSANA)]
            staff = _position(
                unit=bidang, name=pelaksana_name, job_class=pelaksana_class, is_head=False, type=Position.Type.PELAKSANA, actor=actor, counts=counts
            )
            positions.append(staff)
            if b_index == 1:
                _fill(tenant=tenant, position=b_head, faker=faker, start=day, actor=actor, counts=counts, employees=employees, new=new)
            _fill(tenant=tenant, position=staff, faker=faker, start=day, actor=actor, counts=counts, employees=employees, new=new)
            for s_index, s_name in enumerate(seksi_names, start=1):
                kind = Unit.Kind.SUBBAGIAN if s_name.startswith("Subbagian") else Unit.Kind.SEKSI
                seksi = _unit(
                    tenant=tenant, code=f"{code}.{b_index}.{s_index}", name=s_name, kind=kind, parent=bidang, short_name="",
                    day=day, actor=actor, counts=counts,
                )
                units.append(seksi)
                s_head = _position(
                    unit=seksi, name=_head_title(s_name), job_class=9, is_head=True, type=Position.Type.STRUKTURAL, actor=actor, counts=counts
                )
                positions.append(s_head)
                if b_index == 1 and s_index == 1:
                    _fill(tenant=tenant, position=s_head, faker=faker, start=day, actor=actor, counts=counts, employees=employees, new=new)
    return {"units": units, "positions": positions, "employees": employees, "new_employees": new, "created": counts}
