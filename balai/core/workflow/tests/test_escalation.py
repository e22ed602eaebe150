"""Escalation rules fire once per late visit of a state, on the tenant's working days."""

import pytest
from django.core.management import call_command

from balai.core.audit.models import AuditEntry
from balai.core.workflow import definitions
from balai.core.workflow.models import EscalationLog
from balai.core.workflow.services import escalate_due, instance_assign, instance_start, transition
from balai.core.workflow.tests.workflows import TEST_PERMIT, subject, submitted, wib
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db


def test_a_late_file_notifies_once(world, moment, sent):
    serang = world.serang
    moment.set(2026, 3, 16, 9, 0)
    instance = submitted(serang.tenant, serang.people["citizen"])
    # Due 26 March (verification, 3 working days). On the due date itself nothing happens.
    assert escalate_due(tenant=serang.tenant, now=wib(2026, 3, 26, 16, 0)) == []
    fired = escalate_due(tenant=serang.tenant, now=wib(2026, 3, 27, 8, 0))
    assert [(f.instance, f.rule) for f in fired] == [(instance, "verification_late")]
    assert sent[-1]["template"] == "workflow.escalated"
    assert sent[-1]["recipients"] == [serang.people["admin"]]
    # Idempotent: again the same day, or later, nothing more.
    assert escalate_due(tenant=serang.tenant, now=wib(2026, 3, 27, 9, 0)) == []
    assert escalate_due(now=wib(2026, 4, 10, 9, 0)) == []
    assert EscalationLog.objects.filter(instance=instance).count() == 1
    assert AuditEntry.objects.filter(tenant=serang.tenant, action="workflow.escalate").count() == 1


def test_a_new_visit_of_the_state_can_escalate_again(world, moment, sent):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    escalate_due(tenant=serang.tenant, now=wib(2026, 3, 27, 8, 0))
    moment.set(2026, 3, 27, 9, 0)
    transition(instance=instance, action="return", actor=serang.people["officer"], comment="Lengkapi.")
    moment.set(2026, 3, 30, 9, 0)
    transition(instance=instance, action="resubmit", actor=serang.people["citizen"])
    assert len(escalate_due(tenant=serang.tenant, now=wib(2026, 4, 20, 8, 0))) == 1
    assert EscalationLog.objects.filter(instance=instance).count() == 2


def test_fiktif_positif_approves_a_file_left_too_long(world, moment):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    moment.set(2026, 3, 17, 9, 0)
    transition(instance=instance, action="verify", actor=serang.people["officer"])
    # Approval is due 2 working days after 17 March: 26 March; the rule waits one more working day.
    assert escalate_due(tenant=serang.tenant, now=wib(2026, 3, 27, 9, 0)) == []
    fired = escalate_due(tenant=serang.tenant, now=wib(2026, 3, 30, 9, 0))
    assert [f.rule for f in fired] == ["approval_fiktif_positif"]
    instance.refresh_from_db()
    assert instance.state == "approved"
    last = instance.transitions.order_by("seq").last()
    assert last.actor is None and last.action == "approve" and "tenggat terlewati" in last.comment


def test_reassignment_on_breach_moves_the_file_to_another_officer(world, moment, monkeypatch):
    data = {**TEST_PERMIT, "code": "tests.reassign"}
    data["escalations"] = [{"state": "verification", "do": "reassign"}]
    monkeypatch.setitem(definitions._workflows, "tests.reassign", definitions.Registered(data, definitions.digest_of(data)))
    serang = world.serang
    citizen, budi = serang.people["citizen"], serang.people["officer"]
    instance = instance_start(tenant=serang.tenant, code="tests.reassign", subject=subject(serang.tenant), owner=citizen, actor=citizen)
    transition(instance=instance, action="submit", actor=citizen, documents=["a.pdf"])
    instance_assign(instance=instance, assignee=budi, actor=budi)
    irfan = make_person("Irfan Hakim", tenant=serang.tenant, roles=["core.officer"])
    fired = escalate_due(tenant=serang.tenant, now=wib(2026, 3, 27, 8, 0))
    assert len(fired) == 1
    instance.refresh_from_db()
    assert instance.assignee in (irfan, serang.people["admin"]) and instance.assignee != budi
    assert "Dialihkan" in fired[0].outcome


def test_the_command_runs_the_rules(world, moment, capsys):
    serang = world.serang
    submitted(serang.tenant, serang.people["citizen"])  # due 26 March 2026
    moment.set(2026, 4, 1, 9, 0)
    call_command("workflow_escalate", "--tenant", serang.tenant.slug)
    assert "1 escalation(s) fired." in capsys.readouterr().out
    call_command("workflow_escalate")
    assert "0 escalation(s) fired." in capsys.readouterr().out


def test_one_broken_file_does_not_stop_the_others(world, moment, monkeypatch):
    from balai.core.workflow import services

    serang = world.serang
    broken = submitted(serang.tenant, serang.people["citizen"])
    fine = submitted(serang.tenant, serang.people["citizen"])
    real = services._escalate

    def flaky(instance, rule, *, at):
        if instance.pk == broken.pk:
            raise RuntimeError("a module hook failed")
        return real(instance, rule, at=at)

    monkeypatch.setattr(services, "_escalate", flaky)
    fired = escalate_due(tenant=serang.tenant, now=wib(2026, 3, 27, 8, 0))
    assert [f.instance_id for f in fired] == [fine.pk]
