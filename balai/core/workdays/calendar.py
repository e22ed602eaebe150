"""The working-day calendar of one tenant: pure logic over the national calendar and the tenant's changes.

This module does not touch the database. `selectors.calendar_for(tenant)` builds a `WorkCalendar` whose
`changes` loader reads the tenant's `DayOff` rows once per year (cached, invalidated on change).

What is a working day
---------------------
Monday to Friday, unless the date is a national public holiday, a national cuti bersama (both from the
`holidays` package, category "public" and "government"), or a day off the tenant added (libur daerah,
cuti bersama tambahan). A national holiday or cuti bersama on a weekday that the tenant marked "tetap hari
kerja" (for example a cuti bersama cancelled late) is a working day for that tenant. Saturdays and Sundays
are never working days.

How days are counted (the convention a person at the counter uses)
------------------------------------------------------------------
- The day something happens (a file received, a period started) is day 0 and never counts, whether or
  not it is a working day. Day 1 is the first working day after it.
- `add_working_days(D, n)` is the n-th working day after D; an SLA of n working days on a file received
  on D is due at the END of that day. A file received on a Saturday or a holiday therefore starts its
  count on the next working day, which is day 1, exactly as a file received on the working day before.
  Example (real 2026 calendar): received Wednesday 18 March 2026 (cuti bersama Nyepi), SLA 5: 19 Nyepi,
  20 cuti bersama Idul Fitri, 21-22 Idul Fitri (weekend), 23-24 cuti bersama; so day 1 is Wednesday
  25 March, and day 5, the due date, is Tuesday 31 March 2026.
- `working_days_between(a, b)` counts the working days d with date(a) < d <= date(b): on which working day
  of the count `b` falls. It is the "elapsed" of an SLA clock started at a, read at b (the day in progress
  counts as used). Hence `working_days_between(D, add_working_days(D, n)) == n` for every n >= 0: on the
  due date the clock shows n of n (due today, not late), and a clock is late once elapsed > SLA.
- Instants (aware datetimes) are first converted to the tenant's time zone: 23:30 WIB on Tuesday is
  Wednesday 00:30 in WITA. A naive datetime is refused (ValueError).
- Paused clocks (a file returned to the applicant) are lists of running intervals; each interval counts
  like `working_days_between`, so the day the file comes back is day 0 of the resumed run again, and
  intervals that touch count every working day once.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone as django_timezone
from django.utils import translation

# Kinds of named days. The tenant's kinds use the same values as DayOff.Kind.
NATIONAL = "national"  # national public holiday (libur nasional)
NATIONAL_COLLECTIVE = "national_collective"  # cuti bersama set by the joint ministerial decree
LOCAL = "local"  # libur daerah of the tenant
COLLECTIVE = "collective"  # a cuti bersama the tenant adds (not yet in the package)
WORKING = "working"  # a national holiday or cuti bersama that stays a working day for the tenant

TENANT_KINDS = frozenset({LOCAL, COLLECTIVE, WORKING})
NATIONAL_KINDS = frozenset({NATIONAL, NATIONAL_COLLECTIVE})

Moment = date | datetime
# A running interval of a clock: start and end instants (or dates); end None means "still running".
Interval = tuple[Moment, Moment | None]


@dataclass(frozen=True)
class Change:
    """One tenant change to the national calendar, as stored in a DayOff row."""

    date: date
    kind: str
    name: str


@dataclass(frozen=True)
class NamedDay:
    """A date of a year that has a name: a holiday, a day off, or a holiday that stays a working day."""

    date: date
    kind: str  # NATIONAL, NATIONAL_COLLECTIVE, LOCAL or COLLECTIVE: why the date is (or was) off
    name: str
    is_working: bool  # True only when the tenant turned this national day back into a working day
    working_reason: str = ""  # the tenant's reason, when is_working


def holidays_language(django_language: str | None) -> str:
    """The `holidays` package's language code for a Django language code (Indonesian by default)."""
    return "en_US" if (django_language or "").lower().startswith("en") else "id"


@lru_cache(maxsize=128)
def national_days(year: int, language: str = "id") -> MappingProxyType:
    """Indonesia's public holidays and cuti bersama of a year: {date: (kind, name)}; same for every tenant."""
    public = holidays.country_holidays("ID", years=year, categories=("public",), language=language)
    collective = holidays.country_holidays("ID", years=year, categories=("government",), language=language)
    found = {day: (NATIONAL_COLLECTIVE, name) for day, name in collective.items()}
    found.update({day: (NATIONAL, name) for day, name in public.items()})
    return MappingProxyType(found)


@dataclass(frozen=True)
class _Year:
    closed: dict[date, tuple[str, str]]  # named non-working dates (weekends included): date -> (kind, name)
    overridden: dict[date, tuple[str, str, str]]  # date -> (national kind, national name, tenant's reason)
    working: tuple[date, ...]  # every working date of the year, sorted


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5


@lru_cache(maxsize=512)
def year_table(year: int, language: str, changes: tuple[Change, ...]) -> _Year:
    """The working days of a year under a tenant's changes. Shared by every calendar with the same
    inputs (a calendar is built per request; the table is the same until the tenant changes a day)."""
    closed: dict[date, tuple[str, str]] = dict(national_days(year, language))
    overridden: dict[date, tuple[str, str, str]] = {}
    for change in changes:
        if change.kind == WORKING:
            # Only a national day on a weekday can be given back; anything else is already settled.
            if change.date in closed and not _is_weekend(change.date):
                kind, name = closed.pop(change.date)
                overridden[change.date] = (kind, name, change.name)
        elif change.kind in (LOCAL, COLLECTIVE):
            closed.setdefault(change.date, (change.kind, change.name))
    first = date(year, 1, 1)
    length = 366 if stdlib_calendar.isleap(year) else 365
    working = tuple(
        day
        for day in (first + timedelta(days=i) for i in range(length))
        if not _is_weekend(day) and day not in closed
    )
    return _Year(closed=closed, overridden=overridden, working=working)


class WorkCalendar:
    """Working days of one tenant. Build it with `selectors.calendar_for(tenant)`.

    `changes(year)` returns the tenant's changes of that year; it is called at most once per year for
    the life of this object (the selector caches it across requests as well). Names of holidays are in
    `language` (a Django language code; the active language when None).
    """

    def __init__(
        self,
        *,
        timezone: str,
        changes: Callable[[int], Iterable[Change]] | None = None,
        language: str | None = None,
    ) -> None:
        self.zone = ZoneInfo(timezone)
        self._changes = changes or (lambda year: ())
        self.language = holidays_language(language or translation.get_language())
        self._years: dict[int, _Year] = {}

    # --- the year tables ---------------------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._build_year(year)
        return found

    def _build_year(self, year: int) -> _Year:
        return year_table(year, self.language, tuple(self._changes(year)))

    # --- instants and today --------------------------------------------------------------------------

    def local_date(self, moment: Moment) -> date:
        """The tenant's calendar date of an aware datetime (a date is returned as is)."""
        if isinstance(moment, datetime):
            if django_timezone.is_naive(moment):
                raise ValueError(
                    "A naive datetime cannot be placed on a tenant's calendar; pass an aware one."
                )
            return moment.astimezone(self.zone).date()
        return moment

    def now(self) -> datetime:
        return django_timezone.now().astimezone(self.zone)

    def today(self) -> date:
        """Today's date in the tenant's time zone (in Jayapura it is already tomorrow at 22:00 UTC)."""
        return self.now().date()

    # --- single days ---------------------------------------------------------------------------------

    def is_working_day(self, day: Moment) -> bool:
        day = self.local_date(day)
        if _is_weekend(day):
            return False
        return day not in self._year(day.year).closed

    def holiday_name(self, day: Moment) -> str | None:
        """Why the date is off: the holiday, cuti bersama or local day off name; None on a working day
        and on an ordinary Saturday or Sunday. A holiday on a weekend keeps its name."""
        day = self.local_date(day)
        found = self._year(day.year).closed.get(day)
        return found[1] if found else None

    def named_days(self, year: int) -> list[NamedDay]:
        """Every named date of the year, in order: holidays, cuti bersama, local days off, and the
        national days this tenant keeps as working days (is_working=True)."""
        table = self._year(year)
        found = [NamedDay(day, kind, name, is_working=False) for day, (kind, name) in table.closed.items()]
        found += [
            NamedDay(day, kind, name, is_working=True, working_reason=reason)
            for day, (kind, name, reason) in table.overridden.items()
        ]
        return sorted(found, key=lambda named: named.date)

    def next_working_day(self, day: Moment) -> date:
        """The first working day strictly after `day` (the next working day even when `day` is one)."""
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: Moment) -> date:
        """The last working day strictly before `day`."""
        return self.add_working_days(day, -1)

    def working_day_on_or_after(self, day: Moment) -> date:
        """`day` itself when it is a working day, otherwise the next working day."""
        day = self.local_date(day)
        return day if self.is_working_day(day) else self.next_working_day(day)

    # --- counting ------------------------------------------------------------------------------------

    def add_working_days(self, start: Moment, n: int) -> date:
        """The n-th working day after `start` (day 0, never counted): the due date of an SLA of n working
        days on something received at `start`, due at the end of that day.

        Received on a non-working day, the count starts with the next working day as day 1. n = 0 returns
        the date of `start` itself; a negative n counts back (-1 is the last working day before `start`).
        Reads each year's table once; no per-day lookups.
        """
        day = self.local_date(start)
        if n == 0:
            return day
        year = day.year
        days = self._year(year).working
        if n > 0:
            index = bisect_right(days, day) + n - 1
            while index >= len(days):
                index -= len(days)
                year += 1
                days = self._year(year).working
            return days[index]
        index = bisect_left(days, day) + n
        while index < 0:
            year -= 1
            days = self._year(year).working
            index += len(days)
        return days[index]

    def working_days_between(self, a: Moment, b: Moment) -> int:
        """How many working days d satisfy date(a) < d <= date(b), dates taken in the tenant's zone.

        That is the working day of the count on which `b` falls when counting from `a` (day 0): the
        elapsed working days of an SLA clock started at a and read at b. Negative when b is before a.
        """
        first, last = self.local_date(a), self.local_date(b)
        if first > last:
            return -self.working_days_between(last, first)
        count = 0
        for year in range(first.year, last.year + 1):
            days = self._year(year).working
            low = bisect_right(days, first) if year == first.year else 0
            high = bisect_right(days, last) if year == last.year else len(days)
            count += high - low
        return count

    def working_dates(self, first: date, last: date) -> list[date]:
        """The working dates from `first` to `last`, both included, in order."""
        found: list[date] = []
        for year in range(first.year, last.year + 1):
            days = self._year(year).working
            found += days[bisect_left(days, first) : bisect_right(days, last)]
        return found

    def working_days_in_month(self, year: int, month: int) -> int:
        """The number of working days of a calendar month (for pay periods: attendance targets)."""
        last = stdlib_calendar.monthrange(year, month)[1]
        return len(self.working_dates(date(year, month, 1), date(year, month, last)))

    # --- clocks with pauses --------------------------------------------------------------------------

    def elapsed_working_days(self, intervals: Sequence[Interval], *, now: datetime | None = None) -> int:
        """Working days used by a clock that ran during `intervals` and stood still between them.

        Each (start, end) interval counts as `working_days_between(start, end)`; an end of None means the
        clock is still running and ends at `now` (the current instant by default). Intervals must be in
        order and must not overlap; intervals that touch (returned and resubmitted the same day) count
        every working day once. Example: received Monday, returned to the applicant on Wednesday (2 days
        used: Tuesday, Wednesday), resubmitted the next Monday (day 0 again), read on Thursday: 2 + 3 = 5.
        """
        total = 0
        previous_end: date | None = None
        for start, end in intervals:
            first = self.local_date(start)
            last = self.local_date(end if end is not None else (now or self.now()))
            if last < first or (previous_end is not None and first < previous_end):
                raise ValueError(
                    "Clock intervals must be in order, each ending after it starts, without overlap."
                )
            total += self.working_days_between(first, last)
            previous_end = last
        return total

    def remaining_working_days(
        self, intervals: Sequence[Interval], working_days: int, *, now: datetime | None = None
    ) -> int:
        """Working days left of an SLA of `working_days`: 0 on the due day, negative once late."""
        return working_days - self.elapsed_working_days(intervals, now=now)

    def due_date(self, intervals: Sequence[Interval], working_days: int) -> date | None:
        """The date an SLA of `working_days` falls due, counting only the running intervals; None while
        the clock is paused (the last interval has an end). Due at the end of the returned day."""
        if not intervals:
            raise ValueError("A clock needs at least one interval.")
        *closed, (last_start, last_end) = intervals
        if last_end is not None:
            return None
        used = self.elapsed_working_days(closed) if closed else 0
        if closed and self.local_date(last_start) < self.local_date(closed[-1][1]):
            raise ValueError(
                "Clock intervals must be in order, each ending after it starts, without overlap."
            )
        return self.add_working_days(last_start, working_days - used)
