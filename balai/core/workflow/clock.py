"""SLA arithmetic of a workflow instance on the tenant's working-day calendar (no database writes).

`now()` is the one place the engine reads the time, so tests can move it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from balai.core.workdays.calendar import WorkCalendar

from .definitions import RUNNING, Definition

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"


def now() -> datetime:
    return timezone.now()


def intervals_of(raw: list) -> list[tuple[datetime, datetime | None]]:
    return [
        (datetime.fromisoformat(start), datetime.fromisoformat(end) if end else None) for start, end in raw or []
    ]


def is_running(raw: list) -> bool:
    return bool(raw) and raw[-1][1] is None


def enter_clock(raw: list, clock: str, at: datetime) -> list:
    """The running periods after entering a state whose clock is `clock` at `at`."""
    periods = [list(p) for p in raw or []]
    if clock == RUNNING:
        if not is_running(periods):
            periods.append([at.isoformat(), None])
    elif is_running(periods):
        periods[-1][1] = at.isoformat()
    return periods


def started_and_held(raw: list, at: datetime) -> list:
    """The running periods with a period of no length at `at`: a clock that starts and is paused or
    stopped in the same instant (it counts no day, but the pause after it is a pause)."""
    return [*(list(p) for p in raw or []), [at.isoformat(), at.isoformat()]]


def file_elapsed(calendar: WorkCalendar, raw: list, at: datetime) -> int:
    return calendar.elapsed_working_days(intervals_of(raw), now=at) if raw else 0


def file_remaining(calendar: WorkCalendar, raw: list, sla_days: int | None, at: datetime) -> int | None:
    if sla_days is None or not raw:
        return None if sla_days is None else sla_days
    return sla_days - file_elapsed(calendar, raw, at)


def file_days_late(calendar: WorkCalendar, raw: list, sla_days: int | None, today: date) -> int | None:
    """Working days from the file's own due date to `today` (0 or less: not late yet); None while its clock
    does not run (paused, stopped, not started) or when it has no SLA: only a running clock can breach."""
    if sla_days is None or not is_running(raw):
        return None
    file_due = calendar.due_date(intervals_of(raw), sla_days)
    return None if file_due is None else calendar.working_days_between(file_due, today)


def step_due(calendar: WorkCalendar, entered_at: datetime, sla_days: int | None) -> date | None:
    return None if sla_days is None else calendar.add_working_days(entered_at, sla_days)


def step_remaining(calendar: WorkCalendar, entered_at: datetime, sla_days: int | None, at: datetime) -> int | None:
    if sla_days is None:
        return None
    return sla_days - calendar.working_days_between(entered_at, at)


def due(
    calendar: WorkCalendar, definition: Definition, *, state: str, entered_at: datetime, raw: list,
    sla_days: int | None,
) -> tuple[date | None, int | None]:
    """The due date of the current step and the SLA (in working days) it comes from: the earlier of the
    step's own SLA and the file's, when its clock runs."""
    candidates: list[tuple[date, int]] = []
    step_sla = definition.states[state].sla_days
    if step_sla is not None:
        candidates.append((step_due(calendar, entered_at, step_sla), step_sla))
    if sla_days is not None and is_running(raw):
        file_due = calendar.due_date(intervals_of(raw), sla_days)
        if file_due is not None:
            candidates.append((file_due, sla_days))
    if not candidates:
        return None, None
    return min(candidates)


def colour(remaining: int | None, sla_days: int | None) -> str:
    """Red when late; yellow when at most one working day or at most 20% of the SLA remains; else green.
    Grey when no SLA applies (paused, stopped, or none defined)."""
    if remaining is None:
        return GREY
    if remaining < 0:
        return RED
    if remaining <= 1 or (sla_days and remaining * 5 <= sla_days):
        return YELLOW
    return GREEN


@dataclass(frozen=True)
class SlaStatus:
    """Where an SLA stands today: working days remaining (0 on the due day, negative when late)."""

    due_date: date | None
    sla_days: int | None
    remaining: int | None
    colour: str
    paused: bool = False

    @property
    def late(self) -> bool:
        return self.remaining is not None and self.remaining < 0

    @property
    def late_days(self) -> int:
        return -self.remaining if self.late else 0


def due_status(calendar: WorkCalendar, due_date: date | None, sla_days: int | None, *, today: date | None = None,
               paused: bool = False) -> SlaStatus:
    if due_date is None:
        return SlaStatus(None, sla_days, None, GREY, paused)
    remaining = calendar.working_days_between(today or calendar.today(), due_date)
    return SlaStatus(due_date, sla_days, remaining, colour(remaining, sla_days), paused)
