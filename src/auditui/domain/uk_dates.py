"""Dates and months as a UK reader expects them on screen, in one place.

Every screen shows a day as ``Sat 31 Oct 2026`` (or ``31 Oct 2026`` where the
weekday adds nothing, as in a period), and a month as ``Nov 2026``; files and
JSON keep ISO. One formatter each, so no screen writes a date its own way
(issue 13 items 7 and 11). English names whatever the locale, as
``working_days.format_day`` does.
"""

from __future__ import annotations

import datetime as dt
import re

from auditui.domain.working_days import format_day

__all__ = ["format_day", "format_month", "format_period", "format_short_day", "month_label"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")


def format_short_day(day: dt.date) -> str:
    """``1 Jun 2026``: a day without its weekday (a period's ends, a heading)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_month(year: int, month: int) -> str:
    """``Nov 2026``."""
    return f"{_MONTHS[month - 1]} {year}"


def month_label(text: str) -> str:
    """``2026-11`` as ``Nov 2026``; anything that is not an ISO month is returned as it is
    (a report's group may be a team or "All")."""
    found = _ISO_MONTH.fullmatch(text)
    if found is None or not 1 <= int(found[2]) <= 12:
        return text
    return format_month(int(found[1]), int(found[2]))


def format_period(first: dt.date | None, last: dt.date | None) -> str:
    """``1 Jun 2026 to 30 Nov 2026``; an open end reads "the first" / "today"."""
    start = format_short_day(first) if first is not None else "the first"
    end = format_short_day(last) if last is not None else "today"
    return f"{start} to {end}"
