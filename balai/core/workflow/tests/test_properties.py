"""Property tests: random sequences of actions, by random people, at random times, keep the engine's promises.

Invariants checked after every step: the state is one the definition declares; the history has exactly
one row per successful transition, numbered 1..n; a terminal state takes nothing more; the SLA clock
never counts paused time (what remained on entering a pause is what remains on leaving it) and never
gives time back; whoever verified a file never approved it.
"""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from balai.core.workdays.selectors import calendar_for
from balai.core.workflow import clock
from balai.core.workflow.definitions import parse
from balai.core.workflow.models import Transition
from balai.core.workflow.services import AssignmentRefused, TransitionDenied, instance_assign, transition
from balai.core.workflow.tests.workflows import TEST_PERMIT, start, wib
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db

DEFINITION = parse(TEST_PERMIT)
ACTIONS = sorted(DEFINITION.actions)
PEOPLE = ["citizen", "officer", "admin", "head", "inspector", "stranger", "system"]
HOLDERS = {
    "owner": ["citizen"],
    "core.officer": ["officer", "admin"],
    "core.tenant_admin": ["admin", "head"],
    "system": ["system"],
}


class FileMachine(RuleBasedStateMachine):
    world = None
    moment = None
    people: dict = {}
    finished = 0
    longest = 0
    resumed = 0

    @initialize(start_day=st.integers(0, 330), hour=st.integers(0, 23))
    def begin(self, start_day, hour):
        self.moment.value = wib(2026, 1, 1, hour, 0) + timedelta(days=start_day)
        self.tenant = self.world.serang.tenant
        self.calendar = calendar_for(self.tenant)
        self.instance = start(self.tenant, self.people["citizen"])
        self.successes = 0
        self.terminal_reached = False
        self.last_elapsed = 0

    @rule(data=st.data(), hours=st.integers(0, 24 * 12))
    def act(self, data, hours):
        # Mostly plausible attempts (an action of the current state, by someone holding one of its roles,
        # with its inputs), so that files travel far; the rest are anything by anyone.
        if data.draw(st.integers(0, 4), label="plausible") and not self.terminal_reached:
            action = data.draw(st.sampled_from([a.code for a in DEFINITION.actions_from(self.instance.state)]))
            who = data.draw(st.sampled_from([p for r in DEFINITION.actions[action].roles for p in HOLDERS[r]]))
            comment = documents = True
        else:
            action = data.draw(st.sampled_from(ACTIONS))
            who = data.draw(st.sampled_from(PEOPLE))
            comment, documents = data.draw(st.booleans()), data.draw(st.booleans())
        before_state = self.instance.state
        paused_before = DEFINITION.states[before_state].clock != "running"
        elapsed_before = clock.file_elapsed(self.calendar, self.instance.clock_intervals, self.moment.value)
        self.moment.value += timedelta(hours=hours)
        elapsed_now = clock.file_elapsed(self.calendar, self.instance.clock_intervals, self.moment.value)
        if paused_before:
            assert elapsed_now == elapsed_before, "the clock ran while the file was paused or stopped"
        assert elapsed_now >= elapsed_before
        try:
            transition(
                instance=self.instance,
                action=action,
                actor=None if who == "system" else self.people[who],
                comment="Catatan." if comment else "",
                documents=["berkas.pdf"] if documents else [],
            )
        except TransitionDenied:
            assert self.instance.state == before_state
        else:
            assert not self.terminal_reached, "a terminal state took another transition"
            assert self.instance.state == DEFINITION.actions[action].target
            self.successes += 1
        self.terminal_reached = DEFINITION.states[self.instance.state].terminal

    @rule(days_with_applicant=st.integers(0, 15))
    def return_and_resubmit(self, days_with_applicant):
        # The pause path, made common: (submitted,) returned for correction, fixed some days later.
        if self.instance.state == "draft":
            transition(instance=self.instance, action="submit", actor=self.people["citizen"], documents=["a.pdf"])
            self.successes += 1
        if self.instance.state != "verification" or self.instance.assignee_id not in (None, self.people["officer"].pk):
            return
        self.moment.value += timedelta(hours=3)
        transition(instance=self.instance, action="return", actor=self.people["officer"], comment="Perbaiki.")
        remaining = self.instance.transitions.order_by("-seq").first().sla_remaining_days
        self.moment.value += timedelta(days=days_with_applicant)
        row = transition(instance=self.instance, action="resubmit", actor=self.people["citizen"])
        assert row.sla_remaining_days == remaining, "the days with the applicant were counted"
        self.successes += 2
        FileMachine.resumed += 1

    @rule(who=st.sampled_from(["officer", "admin", "head", "inspector"]), reason=st.booleans())
    def assign(self, who, reason):
        try:
            instance_assign(
                instance=self.instance, assignee=self.people[who], actor=self.people["admin"],
                reason="Pembagian beban" if reason else "",
            )
        except AssignmentRefused:
            pass

    def teardown(self):
        # Enough files must travel the whole way for the invariants to mean something.
        FileMachine.finished += int(self.terminal_reached)
        FileMachine.longest = max(FileMachine.longest, self.successes)

    @invariant()
    def state_is_declared(self):
        assert self.instance.state in DEFINITION.states

    @invariant()
    def history_matches_successes(self):
        rows = list(Transition.objects.filter(instance=self.instance).order_by("seq"))
        assert [r.seq for r in rows] == list(range(1, self.successes + 1))
        previous = None
        for row in rows:
            assert row.from_state in DEFINITION.states and row.to_state in DEFINITION.states
            if previous is None:
                assert row.sla_remaining_days == TEST_PERMIT["sla_days"]  # nothing counted before submission
            else:
                assert row.from_state == previous.to_state
                assert row.sla_remaining_days <= previous.sla_remaining_days
                if DEFINITION.states[row.from_state].clock != "running":
                    assert row.sla_remaining_days == previous.sla_remaining_days, "paused time was counted"
            previous = row
        verifiers = {r.actor_id for r in rows if r.action == "verify"}
        approvers = {r.actor_id for r in rows if r.action == "approve" and r.actor_id is not None}
        assert not verifiers & approvers

    @invariant()
    def due_date_and_clock_agree_with_the_state(self):
        state = DEFINITION.states[self.instance.state]
        assert clock.is_running(self.instance.clock_intervals) == (state.clock == "running")
        if state.terminal:
            assert self.instance.due_date is None and self.instance.assignee_id is None


def test_random_action_sequences_keep_the_engines_promises(world, moment):
    serang = world.serang
    FileMachine.world = world
    FileMachine.moment = moment
    FileMachine.people = {
        **{k: serang.people[k] for k in ("citizen", "officer", "admin", "inspector")},
        "head": make_person("Kepala Dinas", tenant=serang.tenant, roles=["core.tenant_admin"]),
        "stranger": world.cilegon.people["officer"],
    }
    run_state_machine_as_test(
        FileMachine,
        settings=settings(
            max_examples=40, stateful_step_count=25, deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert FileMachine.finished >= 5 and FileMachine.longest >= 4 and FileMachine.resumed >= 3
