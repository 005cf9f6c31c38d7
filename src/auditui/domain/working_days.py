"""Working days: when an audit action falls due.

Actions must be completed within 20 *working* days of the audit's completion,
and "working day" means Monday to Friday less the bank holidays of the
council's nation. England and Wales share one calendar; Scotland and Northern
Ireland each have their own. The bank holidays come from the ``holidays``
package, never from a list typed in here, so a new proclamation (a jubilee, a
state funeral) arrives with a package upgrade rather than a code change.

Counting follows ``shared/domain.md``: day 0 is the day the audit was
completed, day 1 is the first working day after it, and a due date never
falls on a weekend or bank holiday.

Due dates are computed in bulk (demo data, reports over thousands of actions),
so each nation's bank holidays are built once per year into a ``frozenset``
and cached; a lookup is then a weekday test and a set membership test. The
cached sets are immutable, so TUI worker threads can share them safely, which
the lazily expanding ``holidays`` objects (they mutate themselves on lookup)
would not allow.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from auditui.domain.bank_holiday_cache import default_cache
from auditui.errors import ConfigError

#: A working-day calendar's name as written in config.
CalendarName = Literal["england-and-wales", "scotland", "northern-ireland"]

#: The working-day calendars an organisation can choose.
CALENDARS: tuple[str, ...] = get_args(CalendarName)

DEFAULT_CALENDAR: CalendarName = "england-and-wales"

# The `holidays` UK subdivision for each calendar. England and Wales have the
# same bank holidays, so "ENG" stands for both.
_SUBDIVISIONS: dict[str, str] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}

_ONE_DAY = timedelta(days=1)
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def _check_calendar(calendar: str) -> None:
    if calendar not in _SUBDIVISIONS:
        raise ConfigError(
            f"Unknown working-day calendar {calendar!r}: choose one of {', '.join(CALENDARS)}."
        )


@functools.cache
def _bank_holidays(calendar: str, year: int) -> dict[date, str]:
    """The bank holidays (with their names) falling in ``year`` for ``calendar``.

    They come from the ``holidays`` package, through a cache file that spares
    each start the package's import (see ``bank_holiday_cache``).
    """
    return default_cache().get(_SUBDIVISIONS[calendar], year)


@functools.cache
def _closed_days(calendar: str, year: int) -> frozenset[date]:
    """Bank holidays in ``year`` as a set, for the hot path."""
    return frozenset(_bank_holidays(calendar, year))


@functools.cache
def _weekday_holidays(calendar: str, year: int) -> tuple[date, ...]:
    """Bank holidays in ``year`` that fall Monday to Friday, sorted (for counting)."""
    return tuple(sorted(d for d in _closed_days(calendar, year) if d.weekday() < 5))


def _weekdays_before(day: date) -> int:
    """Monday-to-Friday days from 1 Jan year 1 (a Monday) up to but excluding ``day``."""
    weeks, rest = divmod(day.toordinal() - 1, 7)
    return weeks * 5 + min(rest, 5)


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """One nation's working days: Monday to Friday less its bank holidays."""

    name: str = DEFAULT_CALENDAR
    """One of ``CALENDARS``; anything else is a ``ConfigError``."""

    def __post_init__(self) -> None:
        _check_calendar(self.name)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _closed_days(self.name, day.year)

    def bank_holidays(self, year: int) -> dict[date, str]:
        """The bank holidays of ``year`` by date, with their English names."""
        return dict(_bank_holidays(self.name, year))

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (day 0).

        ``n`` must be 0 or more. With ``n == 0`` the result is ``start`` itself
        when that is a working day, otherwise the next working day: a due date
        is never a weekend or bank holiday. For ``n >= 1`` the start day's own
        status does not matter: from Saturday, one working day is Monday
        (unless Monday is a bank holiday). So from a closed day, day 0 and
        day 1 are the same date; from a working day they differ.
        """
        if n < 0:
            raise ValueError(f"n must be 0 or more, not {n}")
        name = self.name
        day = start
        year = day.year
        closed = _closed_days(name, year)
        if n == 0:
            while day.weekday() >= 5 or day in closed:
                day += _ONE_DAY
                if day.year != year:
                    year = day.year
                    closed = _closed_days(name, year)
            return day
        remaining = n
        while remaining:
            day += _ONE_DAY
            if day.year != year:
                year = day.year
                closed = _closed_days(name, year)
            if day.weekday() < 5 and day not in closed:
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``.

        So ``working_days_between(s, add_working_days(s, n)) == n`` for
        ``n >= 1``, and the count from today to a due date is the working days
        left. When ``end`` is before ``start`` the answer is negative:
        ``working_days_between(a, b) == -working_days_between(b, a)`` (an
        overdue action has a negative number of working days left).
        """
        if end < start:
            return -self.working_days_between(end, start)
        if end == start:
            return 0
        first = start + _ONE_DAY
        weekdays = _weekdays_before(end + _ONE_DAY) - _weekdays_before(first)
        holidays_in_range = 0
        for year in range(first.year, end.year + 1):
            closed = _weekday_holidays(self.name, year)
            low = bisect.bisect_left(closed, first) if year == first.year else 0
            high = bisect.bisect_right(closed, end) if year == end.year else len(closed)
            holidays_in_range += high - low
        return weekdays - holidays_in_range


@functools.cache
def working_calendar(calendar: str = DEFAULT_CALENDAR) -> WorkingCalendar:
    """The shared ``WorkingCalendar`` for a calendar name (``ConfigError`` if unknown).

    ``lru_cache`` does not cache a raised error, so a bad name is refused every time.
    """
    return WorkingCalendar(calendar)


def is_working_day(day: date, calendar: str = DEFAULT_CALENDAR) -> bool:
    return working_calendar(calendar).is_working_day(day)


def add_working_days(start: date, n: int, calendar: str = DEFAULT_CALENDAR) -> date:
    """The ``n``-th working day after ``start``; see ``WorkingCalendar.add_working_days``."""
    return working_calendar(calendar).add_working_days(start, n)


def working_days_between(start: date, end: date, calendar: str = DEFAULT_CALENDAR) -> int:
    """Working days after ``start`` up to and including ``end``; negative if ``end < start``."""
    return working_calendar(calendar).working_days_between(start, end)


def format_day(day: date) -> str:
    """A date as an English reader expects it: ``Tue 7 Apr 2026``, whatever the locale."""
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def _working_days_phrase(n: int) -> str:
    return f"{n} working day" if n == 1 else f"{n} working days"


def format_due(due: date, start: date, calendar: str = DEFAULT_CALENDAR) -> str:
    """``due Tue 7 Apr 2026, 20 working days``: a due date and its distance from ``start``."""
    n = working_days_between(start, due, calendar)
    return f"due {format_day(due)}, {_working_days_phrase(n)}"


def describe_due(due: date, today: date, calendar: str = DEFAULT_CALENDAR) -> str:
    """How a due date looks from ``today``, for an actions list.

    ``due today``, ``due in 3 working days``, ``overdue by 2 working days``
    (in working days, so an action due on a Friday is one working day overdue
    on the Monday), or, when no working day lies between, ``overdue since
    Fri 3 Apr 2026`` / ``due Sat 4 Apr 2026``.
    """
    if due == today:
        return "due today"
    n = working_days_between(today, due, calendar)
    if due < today:
        if n == 0:
            return f"overdue since {format_day(due)}"
        return f"overdue by {_working_days_phrase(-n)}"
    if n == 0:
        return f"due {format_day(due)}"
    return f"due in {_working_days_phrase(n)}"
