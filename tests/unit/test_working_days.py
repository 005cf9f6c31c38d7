"""Due dates as a team manager would count them on a wall calendar.

Every expected date below was checked against the ``holidays`` package's own
list for 2026 and 2027 (England: Good Friday 3 Apr, Easter Monday 6 Apr,
Christmas Fri 25 Dec, Boxing Day observed Mon 28 Dec 2026, New Year Fri 1 Jan
2027; Scotland: no Easter Monday, 2 Jan 2027 observed Mon 4 Jan; Northern
Ireland: St Patrick's Day Tue 17 Mar 2026, Battle of the Boyne observed Mon 13
Jul 2026).
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditui.domain.working_days import (
    CALENDARS,
    WorkingCalendar,
    add_working_days,
    describe_due,
    format_due,
    is_working_day,
    working_days_between,
)
from auditui.errors import ConfigError

SUBDIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
calendars = st.sampled_from(CALENDARS)


def is_bank_holiday(day: date, calendar: str) -> bool:
    return day in holidays.country_holidays("GB", subdiv=SUBDIVISIONS[calendar], years=day.year)


# --- known dates -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "calendar", "expected"),
    [
        # Thu before Easter: Good Friday and Easter Monday are both closed.
        (date(2026, 4, 2), 1, "england-and-wales", date(2026, 4, 7)),
        (date(2026, 4, 2), 1, "northern-ireland", date(2026, 4, 7)),
        # Scotland has Good Friday but not Easter Monday.
        (date(2026, 4, 2), 1, "scotland", date(2026, 4, 6)),
        # Christmas 2026: Fri 25 closed, Sat 26 Boxing Day observed Mon 28.
        (date(2026, 12, 24), 1, "england-and-wales", date(2026, 12, 29)),
        # Thu 31 Dec: Fri 1 Jan 2027 closed.
        (date(2026, 12, 31), 1, "england-and-wales", date(2027, 1, 4)),
        # Scotland: Sat 2 Jan 2027 is observed on Mon 4 Jan.
        (date(2026, 12, 31), 1, "scotland", date(2027, 1, 5)),
        # Northern Ireland: St Patrick's Day, Tue 17 Mar 2026.
        (date(2026, 3, 16), 1, "northern-ireland", date(2026, 3, 18)),
        (date(2026, 3, 16), 1, "england-and-wales", date(2026, 3, 17)),
        # Northern Ireland: the Boyne (Sun 12 Jul 2026) observed Mon 13 Jul.
        (date(2026, 7, 10), 1, "northern-ireland", date(2026, 7, 14)),
        (date(2026, 7, 10), 1, "england-and-wales", date(2026, 7, 13)),
        # An ordinary week: Friday plus one is Monday.
        (date(2026, 6, 5), 1, "england-and-wales", date(2026, 6, 8)),
    ],
)
def test_known_due_dates(start: date, n: int, calendar: str, expected: date) -> None:
    assert add_working_days(start, n, calendar) == expected
    assert working_days_between(start, expected, calendar) == n


def test_twenty_working_days_over_christmas_counted_by_hand() -> None:
    # Audit completed Thu 10 Dec 2026. Counting on a calendar:
    # Fri 11 = 1; Mon 14 - Fri 18 = 2-6; Mon 21 - Thu 24 = 7-10;
    # Fri 25 Christmas, Mon 28 Boxing Day (observed): closed;
    # Tue 29 - Thu 31 = 11-13; Fri 1 Jan New Year: closed;
    # Mon 4 - Fri 8 Jan = 14-18; Mon 11 = 19; Tue 12 Jan 2027 = 20.
    due = add_working_days(date(2026, 12, 10), 20)
    assert due == date(2027, 1, 12)
    assert format_due(due, date(2026, 12, 10)) == "due Tue 12 Jan 2027, 20 working days"
    # Scotland also closes Mon 4 Jan 2027, so one day later.
    assert add_working_days(date(2026, 12, 10), 20, "scotland") == date(2027, 1, 13)


def test_twenty_working_days_in_an_ordinary_month() -> None:
    # Mon 8 Jun 2026: four clear weeks, no bank holidays -> Mon 6 Jul 2026.
    assert add_working_days(date(2026, 6, 8), 20) == date(2026, 7, 6)


def test_day_zero_is_the_start_when_it_is_a_working_day() -> None:
    assert add_working_days(date(2026, 4, 2), 0) == date(2026, 4, 2)


def test_day_zero_on_a_bank_holiday_weekend_rolls_to_the_next_working_day() -> None:
    # Good Friday 3 Apr 2026 -> Sat, Sun, Easter Monday -> Tue 7 Apr.
    assert add_working_days(date(2026, 4, 3), 0) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 3), 0, "scotland") == date(2026, 4, 6)


def test_counting_from_a_weekend_starts_with_monday() -> None:
    assert add_working_days(date(2026, 6, 6), 1) == date(2026, 6, 8)  # Sat -> Mon


def test_between_is_negative_when_end_is_before_start() -> None:
    # Due Tue 7 Apr 2026, looked at on Fri 10 Apr: three working days overdue.
    assert working_days_between(date(2026, 4, 10), date(2026, 4, 7)) == -3
    assert working_days_between(date(2026, 4, 7), date(2026, 4, 7)) == 0


def test_describe_due() -> None:
    today = date(2026, 4, 2)  # Thu before Easter
    assert describe_due(today, today) == "due today"
    assert describe_due(date(2026, 4, 7), today) == "due in 1 working day"
    assert describe_due(date(2026, 4, 9), today) == "due in 3 working days"
    assert describe_due(date(2026, 3, 31), today) == "overdue by 2 working days"
    # Due Fri 3 Apr (a bank holiday) seen on Sat 4 Apr: no working day between.
    assert describe_due(date(2026, 4, 3), date(2026, 4, 4)) == "overdue since Fri 3 Apr 2026"


def test_format_due_uses_the_singular_for_one_day() -> None:
    assert format_due(date(2026, 4, 7), date(2026, 4, 2)) == "due Tue 7 Apr 2026, 1 working day"


def test_unknown_calendar_is_refused_naming_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as raised:
        add_working_days(date(2026, 1, 5), 1, "wales")
    assert "england-and-wales, scotland, northern-ireland" in raised.value.message
    with pytest.raises(ConfigError):
        WorkingCalendar("England")


def test_negative_n_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)


def test_bank_holidays_are_listed_by_name() -> None:
    listed = WorkingCalendar("scotland").bank_holidays(2027)
    assert listed[date(2027, 1, 4)] == "New Year Holiday (observed)"
    assert date(2027, 3, 29) not in listed  # no Easter Monday in Scotland


def test_far_years_work() -> None:
    # Lazily built years: 1995 (VE Day May Day moved to Mon 8 May) and 2090.
    assert not is_working_day(date(1995, 5, 8))
    assert is_working_day(date(1995, 5, 1))
    assert not is_working_day(date(2090, 12, 25))


# --- properties --------------------------------------------------------------


@given(start=days, n=st.integers(min_value=0, max_value=400), calendar=calendars)
def test_a_due_date_is_never_a_weekend_or_bank_holiday(start: date, n: int, calendar: str) -> None:
    due = add_working_days(start, n, calendar)
    assert due.weekday() < 5
    assert not is_bank_holiday(due, calendar)
    assert due >= start


@given(start=days, n=st.integers(min_value=1, max_value=400), calendar=calendars)
def test_counting_back_gives_n(start: date, n: int, calendar: str) -> None:
    due = add_working_days(start, n, calendar)
    assert working_days_between(start, due, calendar) == n
    assert working_days_between(due, start, calendar) == -n


@given(start=days, n=st.integers(min_value=1, max_value=400), calendar=calendars)
def test_one_more_working_day_is_a_later_date(start: date, n: int, calendar: str) -> None:
    assert add_working_days(start, n + 1, calendar) > add_working_days(start, n, calendar)


@given(start=days, calendar=calendars)
def test_day_zero_and_day_one(start: date, calendar: str) -> None:
    # Day 0 is rolled forward off a closed day, so from a weekend or bank
    # holiday day 0 and day 1 are the same date; from a working day they differ.
    day_0 = add_working_days(start, 0, calendar)
    day_1 = add_working_days(start, 1, calendar)
    if is_working_day(start, calendar):
        assert day_0 == start < day_1
    else:
        assert day_0 == day_1


@given(start=days, span=st.integers(min_value=-800, max_value=800), calendar=calendars)
def test_between_agrees_with_counting_day_by_day(start: date, span: int, calendar: str) -> None:
    end = start + timedelta(days=span)
    low, high = sorted((start, end))
    counted = sum(
        1
        for offset in range(1, (high - low).days + 1)
        if (day := low + timedelta(days=offset)).weekday() < 5
        and not is_bank_holiday(day, calendar)
    )
    assert working_days_between(start, end, calendar) == (counted if span >= 0 else -counted)


@given(day=days, calendar=calendars)
def test_is_working_day_matches_the_holidays_package(day: date, calendar: str) -> None:
    expected = day.weekday() < 5 and not is_bank_holiday(day, calendar)
    assert is_working_day(day, calendar) is expected
