"""Fiktif positif: a file is deemed approved when the FILE's service standard (the type's SLA, in the tenant's
working days, on the file's clock) has passed without a decision, never because one step ran late; a late
step only tells the head of the unit."""

import importlib
from datetime import date, datetime, timedelta

import pytest

from balai.core.workdays.selectors import calendar_for
from balai.core.workflow.models import EscalationLog, Transition
from balai.core.workflow.services import escalate_due
from balai.permits import services
from balai.permits.models import PermitType
from balai.permits.tests.conftest import PENELITIAN_FORM, WIB

pytestmark = pytest.mark.django_db

# Submitted Monday 6 April 2026. Its 30 working days on Kota Serang's calendar skip 1 May (Labour Day) and
# 14-15 May (Ascension and its joint leave day): day 30 is Thursday 21 May, so the first morning after the
# file's SLA is Friday 22 May. Verification is due on day 2 (8 April), inspection 3 days after it starts.
SUBMITTED = (2026, 4, 6, 9, 0)
FILE_DUE = date(2026, 5, 21)
FIRST_DAY_LATE = date(2026, 5, 22)


def thirty_day_fiktif_type(office):
    base = office.types["penelitian"]
    return services.permit_type_save(
        tenant=office.tenant,
        actor=None,
        code="keterangan_usaha",
        name="Surat Keterangan Usaha",
        sla_days=30,
        is_published=True,
        fiktif_positif=True,
        escalation=PermitType.Escalation.AUTO_APPROVE,
        inspection=PermitType.Inspection.ALWAYS,
        form_fields=base.current_version.form_fields,
        documents=base.current_version.documents,
    )


def deemed(app) -> list[Transition]:
    return list(Transition.objects.filter(instance=app.workflow, action__startswith="deem_approved"))


def mornings(first: date, last: date):
    day = first
    while day <= last:
        yield datetime(day.year, day.month, day.day, 7, 0, tzinfo=WIB)
        day += timedelta(days=1)


@pytest.fixture
def late_file(office, draft, moment):
    office.types["keterangan_usaha"] = thirty_day_fiktif_type(office)
    moment.set(*SUBMITTED)
    app = draft(code="keterangan_usaha", form=dict(PENELITIAN_FORM))
    services.application_submit(application=app, actor=office.citizen)
    app.refresh_from_db()
    return app


def test_the_file_is_due_on_its_thirtieth_working_day_and_its_first_step_long_before(office, late_file):
    calendar = calendar_for(office.tenant)
    assert calendar.working_days_between(date(2026, 4, 6), FILE_DUE) == 30
    assert not calendar.is_working_day(date(2026, 5, 1)) and not calendar.is_working_day(date(2026, 5, 15))
    assert late_file.workflow.code == "permits.application_fiktif"
    assert late_file.workflow.due_date == date(2026, 4, 8)


def test_late_steps_only_tell_the_head_and_the_file_is_deemed_approved_after_its_own_sla(
    office, late_file, moment, django_capture_on_commit_callbacks
):
    app = late_file

    # Verification (2 working days) runs late; every morning's escalation run until the file's day 30.
    for morning in mornings(date(2026, 4, 7), date(2026, 4, 14)):
        moment.value = morning
        with django_capture_on_commit_callbacks(execute=True):
            escalate_due(tenant=office.tenant, now=morning)
    app.refresh_from_db()
    assert app.workflow.state == "verification" and deemed(app) == []
    assert EscalationLog.objects.filter(instance=app.workflow, state="verification", do="notify").count() == 1

    # The verifier sends it to inspection (3 working days), which also runs late.
    moment.set(2026, 4, 14, 10, 0)
    services.application_verify(application=app, actor=office.verifier)
    app.refresh_from_db()
    assert app.workflow.state == "inspection"
    for morning in mornings(date(2026, 4, 15), FILE_DUE):
        moment.value = morning
        with django_capture_on_commit_callbacks(execute=True):
            escalate_due(tenant=office.tenant, now=morning)
    app.refresh_from_db()
    assert app.workflow.state == "inspection", (
        "nothing is deemed approved up to and including the file's day 30"
    )
    assert deemed(app) == []
    assert EscalationLog.objects.filter(instance=app.workflow, state="inspection", do="notify").count() == 1

    # The first working day after the file's SLA: deemed approved, by the system, and (no fee) on to approval.
    after = datetime(FIRST_DAY_LATE.year, FIRST_DAY_LATE.month, FIRST_DAY_LATE.day, 7, 0, tzinfo=WIB)
    moment.value = after
    with django_capture_on_commit_callbacks(execute=True):
        fired = escalate_due(tenant=office.tenant, now=after)
    assert "auto_action" in {f.do for f in fired}
    app.refresh_from_db()
    actions = [t.action for t in app.workflow.transitions.order_by("seq")]
    assert actions[-2:] == ["deem_approved", "no_fee"]
    assert app.workflow.state == "approval"
    step = deemed(app)[0]
    assert step.actor is None and step.from_state == "inspection" and "tenggat terlewati" in step.comment


def test_a_file_returned_to_the_applicant_gets_the_paused_days_back(office, late_file, moment):
    app = late_file
    calendar = calendar_for(office.tenant)
    moment.set(2026, 4, 7, 10, 0)
    services.application_return_for_correction(
        application=app,
        items=[{"kind": "field", "code": "judul", "note": "Perjelas judulnya."}],
        note="Perjelas judul penelitian.",
        actor=office.verifier,
    )
    # With the applicant for two weeks: the clock is paused, so nothing can breach.
    for morning in mornings(date(2026, 4, 8), date(2026, 4, 21)):
        assert escalate_due(tenant=office.tenant, now=morning) == []
    moment.set(2026, 4, 21, 9, 0)
    services.application_resubmit(application=app, actor=office.citizen)
    app.refresh_from_db()
    # One working day used before the pause (7 April): 29 remain from 21 April.
    file_due = calendar.add_working_days(datetime(2026, 4, 21, 9, 0, tzinfo=WIB), 29)
    for morning in mornings(date(2026, 4, 22), file_due):
        escalate_due(tenant=office.tenant, now=morning)
    app.refresh_from_db()
    assert deemed(app) == [] and app.workflow.state == "verification"


def test_the_migration_fixes_the_versions_files_in_progress_are_pinned_to(office, late_file, moment):
    from django.apps import apps as django_apps

    from balai.core.workflow.definitions import digest_of
    from balai.core.workflow.models import WorkflowDefinition

    # The version the file is pinned to, as it was stored before the fix.
    pinned = late_file.workflow.definition
    old = pinned.definition
    for escalation in old["escalations"]:
        escalation.pop("basis", None)
        if escalation["do"] == "notify":
            escalation["notify_roles"] = ["permits.approver"]
    next(a for a in old["actions"] if a["code"] == "sign").pop("fifo")
    WorkflowDefinition.objects.filter(pk=pinned.pk).update(definition=old, digest=digest_of(old))

    migration = importlib.import_module("balai.permits.migrations.0007_workflow_fixes_in_stored_definitions")
    migration.fix(django_apps, None)

    pinned.refresh_from_db()
    fixed = pinned.definition
    assert {e["basis"] for e in fixed["escalations"] if e["do"] == "auto_action"} == {"file"}
    assert {tuple(e["notify_roles"]) for e in fixed["escalations"] if e["do"] == "notify"} == {("unit_head",)}
    assert next(a for a in fixed["actions"] if a["code"] == "sign")["fifo"] is True
    assert pinned.digest == digest_of(fixed)

    # The file in progress: its late first step no longer deems it approved.
    escalate_due(tenant=office.tenant, now=datetime(2026, 4, 13, 7, 0, tzinfo=WIB))
    late_file.workflow.refresh_from_db()
    assert late_file.workflow.state == "verification" and deemed(late_file) == []
