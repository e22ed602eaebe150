"""Escalation on SLA breach follows the permit type's rule: the type picks the workflow variant whose
escalations the engine's `escalate_due` runs."""

import pytest

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


def test_a_late_file_of_a_notify_type_tells_the_head_of_office(office, draft, moment):
    moment.set(2026, 4, 6, 9, 0)
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    moment.set(2026, 4, 20, 9, 0)
    fired = escalate_due(tenant=office.tenant)
    assert [log.do for log in fired] == ["notify"]
    app.workflow.refresh_from_db()
    assert app.workflow.assignee == office.verifier
