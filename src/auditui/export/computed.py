"""How a computed answer (format 2 `compute`) reads to a person: its figure, not a bare number.

The walker, `audit show`, the audit report and the CSV export all show a
computed answer the same way: ``5 working days``, ``9 days``, or for a
yes/no within N, ``Yes (5 working days, at most 10)``; while either date is
unanswered, what it waits for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from auditui.domain.compute import count_between
from auditui.domain.working_days import DEFAULT_CALENDAR
from auditui.tools.models import Question
from auditui.tools.scales import ANSWER_LABELS


def unit(count: int, working: bool) -> str:
    """``5 working days``, ``1 working day``, ``9 days``."""
    noun = "working day" if working else "day"
    return f"{count} {noun}{'' if abs(count) == 1 else 's'}"


def computed_figure(
    question: Question,
    value: Any,
    answers: Mapping[str, Any] | None = None,
    calendar: str = DEFAULT_CALENDAR,
) -> str:
    """The computed answer in words; ``answers`` (shown ones) let a yes/no show its count."""
    compute = question.compute
    span = compute.span if compute is not None else None
    if compute is None or span is None:
        return "" if value is None else str(value)
    working = compute.counts_working_days
    if value is None:
        return f"computed when '{span.from_}' and '{span.to}' are answered"
    if question.type == "number":
        return unit(int(value), working)
    label = ANSWER_LABELS.get(str(value), str(value))
    count = _count(answers, span.from_, span.to, working, calendar) if answers else None
    limit = f"at most {unit(compute.at_most, working)}" if compute.at_most is not None else ""
    if count is None:
        return f"{label} ({limit})" if limit else label
    return (
        f"{label} ({unit(count, working)}; {limit})"
        if limit
        else f"{label} ({unit(count, working)})"
    )


def _count(
    answers: Mapping[str, Any], start: str, end: str, working: bool, calendar: str
) -> int | None:
    try:
        a = dt.date.fromisoformat(str(answers.get(start)))
        b = dt.date.fromisoformat(str(answers.get(end)))
    except ValueError:
        return None
    return count_between(a, b, working, calendar)
