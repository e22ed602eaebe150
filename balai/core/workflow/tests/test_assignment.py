"""Assignment: by hand with a reason for any change of hands, and balanced by workload."""

import pytest

from balai.core.audit.models import AuditEntry
from balai.core.orgs.models import Assignment, Employee, Position, Unit
from balai.core.workflow import definitions
from balai.core.workflow.models import AssignmentLog
from balai.core.workflow.services import AssignmentRefused, assign_balanced, instance_assign, transition
from balai.core.workflow.tests.workflows import TEST_PERMIT, submitted
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db


def officers(tenant, *names):
    return [make_person(name, tenant=tenant, roles=["core.officer"]) for name in names]


def test_a_reassignment_needs_a_reason_and_is_logged(world, moment, sent):
    serang = world.serang
    budi, irfan = serang.people["officer"], officers(serang.tenant, "Irfan Hakim")[0]
    instance = submitted(serang.tenant, serang.people["citizen"])
    instance_assign(instance=instance, assignee=budi, actor=budi)
    assert instance.assignee == budi
    with pytest.raises(AssignmentRefused) as refused:
        instance_assign(instance=instance, assignee=irfan, actor=serang.people["admin"], reason=" ")
    assert refused.value.code == "reason" and "Budi Santoso" in refused.value.message
    instance_assign(instance=instance, assignee=irfan, actor=serang.people["admin"], reason="Budi cuti")
    log = AssignmentLog.objects.filter(instance=instance).last()
    assert (log.from_user, log.to_user, log.reason, log.actor) == (budi, irfan, "Budi cuti", serang.people["admin"])
    assert AuditEntry.objects.filter(tenant=serang.tenant, action="workflow.reassign").count() == 1
    assert [c["recipients"] for c in sent if c["template"] == "workflow.assigned"][-1] == [irfan]


def test_only_someone_who_can_process_the_step_may_be_assigned(world, moment):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    with pytest.raises(AssignmentRefused) as refused:
        instance_assign(instance=instance, assignee=serang.people["inspector"], actor=serang.people["admin"])
    assert refused.value.code == "assignee_role"
    with pytest.raises(AssignmentRefused):  # an officer of another tenant
        instance_assign(instance=instance, assignee=world.cilegon.people["officer"], actor=serang.people["admin"])
    with pytest.raises(AssignmentRefused) as refused:  # nor may an inspector hand files out
        instance_assign(instance=instance, assignee=serang.people["officer"], actor=serang.people["inspector"])
    assert refused.value.code == "forbidden"


def test_balanced_assignment_picks_the_least_loaded_officer(world, moment):
    serang = world.serang
    budi = serang.people["officer"]
    irfan, joko = officers(serang.tenant, "Irfan Hakim", "Joko Susilo")
    admin = serang.people["admin"]  # also an officer; give everyone but Joko some work
    for person, load in ((budi, 2), (irfan, 1), (admin, 1)):
        for _ in range(load):
            instance_assign(instance=submitted(serang.tenant, serang.people["citizen"]), assignee=person, actor=person)
    instance = submitted(serang.tenant, serang.people["citizen"])
    assert assign_balanced(instance=instance) == joko
    assert instance.assignee == joko
    log = AssignmentLog.objects.filter(instance=instance).get()
    assert log.automatic and log.to_user == joko
    # Joko now has one; the next goes to whoever of the one-file officers has the lowest id.
    assert assign_balanced(instance=submitted(serang.tenant, serang.people["citizen"])) in {irfan, admin, joko}


def test_balanced_assignment_within_a_unit_uses_its_current_staff(world, moment):
    serang = world.serang
    irfan, joko = officers(serang.tenant, "Irfan Hakim", "Joko Susilo")
    unit = Unit.objects.create(tenant=serang.tenant, kind=Unit.Kind.BIDANG, code="PER", name="Bidang Perizinan")
    position = Position.objects.create(tenant=serang.tenant, unit=unit, name="Verifikator", job_class=7)
    employee = Employee.objects.create(
        tenant=serang.tenant, nip="199001012020011001", full_name="Joko Susilo", employment_type="pns", user=joko
    )
    Assignment.objects.create(tenant=serang.tenant, employee=employee, position=position, start=moment.value.date())
    instance = submitted(serang.tenant, serang.people["citizen"])
    assert assign_balanced(instance=instance, unit=unit) == joko
    empty = Unit.objects.create(tenant=serang.tenant, kind=Unit.Kind.BIDANG, code="KOS", name="Bidang Kosong")
    other = submitted(serang.tenant, serang.people["citizen"])
    assert assign_balanced(instance=other, unit=empty) is None and other.assignee is None


def test_states_can_assign_automatically_and_give_a_returned_file_back_to_its_verifier(world, moment, monkeypatch):
    data = {**TEST_PERMIT, "code": "tests.auto"}
    data["states"] = [dict(s, assign="previous") if s["code"] == "verification" else s for s in TEST_PERMIT["states"]]
    monkeypatch.setitem(definitions._workflows, "tests.auto", definitions.Registered(data, definitions.digest_of(data)))
    from balai.core.workflow.services import instance_start
    from balai.core.workflow.tests.workflows import subject

    serang = world.serang
    citizen = serang.people["citizen"]
    irfan = officers(serang.tenant, "Irfan Hakim")[0]
    instance = instance_start(tenant=serang.tenant, code="tests.auto", subject=subject(serang.tenant), owner=citizen, actor=citizen)
    transition(instance=instance, action="submit", actor=citizen, documents=["a.pdf"])
    first = instance.assignee
    assert first is not None  # nobody handled it yet: balanced
    transition(instance=instance, action="return", actor=first, comment="Perbaiki.")
    assert instance.assignee is None
    transition(instance=instance, action="resubmit", actor=citizen)
    assert instance.assignee == first  # back to the officer who returned it
    assert irfan in (first, irfan)
