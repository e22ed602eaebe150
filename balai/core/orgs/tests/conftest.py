import datetime

import pytest

from balai.core.orgs import services
from balai.core.orgs.models import Employee, Unit

D = datetime.date
SINCE = D(2020, 1, 1)


def nip(serial: int, *, gender: int = 1, birth: str = "19850101", appointed: str = "201001") -> str:
    return f"{birth}{appointed}{gender}{serial:03d}"


def make_employee(tenant, serial: int, name: str, **kwargs) -> Employee:
    return services.employee_create(
        tenant=tenant, nip=nip(serial), full_name=name, employment_type=Employee.EmploymentType.PNS, **kwargs
    )


@pytest.fixture
def tenant(world):
    return world.serang.tenant


@pytest.fixture
def org(tenant):
    """DPMPTSP (OPD) > Bidang Pelayanan > Seksi Perizinan Usaha, each with a head position, and staff."""
    opd = services.unit_create(tenant=tenant, code="DPMPTSP", name="Dinas PMPTSP", short_name="DPMPTSP", kind=Unit.Kind.OPD, valid_from=SINCE)
    bidang = services.unit_create(tenant=tenant, code="DPMPTSP.1", name="Bidang Pelayanan", kind=Unit.Kind.BIDANG, parent=opd, valid_from=SINCE)
    seksi = services.unit_create(tenant=tenant, code="DPMPTSP.1.1", name="Seksi Perizinan Usaha", kind=Unit.Kind.SEKSI, parent=bidang, valid_from=SINCE)
    positions = {
        "kadis": services.position_create(unit=opd, name="Kepala Dinas", job_class=14, is_head=True),
        "kabid": services.position_create(unit=bidang, name="Kepala Bidang Pelayanan", job_class=12, is_head=True),
        "kasi": services.position_create(unit=seksi, name="Kepala Seksi Perizinan Usaha", job_class=9, is_head=True),
        "staf_seksi": services.position_create(unit=seksi, name="Pengadministrasi Perizinan", job_class=6),
        "staf_bidang": services.position_create(unit=bidang, name="Analis Pelayanan", job_class=7),
    }
    people = {
        "kadis": make_employee(tenant, 1, "Hendra Wijaya"),
        "kabid": make_employee(tenant, 2, "Rina Marlina"),
        "kasi": make_employee(tenant, 3, "Agus Salim"),
        "staf": make_employee(tenant, 4, "Dedi Kurniawan"),
    }
    for key in ("kadis", "kabid", "kasi"):
        services.employee_assign(employee=people[key], position=positions[key], start=SINCE)
    services.employee_assign(employee=people["staf"], position=positions["staf_seksi"], start=SINCE)
    return {"units": {"opd": opd, "bidang": bidang, "seksi": seksi}, "positions": positions, "people": people}
