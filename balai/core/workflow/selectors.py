"""Reads of the workflow engine: inboxes, the actions a person may take, timelines, definitions.

Every read takes the tenant (or an instance already fetched through one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, Q, QuerySet
from django.http import Http404

from balai.core.accounts.selectors import membership_for
from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for

from . import clock
from .definitions import Action, Definition, Registered, State, label_text, registered_workflows
from .models import AssignmentLog, Transition, WorkflowDefinition, WorkflowInstance
from .services import check_action, may_assign


def may_view(*, tenant: Tenant, user, code: str) -> bool:
    """Whether `user` may open files of workflow `code` on the engine's pages: the module's `may_view`
    rule when it registered one (see `register_workflow`), else yes (the pages ask for an officer)."""
    registered = registered_workflows().get(code)
    if registered is None or registered.may_view is None:
        return True
    return bool(registered.may_view(tenant=tenant, user=user))


def hidden_workflows(*, tenant: Tenant, user) -> set[str]:
    """The workflow codes whose files `user` may not open (their modules' rules); no query of its own."""
    return {code for code in registered_workflows() if not may_view(tenant=tenant, user=user, code=code)}


def may_assign_instance(*, instance: WorkflowInstance, user) -> bool:
    """Whether `user` may hand the open file out (a role acting in its state, or the tenant's administrator)."""
    return not instance.is_terminal and may_assign(instance, instance.definition.parsed, user)


def instance_get(*, tenant: Tenant, pk: int) -> WorkflowInstance:
    """One of the tenant's instances; 404 when it does not exist or belongs to another tenant."""
    found = (
        WorkflowInstance.objects.filter(tenant=tenant, pk=pk)
        .select_related("definition", "assignee", "owner", "unit")
        .first()
    )
    if found is None:
        raise Http404
    return found


def instance_for_subject(*, tenant: Tenant, subject, code: str) -> WorkflowInstance | None:
    from django.contrib.contenttypes.models import ContentType

    return (
        WorkflowInstance.objects.filter(
            tenant=tenant, code=code, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
        .select_related("definition", "assignee")
        .first()
    )


def _viewer_roles(*, tenant: Tenant, user) -> set[str]:
    membership = membership_for(user=user, tenant=tenant)
    return set(membership.roles) if membership is not None and membership.is_active else set()


def actionable_states(*, tenant: Tenant, roles: set[str]) -> dict[int, set[str]]:
    """For each of the tenant's definition versions: the states in which `roles` can act (one query)."""
    found: dict[int, set[str]] = {}
    for row in WorkflowDefinition.objects.filter(tenant=tenant).only("pk", "definition", "digest"):
        parsed = row.parsed
        states = {
            s for a in parsed.actions.values() if set(a.real_roles) & roles for s in a.sources
            if not parsed.states[s].terminal
        }
        if states:
            found[row.pk] = states
    return found


def inbox(
    *,
    tenant: Tenant,
    user,
    roles: set[str] | None = None,
    unit=None,
    state: str | None = None,
    code: str | None = None,
    queue: str | None = None,
    order: str = "due",
) -> QuerySet[WorkflowInstance]:
    """The open files `user` can act on by role in this tenant, assigned to them or to nobody.

    `roles` narrows to some of the user's roles (never widens); `unit`, `state`, `code` and `queue`
    filter; workflows whose module does not let `user` open its files are left out (`hidden_workflows`). Ordered by due date (files without one last), then by when they entered their state
    (first in, first out); `order="received"` orders by arrival only. Two queries at most to build,
    whatever the number of definitions; the rows come with definition, assignee and unit joined.
    """
    held = _viewer_roles(tenant=tenant, user=user)
    roles = held & set(roles) if roles is not None else held
    per_definition = actionable_states(tenant=tenant, roles=roles)
    if not per_definition:
        return WorkflowInstance.objects.none()
    where = Q()
    for definition_id, states in per_definition.items():
        where |= Q(definition_id=definition_id, state__in=sorted(states))
    rows = WorkflowInstance.objects.filter(where, tenant=tenant, is_terminal=False).filter(
        Q(assignee__isnull=True) | Q(assignee=user)
    )
    hidden = hidden_workflows(tenant=tenant, user=user)
    if hidden:
        rows = rows.exclude(code__in=sorted(hidden))
    if unit is not None:
        rows = rows.filter(unit=unit)
    if state:
        rows = rows.filter(state=state)
    if code:
        rows = rows.filter(code=code)
    if queue is not None:
        rows = rows.filter(queue=queue)
    rows = rows.select_related("definition", "assignee", "unit")
    if order == "received":
        return rows.order_by("state_entered_at", "pk")
    return rows.order_by(F("due_date").asc(nulls_last=True), "state_entered_at", "pk")


def assigned_to(*, tenant: Tenant, user) -> QuerySet[WorkflowInstance]:
    """Open files assigned to `user` (of workflows the module lets them open), by due date."""
    return (
        WorkflowInstance.objects.filter(tenant=tenant, assignee=user, is_terminal=False)
        .exclude(code__in=sorted(hidden_workflows(tenant=tenant, user=user)))
        .select_related("definition", "unit")
        .order_by(F("due_date").asc(nulls_last=True), "state_entered_at", "pk")
    )


def owned_by(*, tenant: Tenant, user) -> QuerySet[WorkflowInstance]:
    """The files `user` applied for (the owner's own list), newest first."""
    return WorkflowInstance.objects.filter(tenant=tenant, owner=user).select_related("definition").order_by("-created_at")


@dataclass(frozen=True)
class AvailableAction:
    """An action the viewer may take now; `blocked` says why it is shown but cannot be done yet
    (a guard such as an unpaid bill, or segregation of duties)."""

    action: Action
    blocked: str | None = None

    @property
    def code(self) -> str:
        return self.action.code

    @property
    def label(self) -> str:
        return self.action.name


def available_actions(*, instance: WorkflowInstance, user) -> list[AvailableAction]:
    """The actions `user` may take on `instance` now, in the definition's order.

    Actions refused for the state, the role or the assignment are left out; those refused by a guard
    or by segregation of duties are listed with the reason, so the page can explain it."""
    definition = instance.definition.parsed
    roles = _viewer_roles(tenant=instance.tenant, user=user)
    found = []
    for action in definition.actions_from(instance.state):
        checked = check_action(
            instance=instance, definition=definition, action=action, actor=user, roles=roles, inputs=False
        )
        if checked.denied is None:
            found.append(AvailableAction(action))
        elif checked.denied.code in ("guard", "separation"):
            found.append(AvailableAction(action, checked.denied.message))
    return found


def sla_status(instance: WorkflowInstance, *, calendar=None, today: date | None = None) -> clock.SlaStatus:
    """Where the current step's due date stands today (for the inbox colour)."""
    calendar = calendar or calendar_for(instance.tenant)
    paused = instance.definition.parsed.states[instance.state].clock == "paused"
    return clock.due_status(calendar, instance.due_date, instance.due_sla_days, today=today, paused=paused)


@dataclass(frozen=True)
class TimelineStep:
    seq: int
    at: datetime
    action: str
    action_label: str
    from_state: str
    from_label: str
    to_state: str
    to_label: str
    actor_label: str
    comment: str
    documents: list
    reason_code: str
    sla_remaining_days: int | None
    step_remaining_days: int | None
    paused_from_here: bool  # the file's clock stood still after this step


@dataclass(frozen=True)
class Timeline:
    instance: WorkflowInstance
    state: State
    steps: list[TimelineStep]
    file: clock.SlaStatus  # the file's own SLA (paused while with the applicant)
    step: clock.SlaStatus  # the current step's due date
    elapsed_days: int  # working days the file's clock has run, pauses excluded
    paused_days: int  # working days the file spent paused (with the applicant)
    assignments: list[AssignmentLog]


def file_clock(
    *, calendar, raw: list, sla_days: int | None, state_clock: str, at: datetime
) -> tuple[clock.SlaStatus, int, int]:
    """The file's own SLA at `at` from its clock intervals: (status, working days run, working days
    paused). Green, yellow (at most one working day or 20% left) or red (late); grey while paused or
    without an SLA. No query: also used on facts stored outside the engine (public tracking)."""
    elapsed = clock.file_elapsed(calendar, raw, at)
    periods = clock.intervals_of(raw)
    paused_days = sum(
        calendar.working_days_between(previous_end, next_start)
        for (_s, previous_end), (next_start, _e) in zip(periods, periods[1:], strict=False)
        if previous_end is not None
    )
    if periods and periods[-1][1] is not None and state_clock == "paused":
        paused_days += calendar.working_days_between(periods[-1][1], at)
    if sla_days is None:
        status = clock.SlaStatus(None, None, None, clock.GREY, state_clock == "paused")
    elif clock.is_running(raw):
        remaining = sla_days - elapsed
        status = clock.SlaStatus(
            calendar.due_date(periods, sla_days), sla_days, remaining, clock.colour(remaining, sla_days)
        )
    else:
        remaining = sla_days - elapsed
        status = clock.SlaStatus(None, sla_days, remaining, clock.GREY, state_clock == "paused")
    return status, elapsed, paused_days


def timeline(*, instance: WorkflowInstance, now: datetime | None = None, calendar=None) -> Timeline:
    """The file's history with labels and its SLA today, for tracking pages (public or internal).

    The file SLA is green, yellow (at most one working day or 20% left) or red (late); grey while paused
    or without an SLA. Two queries (history, assignments). Public pages must choose what to show of it
    (comments and names are for the owner and officers)."""
    calendar = calendar or calendar_for(instance.tenant)
    at = now or clock.now()
    definition: Definition = instance.definition.parsed

    def state_label(code: str) -> str:
        state = definition.states.get(code)
        return state.name if state else code

    def action_label(code: str) -> str:
        action = definition.actions.get(code)
        return action.name if action else code

    rows = list(Transition.objects.filter(tenant_id=instance.tenant_id, instance=instance).order_by("seq"))
    steps = [
        TimelineStep(
            seq=r.seq, at=r.at, action=r.action, action_label=action_label(r.action), from_state=r.from_state,
            from_label=state_label(r.from_state), to_state=r.to_state, to_label=state_label(r.to_state),
            actor_label=r.actor_label, comment=r.comment, documents=list(r.documents), reason_code=r.reason_code,
            sla_remaining_days=r.sla_remaining_days, step_remaining_days=r.step_remaining_days,
            paused_from_here=(r.to_state in definition.states and definition.states[r.to_state].clock == "paused"),
        )
        for r in rows
    ]
    state = definition.states[instance.state]
    file_status, elapsed, paused_days = file_clock(
        calendar=calendar, raw=instance.clock_intervals, sla_days=instance.sla_days, state_clock=state.clock, at=at
    )
    step_due = clock.step_due(calendar, instance.state_entered_at, state.sla_days)
    step_status = clock.due_status(calendar, step_due, state.sla_days, today=calendar.local_date(at))
    assignments = list(
        AssignmentLog.objects.filter(tenant_id=instance.tenant_id, instance=instance).select_related("to_user", "from_user")
    )
    return Timeline(
        instance=instance, state=state, steps=steps, file=file_status, step=step_status, elapsed_days=elapsed,
        paused_days=paused_days, assignments=assignments,
    )


@dataclass(frozen=True)
class DefinitionSummary:
    code: str
    label: str
    registered: Registered | None
    versions: list[WorkflowDefinition]

    @property
    def current(self) -> WorkflowDefinition | None:
        return next((v for v in self.versions if v.is_active), None)


def definition_list(*, tenant: Tenant) -> list[DefinitionSummary]:
    """Every workflow a module ships, with this tenant's versions (newest first), by code."""
    rows: dict[str, list[WorkflowDefinition]] = {}
    for row in WorkflowDefinition.objects.filter(tenant=tenant).select_related("created_by").order_by("code", "-version"):
        rows.setdefault(row.code, []).append(row)
    registered = registered_workflows()
    codes = sorted(set(registered) | set(rows))
    return [
        DefinitionSummary(
            code=code,
            label=label_text(registered[code].data.get("label")) if code in registered else (rows[code][0].parsed.name),
            registered=registered.get(code),
            versions=rows.get(code, []),
        )
        for code in codes
    ]


def definition_summary(*, tenant: Tenant, code: str) -> DefinitionSummary:
    """One workflow of the list; 404 for a code no module ships and this tenant never used."""
    for summary in definition_list(tenant=tenant):
        if summary.code == code:
            return summary
    raise Http404


def definition_version_get(*, tenant: Tenant, code: str, version: int) -> WorkflowDefinition:
    found = WorkflowDefinition.objects.filter(tenant=tenant, code=code, version=version).first()
    if found is None:
        raise Http404
    return found
