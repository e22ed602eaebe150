import datetime

import pytest

from balai.core.audit.models import AuditEntry
from balai.core.audit.verify import verify_chain
from balai.core.orgs import services
from balai.core.orgs.models import Unit


@pytest.mark.django_db
def test_structure_changes_are_on_the_tenant_audit_chain(world):
    tenant, admin = world.serang.tenant, world.serang.people["admin"]
    opd = services.unit_create(tenant=tenant, code="DPMPTSP", name="Dinas Penanaman Modal dan PTSP", kind=Unit.Kind.OPD, actor=admin)
    head = services.position_create(unit=opd, name="Kepala Dinas", job_class=14, is_head=True, actor=admin)
    employee = services.employee_create(
        tenant=tenant, nip="198501012010011001", full_name="Rina Marlina", employment_type="pns", actor=admin
    )
    services.employee_assign(employee=employee, position=head, start=datetime.date(2026, 1, 5), actor=admin)
    services.unit_update(unit=opd, name="Dinas Penanaman Modal", actor=admin)

    entries = AuditEntry.objects.filter(tenant=tenant, actor_id=admin.pk).order_by("seq")
    assert [e.action for e in entries] == [
        "orgs.unit_create", "orgs.position_create", "orgs.employee_create", "orgs.employee_assign", "orgs.unit_update",
    ]
    assert entries.last().object_id == str(opd.pk)
    assert not AuditEntry.objects.filter(tenant=world.cilegon.tenant, action__startswith="orgs.").exists()
    assert verify_chain(tenant).ok
