"""Inboxes by role, unit and due date; the timeline with its SLA colours."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balai.core.accounts.models import User
from balai.core.orgs.models import Unit
from balai.core.workdays.selectors import calendar_for
from balai.core.workflow import clock
from balai.core.workflow.selectors import inbox, sla_status, timeline
from balai.core.workflow.services import instance_assign, transition
from balai.core.workflow.tests.workflows import start, submitted, wib
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)  # without the per-request membership cache


def test_the_inbox_is_ordered_by_due_date_then_arrival(world, moment):
    serang = world.serang
    citizen = serang.people["citizen"]
    moment.set(2026, 3, 17, 9, 0)
    later_due = submitted(serang.tenant, citizen)  # due 27 March
    moment.set(2026, 3, 16, 10, 0)
    second = submitted(serang.tenant, citizen)  # due 26 March, arrived 10:00
    moment.set(2026, 3, 16, 9, 0)
    first = submitted(serang.tenant, citizen)  # due 26 March, arrived 09:00
    draft = start(serang.tenant, citizen)  # nobody but the applicant can act on a draft
    assert list(inbox(tenant=serang.tenant, user=fresh(serang.people["officer"]))) == [first, second, later_due]
    assert draft not in inbox(tenant=serang.tenant, user=fresh(serang.people["admin"]))
    assert list(inbox(tenant=serang.tenant, user=fresh(serang.people["officer"]), order="received")) == [
        first, second, later_due,
    ]
    assert [i.due_date for i in inbox(tenant=serang.tenant, user=fresh(serang.people["officer"]))] == [
        date(2026, 3, 26), date(2026, 3, 26), date(2026, 3, 27),
    ]


def test_the_inbox_shows_files_for_my_roles_assigned_to_me_or_to_nobody(world, moment):
    serang = world.serang
    citizen, budi, admin = serang.people["citizen"], serang.people["officer"], serang.people["admin"]
    irfan = make_person("Irfan Hakim", tenant=serang.tenant, roles=["core.officer"])
    mine, theirs, shared = (submitted(serang.tenant, citizen) for _ in range(3))
    instance_assign(instance=mine, assignee=budi, actor=budi)
    instance_assign(instance=theirs, assignee=irfan, actor=irfan)
    assert set(inbox(tenant=serang.tenant, user=fresh(budi))) == {mine, shared}
    transition(instance=shared, action="verify", actor=budi)
    # In approval: the administrator approves; officers may only reject it.
    assert shared in inbox(tenant=serang.tenant, user=fresh(admin), roles={"core.tenant_admin"})
    assert shared not in inbox(tenant=serang.tenant, user=fresh(admin), roles={"core.tenant_admin"}, state="verification")
    assert list(inbox(tenant=serang.tenant, user=fresh(serang.people["inspector"]))) == []
    assert list(inbox(tenant=serang.tenant, user=fresh(citizen))) == []
    assert list(inbox(tenant=world.cilegon.tenant, user=fresh(world.cilegon.people["officer"]))) == []
    transition(instance=mine, action="reject", actor=budi, comment="Bukan kewenangan kami.")
    assert mine not in inbox(tenant=serang.tenant, user=fresh(budi))


def test_the_inbox_filters_by_unit(world, moment):
    serang = world.serang
    unit = Unit.objects.create(tenant=serang.tenant, kind=Unit.Kind.BIDANG, code="PER", name="Bidang Perizinan")
    in_unit = submitted(serang.tenant, serang.people["citizen"], unit=unit)
    submitted(serang.tenant, serang.people["citizen"])
    assert list(inbox(tenant=serang.tenant, user=fresh(serang.people["officer"]), unit=unit)) == [in_unit]


def _count_inbox_queries(tenant, user) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        rows = list(inbox(tenant=tenant, user=fresh(user)))
        for row in rows:
            assert row.definition.parsed and (row.assignee, row.unit) == (None, None)
    return len(captured.captured_queries), len(rows)


def test_the_inbox_costs_the_same_queries_for_5_or_50_files(world, moment):
    serang = world.serang
    officer = serang.people["officer"]
    for _ in range(5):
        submitted(serang.tenant, serang.people["citizen"])
    small, n = _count_inbox_queries(serang.tenant, officer)
    assert n == 5
    for _ in range(45):
        submitted(serang.tenant, serang.people["citizen"])
    large, n = _count_inbox_queries(serang.tenant, officer)
    assert n == 50
    assert small == large <= 4


def test_sla_colours_follow_the_due_date(world, moment):
    serang = world.serang
    calendar = calendar_for(serang.tenant)
    moment.set(2026, 4, 6, 9, 0)
    instance = submitted(serang.tenant, serang.people["citizen"])  # verification due 9 April (3 working days)
    assert instance.due_date == date(2026, 4, 9)
    assert sla_status(instance, calendar=calendar, today=date(2026, 4, 6)).colour == "green"  # 3 left
    assert sla_status(instance, calendar=calendar, today=date(2026, 4, 8)).colour == "yellow"  # 1 left
    status = sla_status(instance, calendar=calendar, today=date(2026, 4, 9))
    assert (status.colour, status.remaining) == ("yellow", 0)
    status = sla_status(instance, calendar=calendar, today=date(2026, 4, 13))
    assert (status.colour, status.late_days) == ("red", 2)
    assert clock.colour(9, 10) == "green" and clock.colour(2, 10) == "yellow" and clock.colour(None, 5) == "grey"


def test_the_timeline_shows_a_paused_file_in_grey_with_the_pause_counted(world, moment):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    moment.set(2026, 3, 25, 10, 0)
    transition(instance=instance, action="return", actor=serang.people["officer"], comment="Lengkapi.")
    line = timeline(instance=instance, now=wib(2026, 3, 30, 12, 0))
    assert line.file.paused and line.file.colour == "grey" and line.file.remaining == 3
    assert line.paused_days == 3  # 26, 27 and 30 March
    assert line.step.due_date == date(2026, 4, 9)  # the applicant's 10 working days
    assert [s.to_label for s in line.steps] == ["Verifikasi", "Dikembalikan untuk diperbaiki"]
