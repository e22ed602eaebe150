from faker import Faker

from balai.core.orgs import selectors
from balai.core.orgs.demo import demo_org_structure
from balai.core.orgs.identifiers import nip_clean
from balai.core.orgs.models import Assignment, Employee, Position, Unit


def test_the_demo_structure_is_plausible_and_idempotent(tenant):
    faker = Faker("id_ID")
    faker.seed_instance(7)
    first = demo_org_structure(tenant=tenant, faker=faker)
    opds = Unit.objects.filter(tenant=tenant, kind="opd")
    assert set(opds.values_list("short_name", flat=True)) == {"DPMPTSP", "BKAD", "BKPSDM", "Inspektorat", "Dinsos", "Diskominfo"}
    for opd in opds:
        ids = selectors.unit_descendant_ids(tenant=tenant, unit=opd)
        people = Assignment.objects.filter(tenant=tenant, position__unit_id__in=ids, end__isnull=True).count()
        assert 3 <= people <= 6, (opd.code, people)
    assert first["created"]["employees"] == len(first["new_employees"]) == Employee.objects.filter(tenant=tenant).count()
    for employee in first["employees"]:
        assert nip_clean(employee.nip) == employee.nip
    kadis = Position.objects.get(tenant=tenant, unit__code="DPMPTSP", is_head=True)
    assert 14 <= kadis.job_class <= 15
    staff = Assignment.objects.get(tenant=tenant, position__unit__code="DPMPTSP.2", position__is_head=False).employee
    # The second bidang's head post is vacant: its staff report to the head of the OPD.
    assert selectors.supervisor_of(tenant=tenant, employee=staff) == kadis.assignments.get().employee

    counts = (Unit.objects.count(), Position.objects.count(), Employee.objects.count(), Assignment.objects.count())
    second = demo_org_structure(tenant=tenant, faker=faker)
    assert second["created"] == {"units": 0, "positions": 0, "employees": 0} and second["new_employees"] == []
    assert (Unit.objects.count(), Position.objects.count(), Employee.objects.count(), Assignment.objects.count()) == counts
    assert {e.pk for e in second["employees"]} == {e.pk for e in first["employees"]}
