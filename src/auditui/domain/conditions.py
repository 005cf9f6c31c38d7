"""Which sections and questions are shown, given the answers so far and the audit's details.

Conditions are data, never evaluated code. A question's condition can only
look at earlier questions, and a section's only at questions in earlier
sections, so one pass in tool order decides everything: a hidden question
counts as unanswered for the questions after it, and a computed question
(format 2) gets its value in the same pass, from the shown answers before it.

A section is shown while its ``show_if`` holds (always without one) and it
is not marked not applicable; a hidden section hides all its questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from auditui.domain.compute import computed_value
from auditui.domain.working_days import DEFAULT_CALENDAR
from auditui.tools.models import (
    All,
    Answered,
    AnyOf,
    AuditTool,
    Condition,
    Detail,
    Equals,
    In,
    Not,
    Section,
)

Details = Mapping[str, Any]


def holds(cond: Condition, answers: Mapping[str, Any], details: Details | None = None) -> bool:
    """Whether ``cond`` holds over ``answers`` (of shown questions only) and the audit's details.

    An undetermined detail (absent or None) equals nothing and is in no list.
    """
    if isinstance(cond, All):
        return all(holds(c, answers, details) for c in cond.all_)
    if isinstance(cond, AnyOf):
        return any(holds(c, answers, details) for c in cond.any_)
    if isinstance(cond, Not):
        return not holds(cond.not_, answers, details)
    if isinstance(cond, Detail):
        value = (details or {}).get(cond.detail)
        return value is not None and _matches(value, cond.values)
    answered = cond.question in answers
    if isinstance(cond, Answered):
        return answered == cond.answered
    if not answered:
        return False
    value = answers[cond.question]
    if isinstance(cond, Equals):
        return _matches(value, [cond.equals])
    if isinstance(cond, In):
        return _matches(value, list(cond.in_))
    raise TypeError(f"unknown condition {cond!r}")


def _matches(value: Any, wanted: list[Any]) -> bool:
    if isinstance(value, list):  # multi: holds when any choice is wanted
        return any(_same(v, w) for v in value for w in wanted)
    return any(_same(value, w) for w in wanted)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def unanswered(value: Any) -> bool:
    """Null, blank text and an empty `multi` list are no answer (spec: Types)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list) and not value


def is_marked_na(section: Section, sections_na: Mapping[str, str] | None) -> bool:
    """Marked not applicable: only where the section allows it, and with a reason."""
    if not sections_na or not section.allow_na:
        return False
    reason = sections_na.get(section.id)
    return isinstance(reason, str) and bool(reason.strip())


@dataclass(frozen=True)
class Shown:
    """One pass over a tool: what is shown and the answers that count."""

    visible: tuple[str, ...]
    """Shown questions, in tool order."""
    sections: tuple[str, ...]
    """Shown sections, in tool order."""
    answers: dict[str, Any]
    """Answers of shown questions, computed ones included; hidden ones are left out."""
    computed: dict[str, Any] = field(default_factory=dict)
    """Every computed question, in tool order: its value, or None while unanswered."""


def resolve(
    tool: AuditTool,
    answers: Mapping[str, Any],
    details: Details | None = None,
    sections_na: Mapping[str, str] | None = None,
    calendar: str = DEFAULT_CALENDAR,
) -> Shown:
    """What is shown, in one pass in tool order (format 1 tools: exactly as before)."""
    format2 = tool.format >= 2
    shown: dict[str, Any] = {}
    visible: list[str] = []
    sections: list[str] = []
    computed: dict[str, Any] = {}
    for section in tool.sections:
        section_shown = not is_marked_na(section, sections_na) and (
            section.show_if is None or holds(section.show_if, shown, details)
        )
        if section_shown:
            sections.append(section.id)
        for q in section.questions:
            if q.compute is not None:
                value = None
                if section_shown and (q.show_if is None or holds(q.show_if, shown, details)):
                    visible.append(q.id)
                    value = computed_value(q, shown, calendar)
                    if value is not None:
                        shown[q.id] = value
                computed[q.id] = value
                continue
            if not section_shown:
                continue
            if q.show_if is None or holds(q.show_if, shown, details):
                visible.append(q.id)
                if q.id in answers and not (format2 and unanswered(answers[q.id])):
                    shown[q.id] = answers[q.id]
    return Shown(tuple(visible), tuple(sections), shown, computed)


def shown_answers(
    tool: AuditTool,
    answers: Mapping[str, Any],
    details: Details | None = None,
    sections_na: Mapping[str, str] | None = None,
    calendar: str = DEFAULT_CALENDAR,
) -> dict[str, Any]:
    """The answers of the questions that are shown; hidden ones are kept but ignored."""
    return resolve(tool, answers, details, sections_na, calendar).answers


def visible_questions(
    tool: AuditTool,
    answers: Mapping[str, Any],
    details: Details | None = None,
    sections_na: Mapping[str, str] | None = None,
    calendar: str = DEFAULT_CALENDAR,
) -> list[str]:
    """Ids of the shown questions, in tool order."""
    return list(resolve(tool, answers, details, sections_na, calendar).visible)
