"""Escalation on SLA breach follows the permit type's rule: the type picks the workflow variant whose
escalations the engine's `escalate_due` runs."""

import datetime

import pytest

from balai.core.notifications.models import OutboxMessage
from balai.core.orgs.models import Assignment, Employee, Position, Unit
from balai.core.workflow.models import EscalationLog
from balai.core.workflow.services import escalate_due
from balai.permits import services
from balai.permits.models import PermitType
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db


def test_a_late_file_of_a_reassign_type_goes_to_another_verifier(office, draft, moment):
    PermitType.objects.filter(pk=office.types["penelitian"].pk).update(
        escalation="reassign", workflow_code="permits.application_reassign"
    )
    office.types["penelitian"].refresh_from_db()
    second = make_person("Vivi Verifikator", tenant=office.tenant, roles=["permits.verifier", "core.officer"])
    moment.set(2026, 4, 6, 9, 0)
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    app.workflow.refresh_from_db()
    first = app.workflow.assignee
    moment.set(2026, 4, 20, 9, 0)
    fired = escalate_due(tenant=office.tenant)
    assert {log.do for log in fired} >= {"reassign", "notify"}
    app.workflow.refresh_from_db()
    assert app.workflow.assignee is not None and app.workflow.assignee != first
    assert {first, app.workflow.assignee} == {office.verifier, second}
    assert EscalationLog.objects.filter(instance=app.workflow, do="reassign").exists()


def _office_with_head(office, *, head_has_account=True):
    """The permit office (DPMPTSP) as the penelitian type's unit, headed by Kepala Dinas Harun."""
    tenant = office.tenant
    dinas = Unit.objects.create(tenant=tenant, kind=Unit.Kind.OPD, code="DPMPTSP", name="Dinas PMPTSP")
    head = make_person("Harun Kepala Dinas", tenant=tenant, roles=["core.officer"]) if head_has_account else None
    position = Position.objects.create(tenant=tenant, unit=dinas, name="Kepala Dinas", job_class=14, is_head=True)
    employee = Employee.objects.create(
        tenant=tenant, nip="198001012005011001", full_name="Harun", employment_type=Employee.EmploymentType.PNS,
        user=head,
    )
    Assignment.objects.create(tenant=tenant, employee=employee, position=position, start=datetime.date(2020, 1, 1))
    PermitType.objects.filter(pk=office.types["penelitian"].pk).update(unit=dinas)
    office.types["penelitian"].refresh_from_db()
    return head


def _escalated_to(app) -> set:
    return set(
        OutboxMessage.objects.filter(tenant=app.tenant, template_code="workflow.escalated").values_list(
            "recipient_id", flat=True
        )
    )


def test_a_late_file_of_a_notify_type_tells_the_head_of_office(office, draft, moment, django_capture_on_commit_callbacks):
    head = _office_with_head(office)
    moment.set(2026, 4, 6, 9, 0)
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    moment.set(2026, 4, 20, 9, 0)
    with django_capture_on_commit_callbacks(execute=True):
        fired = escalate_due(tenant=office.tenant)
    assert [log.do for log in fired] == ["notify"]
    assert "Harun Kepala Dinas" in fired[0].outcome
    # The head of the office and the officer holding the file; not the approvers.
    assert _escalated_to(app) == {head.pk, office.verifier.pk}
    app.workflow.refresh_from_db()
    assert app.workflow.assignee == office.verifier


def test_without_a_head_of_office_on_record_the_tenant_administrator_is_told(
    office, draft, moment, world, django_capture_on_commit_callbacks
):
    _office_with_head(office, head_has_account=False)
    moment.set(2026, 4, 6, 9, 0)
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    moment.set(2026, 4, 20, 9, 0)
    with django_capture_on_commit_callbacks(execute=True):
        escalate_due(tenant=office.tenant)
    assert _escalated_to(app) == {world.serang.people["admin"].pk, office.verifier.pk}
