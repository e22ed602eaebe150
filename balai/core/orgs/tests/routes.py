import datetime

from balai.core.orgs import services
from balai.core.orgs.models import Employee, Unit
from balai.testing.routes import Route

VIEWERS = {"anonymous": 302, "outsider": 403, "citizen": 403}
ADMIN_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403}
ADMIN_POST = {**ADMIN_ONLY, "admin": frozenset({302, 400})}
NIPS = {"serang": "198501012010121001", "cilegon": "199002022015032002"}


def build(tw):
    tenant, since = tw.tenant, datetime.date(2020, 1, 1)
    opd = services.unit_create(
        tenant=tenant, code="DPMPTSP", name="Dinas Penanaman Modal dan PTSP", kind=Unit.Kind.OPD, valid_from=since
    )
    bidang = services.unit_create(
        tenant=tenant, code="DPMPTSP.1", name="Bidang Pelayanan", kind=Unit.Kind.BIDANG, parent=opd, valid_from=since
    )
    head = services.position_create(unit=opd, name="Kepala Dinas", job_class=14, is_head=True)
    staff = services.position_create(unit=bidang, name="Pengadministrasi Umum", job_class=6)
    employee = services.employee_create(
        tenant=tenant, nip=NIPS[tw.key], full_name=f"Pegawai {tw.key}", employment_type=Employee.EmploymentType.PNS
    )
    boss = services.employee_create(
        tenant=tenant, nip=NIPS[tw.key][:-3] + "009", full_name=f"Kepala {tw.key}", employment_type=Employee.EmploymentType.PNS
    )
    start = datetime.date(2024, 1, 2)
    assignment = services.employee_assign(employee=employee, position=staff, start=start)
    services.employee_assign(employee=boss, position=head, start=start)
    tw.objects.update(orgs_unit=bidang, orgs_position=staff, orgs_employee=employee, orgs_assignment=assignment, orgs_head=head)


def _pk(key):
    return lambda tw: {"pk": tw.objects[key].pk}


RULES = [
    Route("orgs:unit_list", get=VIEWERS),
    Route(
        "orgs:unit_create",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        post_data=lambda tw: {"name": "Bidang Baru", "code": f"BARU-{tw.key}", "kind": "bidang", "parent": tw.objects["orgs_unit"].pk},
    ),
    Route("orgs:unit_detail", get=VIEWERS, kwargs=_pk("orgs_unit")),
    Route(
        "orgs:unit_update",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        kwargs=_pk("orgs_unit"),
        post_data=lambda tw: {"name": "Bidang Pelayanan Perizinan", "code": "DPMPTSP.1", "kind": "bidang", "parent": tw.objects["orgs_unit"].parent_id},
    ),
    # Closing is refused while someone holds a position there: the admin is sent back with a message.
    Route("orgs:unit_close", default=405, post=ADMIN_POST, kwargs=_pk("orgs_unit"), post_data=lambda tw: {}),
    Route(
        "orgs:position_create",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        kwargs=_pk("orgs_unit"),
        post_data=lambda tw: {"name": "Analis Data", "job_class": "7"},
    ),
    Route(
        "orgs:position_update",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        kwargs=_pk("orgs_position"),
        post_data=lambda tw: {"name": "Pengadministrasi Perizinan", "job_class": "6", "is_active": "on"},
    ),
    Route("orgs:employee_list", get=VIEWERS),
    Route(
        "orgs:employee_create",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        post_data=lambda tw: {"nip": "bukan-nip", "full_name": "Tanpa NIP", "employment_type": "pns", "status": "active"},
    ),
    Route("orgs:employee_detail", get=VIEWERS, kwargs=_pk("orgs_employee")),
    Route(
        "orgs:employee_update",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        kwargs=_pk("orgs_employee"),
        post_data=lambda tw: {
            "nip": tw.objects["orgs_employee"].nip, "full_name": "Nama Diperbaiki", "employment_type": "pns", "status": "active",
        },
    ),
    Route(
        "orgs:employee_assign",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        kwargs=_pk("orgs_employee"),
        post_data=lambda tw: {"position": tw.objects["orgs_position"].pk, "start": "2025-01-02", "acting": "on"},
    ),
    Route(
        "orgs:assignment_end",
        default=405,
        post=ADMIN_POST,
        kwargs=_pk("orgs_assignment"),
        post_data=lambda tw: {"end": "2030-12-31"},
    ),
    Route("orgs:import", get=ADMIN_ONLY, post=ADMIN_POST),
    Route("orgs:import_template", get=ADMIN_ONLY, kwargs=lambda tw: {"filename": "templat-unit.csv"}),
]
