"""What an escalation counts from (the step's due date, or the file's own SLA), and who "the head of the
unit" is when a late file is reported to them."""

import datetime

import pytest

from balai.core.orgs.models import Assignment, Employee, Position, Unit
from balai.core.workflow import definitions
from balai.core.workflow.models import EscalationLog
from balai.core.workflow.services import escalate_due, instance_start, transition
from balai.core.workflow.tests.workflows import TEST_PERMIT, subject, wib
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db


def _register(monkeypatch, code, **changes):
    data = {**TEST_PERMIT, "code": code, **changes}
    monkeypatch.setitem(
        definitions._workflows, code, definitions.Registered(data, definitions.digest_of(data))
    )
    return data


def _system_may_verify():
    return [
        {**a, "roles": [*a["roles"], "system"]} if a["code"] == "verify" else a
        for a in TEST_PERMIT["actions"]
    ]


# --- basis: the step's due date or the file's SLA ------------------------------------------------------


def test_a_rule_on_the_file_basis_waits_for_the_files_sla_however_late_the_step(world, moment, monkeypatch):
    # File SLA 5 working days, verification 3. From Monday 16 March 2026 (18-24 March are holidays and joint
    # leave days of Idul Fitri and Nyepi): the step is due 26 March, the file 30 March.
    _register(
        monkeypatch,
        "tests.file_basis",
        actions=_system_may_verify(),
        escalations=[
            {
                "code": "late_step",
                "state": "verification",
                "do": "notify",
                "notify_roles": ["core.tenant_admin"],
            },
            {
                "code": "deemed",
                "state": "verification",
                "basis": "file",
                "do": "auto_action",
                "action": "verify",
            },
        ],
    )
    serang = world.serang
    citizen = serang.people["citizen"]
    instance = instance_start(
        tenant=serang.tenant,
        code="tests.file_basis",
        subject=subject(serang.tenant),
        owner=citizen,
        actor=citizen,
    )
    transition(instance=instance, action="submit", actor=citizen, documents=["ktp.pdf"])
    instance.refresh_from_db()
    assert instance.due_date == datetime.date(2026, 3, 26)

    assert [f.rule for f in escalate_due(tenant=serang.tenant, now=wib(2026, 3, 27, 8, 0))] == ["late_step"]
    assert escalate_due(tenant=serang.tenant, now=wib(2026, 3, 30, 16, 0)) == []
    instance.refresh_from_db()
    assert instance.state == "verification"

    fired = escalate_due(tenant=serang.tenant, now=wib(2026, 3, 31, 8, 0))
    assert [f.rule for f in fired] == ["deemed"]
    instance.refresh_from_db()
    assert instance.state == "approval"


def test_a_rule_on_the_file_basis_never_fires_while_the_clock_is_paused(world, moment, monkeypatch):
    _register(
        monkeypatch,
        "tests.file_basis_paused",
        actions=_system_may_verify(),
        escalations=[
            {
                "code": "deemed",
                "state": "returned",
                "basis": "file",
                "do": "notify",
                "notify_roles": ["core.tenant_admin"],
            }
        ],
    )
    serang = world.serang
    citizen = serang.people["citizen"]
    instance = instance_start(
        tenant=serang.tenant,
        code="tests.file_basis_paused",
        subject=subject(serang.tenant),
        owner=citizen,
        actor=citizen,
    )
    transition(instance=instance, action="submit", actor=citizen, documents=["ktp.pdf"])
    moment.set(2026, 3, 17, 9, 0)
    transition(instance=instance, action="return", actor=serang.people["officer"], comment="Lengkapi.")
    instance.refresh_from_db()
    assert instance.due_date is not None  # the step (10 working days with the applicant) runs late...
    assert escalate_due(tenant=serang.tenant, now=wib(2026, 6, 1, 8, 0)) == []  # ...the file's clock does not


def test_an_unknown_basis_is_refused_with_what_to_write():
    data = {
        **TEST_PERMIT,
        "escalations": [
            {
                "state": "verification",
                "basis": "berkas",
                "do": "notify",
                "notify_roles": ["core.tenant_admin"],
            }
        ],
    }
    errors = definitions.definition_validate(data, check_registry=False)
    assert any("basis" in e and '"file"' in e for e in errors)


# --- the head of the file's unit ----------------------------------------------------------------------


def _unit(tenant, code, name, parent=None):
    return Unit.objects.create(
        tenant=tenant, kind=Unit.Kind.BIDANG if parent else Unit.Kind.OPD, code=code, name=name, parent=parent
    )


def _head(tenant, unit, name, serial, *, account=True):
    user = make_person(name, tenant=tenant, roles=["core.officer"]) if account else None
    position = Position.objects.create(
        tenant=tenant, unit=unit, name=f"Kepala {unit.name}", job_class=12, is_head=True
    )
    employee = Employee.objects.create(
        tenant=tenant,
        nip=f"19800101200501100{serial}",
        full_name=name,
        employment_type=Employee.EmploymentType.PNS,
        user=user,
    )
    Assignment.objects.create(
        tenant=tenant, employee=employee, position=position, start=datetime.date(2020, 1, 1)
    )
    return user


@pytest.fixture
def head_rule(monkeypatch):
    _register(
        monkeypatch,
        "tests.head",
        escalations=[
            {"code": "tell_head", "state": "verification", "do": "notify", "notify_roles": ["unit_head"]},
        ],
    )


def _late(world, unit):
    serang = world.serang
    citizen = serang.people["citizen"]
    instance = instance_start(
        tenant=serang.tenant,
        code="tests.head",
        subject=subject(serang.tenant),
        owner=citizen,
        actor=citizen,
        unit=unit,
    )
    transition(instance=instance, action="submit", actor=citizen, documents=["ktp.pdf"])
    return escalate_due(tenant=serang.tenant, now=wib(2026, 3, 27, 8, 0))


def test_a_late_file_is_reported_to_the_head_of_its_unit(world, moment, sent, head_rule):
    tenant = world.serang.tenant
    dinas = _unit(tenant, "DPMPTSP", "Dinas PMPTSP")
    bidang = _unit(tenant, "DPMPTSP.1", "Bidang Pelayanan", parent=dinas)
    _head(tenant, dinas, "Kadis Harun", 1)
    kabid = _head(tenant, bidang, "Kabid Lina", 2)
    fired = _late(world, bidang)
    assert sent[-1]["template"] == "workflow.escalated" and sent[-1]["recipients"] == [kabid]
    assert "Kabid Lina" in fired[0].outcome


def test_without_a_head_with_an_account_the_head_above_is_told(world, moment, sent, head_rule):
    tenant = world.serang.tenant
    dinas = _unit(tenant, "DPMPTSP", "Dinas PMPTSP")
    bidang = _unit(tenant, "DPMPTSP.1", "Bidang Pelayanan", parent=dinas)
    seksi = _unit(tenant, "DPMPTSP.1.1", "Seksi Perizinan", parent=bidang)
    kadis = _head(tenant, dinas, "Kadis Harun", 1)
    _head(tenant, bidang, "Kabid Tanpa Akun", 2, account=False)
    _late(world, seksi)
    assert sent[-1]["recipients"] == [kadis]


def test_without_any_head_the_tenant_administrator_is_told(world, moment, sent, head_rule):
    tenant = world.serang.tenant
    _late(world, _unit(tenant, "DPMPTSP", "Dinas PMPTSP"))
    assert sent[-1]["recipients"] == [world.serang.people["admin"]]
    assert EscalationLog.objects.get(rule="tell_head").outcome.startswith(
        "Diberitahukan kepada administrator"
    )


def test_a_file_without_a_unit_goes_to_the_tenant_administrator(world, moment, sent, head_rule):
    _late(world, None)
    assert sent[-1]["recipients"] == [world.serang.people["admin"]]


def test_unit_head_is_a_known_recipient_and_other_unknown_roles_are_not():
    ok = {
        **TEST_PERMIT,
        "escalations": [{"state": "verification", "do": "notify", "notify_roles": ["unit_head"]}],
    }
    assert definitions.definition_validate(ok) == []
    bad = {
        **TEST_PERMIT,
        "escalations": [{"state": "verification", "do": "notify", "notify_roles": ["kepala"]}],
    }
    assert any("kepala" in e for e in definitions.definition_validate(bad))
