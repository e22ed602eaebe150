"""A file whose SLA counts from a later step ("from when the documents are complete"), not from submission:
`instance_start(clock_starts_on=...)` holds its clock stopped until one of those actions."""

from datetime import date

import pytest

from balai.core.workflow.selectors import timeline
from balai.core.workflow.services import transition
from balai.core.workflow.tests.workflows import start, wib

pytestmark = pytest.mark.django_db


def test_the_clock_starts_only_when_the_file_is_declared_complete(world, moment):
    serang = world.serang
    citizen, officer = serang.people["citizen"], serang.people["officer"]
    instance = start(serang.tenant, citizen, clock_starts_on=["verify"])
    assert instance.clock_starts_on == ["verify"] and instance.clock_waiting

    # Monday 16 March 2026: submitted. Only the verification step's own 3 working days run (17, 25, 26 March).
    moment.set(2026, 3, 16, 9, 0)
    transition(instance=instance, action="submit", actor=citizen, documents=["ktp.pdf"])
    assert instance.clock_intervals == [] and instance.sla_started_at is None
    assert instance.due_date == date(2026, 3, 26)

    # Returned and resubmitted: still nothing counted on the file's SLA.
    moment.set(2026, 3, 25, 10, 0)
    row = transition(instance=instance, action="return", actor=officer, comment="Lengkapi surat pengantar.")
    assert row.sla_remaining_days == 5
    moment.set(2026, 4, 1, 9, 0)
    row = transition(instance=instance, action="resubmit", actor=citizen)
    assert row.sla_remaining_days == 5 and instance.clock_waiting

    # Thursday 2 April: declared complete. The file's 5 working days start now: 6, 7, 8, 9, 10 April
    # (Friday 3 April is Good Friday); the approval step's 2 days (6, 7 April) come first.
    moment.set(2026, 4, 2, 11, 0)
    row = transition(instance=instance, action="verify", actor=officer)
    assert row.sla_remaining_days == 5
    assert not instance.clock_waiting and instance.sla_started_at == wib(2026, 4, 2, 11, 0)
    assert instance.due_date == date(2026, 4, 7)

    line = timeline(instance=instance, now=wib(2026, 4, 6, 9, 0))
    assert line.file.due_date == date(2026, 4, 10)
    assert line.elapsed_days == 1 and line.file.remaining == 4


def test_a_clock_that_starts_in_a_pause_counts_the_pause_from_then(world, moment):
    serang = world.serang
    citizen, officer = serang.people["citizen"], serang.people["officer"]
    instance = start(serang.tenant, citizen, clock_starts_on=["return"])
    moment.set(2026, 4, 6, 9, 0)
    transition(instance=instance, action="submit", actor=citizen, documents=["ktp.pdf"])
    assert instance.clock_intervals == []

    # Monday 13 April: the starting action leads into a paused state; the clock started (no day counted)
    # and is paused at once, so the days with the applicant show as paused.
    moment.set(2026, 4, 13, 9, 0)
    transition(instance=instance, action="return", actor=officer, comment="Lengkapi surat pengantar.")
    assert instance.sla_started_at == wib(2026, 4, 13, 9, 0)
    assert len(instance.clock_intervals) == 1 and instance.clock_intervals[0][0] == instance.clock_intervals[0][1]
    moment.set(2026, 4, 15, 9, 0)
    transition(instance=instance, action="resubmit", actor=citizen)
    line = timeline(instance=instance, now=wib(2026, 4, 16, 9, 0))
    assert line.paused_days == 2 and line.elapsed_days == 1
    assert line.file.due_date == date(2026, 4, 22)


def test_an_action_the_workflow_does_not_have_leaves_the_clock_as_the_states_declare(world, moment):
    serang = world.serang
    citizen = serang.people["citizen"]
    instance = start(serang.tenant, citizen, clock_starts_on=["no_such_action"])
    assert instance.clock_starts_on == [] and not instance.clock_waiting
    moment.set(2026, 3, 16, 9, 0)
    transition(instance=instance, action="submit", actor=citizen, documents=["ktp.pdf"])
    assert instance.sla_started_at == wib(2026, 3, 16, 9, 0)
