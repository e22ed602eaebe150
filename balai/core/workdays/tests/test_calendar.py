"""The counting rules of the working-day calendar, on the real 2026 Indonesian calendar.

Convention (see balai/core/workdays/calendar.py): the day something is received is day 0 and never
counts; day 1 is the first working day after it; an SLA of n working days is due at the end of day n.
`working_days_between(a, b)` counts the working days after date(a) up to and including date(b).

March 2026 around Idul Fitri, from the holidays package (SKB 2026):
    Wed 18 cuti bersama Nyepi      Thu 19 Hari Suci Nyepi       Fri 20 cuti bersama Idul Fitri
    Sat 21 Idul Fitri              Sun 22 Idul Fitri (day 2)    Mon 23, Tue 24 cuti bersama Idul Fitri
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balai.core.workdays.calendar import COLLECTIVE, LOCAL, WORKING, Change, WorkCalendar

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"


def make(changes: list[Change] | None = None, *, zone: str = WIB, language: str = "id") -> WorkCalendar:
    by_year: dict[int, list[Change]] = {}
    for change in changes or []:
        by_year.setdefault(change.date.year, []).append(change)
    return WorkCalendar(timezone=zone, changes=lambda year: by_year.get(year, []), language=language)


def at(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


# --- worked examples ----------------------------------------------------------------------------------


def test_it_gives_the_due_date_a_person_counts_across_nyepi_and_idul_fitri():
    """Received Wednesday 18 March 2026, SLA 5 working days.

    18 March itself is day 0 (and a cuti bersama anyway). 19 Nyepi, 20 cuti bersama, 21-22 Idul Fitri
    on the weekend, 23-24 cuti bersama: nothing counts until Wednesday 25 March = day 1; Thursday 26 = 2,
    Friday 27 = 3, (weekend 28-29), Monday 30 = 4, Tuesday 31 March = 5. Due at the end of 31 March.
    """
    calendar = make()
    assert calendar.add_working_days(date(2026, 3, 18), 5) == date(2026, 3, 31)
    assert calendar.add_working_days(at(WIB, 2026, 3, 18, 9, 15), 5) == date(2026, 3, 31)


def test_it_counts_from_a_working_day_received_before_the_holidays():
    """Received Wednesday 11 March 2026 (a working day, day 0), SLA 5: Thursday 12 = 1, Friday 13 = 2,
    Monday 16 = 3, Tuesday 17 = 4, then 18-24 March are all off, so Wednesday 25 March = 5."""
    assert make().add_working_days(date(2026, 3, 11), 5) == date(2026, 3, 25)


def test_a_file_received_on_a_weekend_starts_counting_on_the_next_working_day():
    """Received Saturday 7 March 2026: day 1 is Monday 9, day 5 Friday 13 March; the same due date as a
    file received on Friday 6 March, since neither the Friday of receipt nor the weekend counts."""
    calendar = make()
    assert calendar.add_working_days(date(2026, 3, 7), 5) == date(2026, 3, 13)
    assert calendar.add_working_days(date(2026, 3, 6), 5) == date(2026, 3, 13)
    assert calendar.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_a_local_day_off_moves_the_due_date_and_a_cancelled_cuti_bersama_moves_it_back():
    """Same file as above (received 18 March, SLA 5, due 31 March).

    - A libur daerah on Friday 27 March removes day 3: 25, 26, 30, 31, then Wednesday 1 April = 5.
    - Cuti bersama of Tuesday 24 March cancelled for this tenant: 24 = 1, 25, 26, 27, Monday 30 = 5.
    """
    local = make([Change(date(2026, 3, 27), LOCAL, "Hari Jadi Kota")])
    assert local.add_working_days(date(2026, 3, 18), 5) == date(2026, 4, 1)
    cancelled = make([Change(date(2026, 3, 24), WORKING, "Cuti bersama dibatalkan")])
    assert cancelled.add_working_days(date(2026, 3, 18), 5) == date(2026, 3, 30)
    assert cancelled.is_working_day(date(2026, 3, 24)) and cancelled.holiday_name(date(2026, 3, 24)) is None


def test_it_crosses_the_new_year():
    """Received Wednesday 23 December 2026: 24 cuti bersama Natal, 25 Natal, 26-27 weekend; Monday 28 = 1,
    29 = 2, 30 = 3, 31 = 4, Friday 1 January 2027 is New Year, Monday 4 January 2027 = 5."""
    calendar = make()
    assert calendar.add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    assert calendar.add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)
    assert calendar.working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 5
    assert calendar.previous_working_day(date(2027, 1, 4)) == date(2026, 12, 31)


def test_next_working_day_is_strictly_after_and_on_or_after_may_be_the_same_day():
    calendar = make()
    assert calendar.next_working_day(date(2026, 3, 18)) == date(2026, 3, 25)
    assert calendar.next_working_day(date(2026, 3, 25)) == date(2026, 3, 26)
    assert calendar.working_day_on_or_after(date(2026, 3, 25)) == date(2026, 3, 25)
    assert calendar.working_day_on_or_after(date(2026, 3, 21)) == date(2026, 3, 25)
    assert calendar.previous_working_day(date(2026, 3, 25)) == date(2026, 3, 17)
    assert calendar.add_working_days(date(2026, 3, 21), 0) == date(2026, 3, 21)


def test_it_names_holidays_in_the_requested_language():
    calendar = make()
    assert not calendar.is_working_day(date(2026, 3, 21))
    assert calendar.holiday_name(date(2026, 3, 19)) == "Hari Suci Nyepi"
    assert calendar.holiday_name(date(2026, 3, 24)) == "Cuti Bersama Hari Raya Idul Fitri"
    assert calendar.holiday_name(date(2026, 3, 21)) == "Hari Raya Idul Fitri"  # a holiday on a Saturday
    assert calendar.holiday_name(date(2026, 3, 28)) is None  # an ordinary Saturday
    assert calendar.holiday_name(date(2026, 3, 25)) is None
    assert make(language="en").holiday_name(date(2026, 3, 19)) == "Day of Silence"


def test_working_days_in_march_2026():
    """March 2026 has 22 weekdays; 18, 19, 20, 23 and 24 March are off: 17 working days. The tenant's
    libur daerah takes one more, a cancelled cuti bersama gives one back."""
    assert make().working_days_in_month(2026, 3) == 17
    assert make([Change(date(2026, 3, 27), LOCAL, "Hari Jadi")]).working_days_in_month(2026, 3) == 16
    assert make([Change(date(2026, 3, 24), WORKING, "Batal")]).working_days_in_month(2026, 3) == 18
    assert make().working_days_in_month(2026, 2) == 18  # 20 weekdays, minus 16 and 17 February (Imlek)


def test_an_extra_cuti_bersama_is_a_day_off_with_its_name():
    calendar = make([Change(date(2026, 4, 2), COLLECTIVE, "Cuti bersama Paskah")])
    assert not calendar.is_working_day(date(2026, 4, 2))
    assert calendar.holiday_name(date(2026, 4, 2)) == "Cuti bersama Paskah"


# --- instants and time zones ----------------------------------------------------------------------


def test_an_instant_near_midnight_falls_on_different_days_in_wib_and_wita():
    """16:30 UTC on Thursday 12 March 2026 is 23:30 Thursday in Serang (WIB) but 00:30 Friday in
    Makassar (WITA). Read at 10:00 UTC on Tuesday 17 March: in WIB Friday 13, Monday 16 and Tuesday 17
    have elapsed (3); in WITA Friday is the day of receipt, so only Monday and Tuesday (2)."""
    received = datetime(2026, 3, 12, 16, 30, tzinfo=UTC)
    read = datetime(2026, 3, 17, 10, 0, tzinfo=UTC)
    assert make(zone=WIB).working_days_between(received, read) == 3
    assert make(zone=WITA).working_days_between(received, read) == 2
    # So the same SLA of 5 falls due a day later in Makassar: WIB 13, 16, 17, 25, 26; WITA 16, 17, 25, 26, 27.
    assert make(zone=WIB).add_working_days(received, 5) == date(2026, 3, 26)
    assert make(zone=WITA).add_working_days(received, 5) == date(2026, 3, 27)


def test_today_is_the_tenants_date(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 3, 12, 16, 0, tzinfo=UTC))
    assert make(zone=WIB).today() == date(2026, 3, 12)  # 23:00 WIB
    assert make(zone=WIT).today() == date(2026, 3, 13)  # 01:00 WIT, already Friday in Jayapura


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        make().add_working_days(datetime(2026, 3, 12, 9, 0), 1)


# --- clocks paused while the file is with the applicant ----------------------------------------------


def test_a_paused_clock_counts_only_the_days_it_ran():
    """Received Monday 2 March 2026; returned to the applicant Wednesday 4 March (Tuesday and Wednesday
    used: 2); resubmitted Monday 9 March (day 0 of the resumed run); read Thursday 12 March (Tuesday 10,
    Wednesday 11, Thursday 12: 3 more). 5 of an SLA of 5 used: due today, Thursday 12 March."""
    calendar = make()
    intervals = [
        (at(WIB, 2026, 3, 2, 9, 0), at(WIB, 2026, 3, 4, 14, 0)),
        (at(WIB, 2026, 3, 9, 10, 0), None),
    ]
    now = at(WIB, 2026, 3, 12, 15, 0)
    assert calendar.elapsed_working_days(intervals, now=now) == 5
    assert calendar.remaining_working_days(intervals, 5, now=now) == 0
    assert calendar.due_date(intervals, 5) == date(2026, 3, 12)
    # Without the pause the same SLA was due Monday 9 March.
    assert calendar.add_working_days(at(WIB, 2026, 3, 2, 9, 0), 5) == date(2026, 3, 9)
    # Late the next day.
    assert calendar.remaining_working_days(intervals, 5, now=at(WIB, 2026, 3, 13, 8, 0)) == -1


def test_a_clock_returned_and_resubmitted_the_same_day_loses_nothing():
    calendar = make()
    start, back, resubmitted, now = (
        at(WIB, 2026, 3, 2, 9),
        at(WIB, 2026, 3, 4, 10),
        at(WIB, 2026, 3, 4, 15),
        at(WIB, 2026, 3, 12, 9),
    )
    paused = calendar.elapsed_working_days([(start, back), (resubmitted, None)], now=now)
    assert paused == calendar.working_days_between(start, now) == 8


def test_a_paused_clock_has_no_due_date_and_bad_intervals_are_refused():
    calendar = make()
    assert calendar.due_date([(date(2026, 3, 2), date(2026, 3, 4))], 5) is None
    with pytest.raises(ValueError):
        calendar.elapsed_working_days([(date(2026, 3, 4), date(2026, 3, 2))])
    with pytest.raises(ValueError):
        calendar.elapsed_working_days(
            [(date(2026, 3, 2), date(2026, 3, 6)), (date(2026, 3, 4), date(2026, 3, 9))]
        )


# --- properties --------------------------------------------------------------------------------------

days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
changes = st.lists(
    st.builds(
        Change,
        date=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
        kind=st.sampled_from([LOCAL, COLLECTIVE, WORKING]),
        name=st.just("x"),
    ),
    max_size=15,
    unique_by=lambda change: change.date,
)


def slow_count(calendar: WorkCalendar, first: date, last: date) -> int:
    """Working days after `first` up to `last`, one day at a time: the reference for the fast count."""
    return sum(calendar.is_working_day(first + timedelta(days=i)) for i in range(1, (last - first).days + 1))


@settings(max_examples=200, deadline=None)
@given(day=days, n=st.integers(min_value=1, max_value=400), tenant_changes=changes)
def test_adding_working_days_lands_on_a_working_day_and_counts_back_to_n(day, n, tenant_changes):
    calendar = make(tenant_changes)
    due = calendar.add_working_days(day, n)
    assert calendar.is_working_day(due)
    assert due > day
    assert calendar.working_days_between(day, due) == n
    assert calendar.working_days_between(due, day) == -n
    # The day before the due date has not yet used the whole SLA.
    assert calendar.working_days_between(day, due - timedelta(days=1)) == n - 1


@settings(max_examples=200, deadline=None)
@given(day=days, n=st.integers(min_value=0, max_value=300), extra=st.integers(min_value=1, max_value=50))
def test_adding_working_days_is_monotonic(day, n, extra):
    calendar = make()
    assert calendar.add_working_days(day, n) < calendar.add_working_days(day, n + extra)
    assert calendar.working_days_between(day, calendar.add_working_days(day, n)) == n


@settings(max_examples=100, deadline=None)
@given(a=days, b=days, tenant_changes=changes)
def test_the_fast_count_agrees_with_counting_day_by_day(a, b, tenant_changes):
    calendar = make(tenant_changes)
    first, last = min(a, b), max(a, b)
    assert calendar.working_days_between(first, last) == slow_count(calendar, first, last)
    assert len(calendar.working_dates(first, last)) == slow_count(calendar, first - timedelta(days=1), last)


@settings(max_examples=100, deadline=None)
@given(a=days, b=days, c=days)
def test_counts_between_instants_add_up(a, b, c):
    calendar = make()
    assert calendar.working_days_between(a, b) + calendar.working_days_between(
        b, c
    ) == calendar.working_days_between(a, c)


@settings(max_examples=100, deadline=None)
@given(
    instant=st.datetimes(
        min_value=datetime(2025, 6, 1), max_value=datetime(2027, 6, 1), timezones=st.just(UTC)
    ),
    n=st.integers(min_value=0, max_value=200),
    zone=st.sampled_from([WIB, WITA, WIT]),
)
def test_the_property_holds_for_instants_in_every_zone(instant, n, zone):
    calendar = make(zone=zone)
    due = calendar.add_working_days(instant, n)
    assert calendar.working_days_between(instant, due) == n
    assert due == calendar.add_working_days(calendar.local_date(instant), n)
