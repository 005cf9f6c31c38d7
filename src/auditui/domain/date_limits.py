"""Date limits between two answers (format 2): ``min: {question: A}`` and `compute`'s dates.

A limit that names another question binds two answers only while both
questions are shown and answered; a `compute` binds its dates as
``min: {question: from}`` on its ``to`` date would, so a count is never
negative. Any change (an answer, an audit detail, a section's N/A mark)
that would leave two shown answers breaking such a limit is refused with a
message naming both questions: the caller applies the change to a copy,
asks ``linked_date_problem``, and stores nothing when it answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from auditui.domain.conditions import Details, resolve
from auditui.domain.names import question_name
from auditui.domain.working_days import format_day
from auditui.errors import InvalidAnswerError
from auditui.tools.format2_models import QuestionRef
from auditui.tools.models import AuditTool


def _links(tool: AuditTool) -> Iterator[tuple[str, str, str]]:
    """(earlier, later, why) for every pair of dates that must not be out of order."""
    for q in tool.questions:
        if q.type == "date":
            if isinstance(q.min, QuestionRef):
                yield q.min.question, q.id, "its min"
            if isinstance(q.max, QuestionRef):
                yield q.id, q.max.question, "its max"
        span = q.compute.span if q.compute is not None else None
        if span is not None:
            counts = f"{question_name(tool, q.id)} counts the days between them"
            yield span.from_, span.to, counts


def linked_date_problem(
    tool: AuditTool,
    answers: Mapping[str, Any],
    details: Details | None = None,
    sections_na: Mapping[str, str] | None = None,
) -> str | None:
    """A sentence naming both questions of the first linked limit broken, else None."""
    if tool.format < 2:
        return None
    shown = resolve(tool, answers, details, sections_na).answers
    for earlier, later, why in _links(tool):
        first, second = _day(shown.get(earlier)), _day(shown.get(later))
        if first is None or second is None or first <= second:
            continue
        if why.startswith("its max"):
            subject, other, relation = earlier, later, "on or before"
            mine, theirs = first, second
        else:
            subject, other, relation = later, earlier, "on or after"
            mine, theirs = second, first
        because = f" ({why})" if not why.startswith("its") else ""
        return (
            f"{question_name(tool, subject)} takes a date {relation} the answer to "
            f"{question_name(tool, other)} ({format_day(theirs)}), "
            f"not {format_day(mine)}{because}."
        )
    return None


def check_linked_dates(
    tool: AuditTool,
    answers: Mapping[str, Any],
    details: Details | None = None,
    sections_na: Mapping[str, str] | None = None,
) -> None:
    """``InvalidAnswerError`` naming both questions when shown answers break a linked limit."""
    problem = linked_date_problem(tool, answers, details, sections_na)
    if problem is not None:
        raise InvalidAnswerError(problem)


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
