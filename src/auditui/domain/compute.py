"""Computed answers (format 2 `compute`): a count between two earlier dates.

A computed question cannot contradict the dates beside it, because nobody
types it: its value is worked out here, from the two shown, answered `date`
questions it names, in the audit's working-day calendar, and then takes part
in every rule (conditions, evidence, points, limiting, measures) exactly as
an auditor's answer would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from auditui.domain.working_days import DEFAULT_CALENDAR, working_days_between
from auditui.tools.models import Question


def count_between(start: dt.date, end: dt.date, working: bool, calendar: str) -> int:
    """Calendar days ``end - start``, or the working days d with start < d <= end."""
    if working:
        return working_days_between(start, end, calendar)
    return (end - start).days


def computed_value(
    question: Question, shown: Mapping[str, Any], calendar: str = DEFAULT_CALENDAR
) -> int | str | None:
    """The question's value from the shown answers so far, or None while an input is unanswered.

    ``shown`` holds only the answers of shown questions (a hidden input counts
    as unanswered). On a `number` question the value is the count; on a
    `yes_no` one, ``yes`` when the count is at most ``at_most``, else ``no``.
    """
    compute = question.compute
    span = compute.span if compute is not None else None
    if compute is None or span is None:
        return None
    start = _day(shown.get(span.from_))
    end = _day(shown.get(span.to))
    if start is None or end is None:
        return None
    count = count_between(start, end, compute.counts_working_days, calendar)
    if question.type == "yes_no":
        return "yes" if compute.at_most is not None and count <= compute.at_most else "no"
    return count


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
