"""Which questions are shown, given the answers so far.

Conditions are data, never evaluated code. A question's condition can only
look at earlier questions, so one pass in tool order decides everything: a
hidden question counts as unanswered for the questions after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditui.tools.models import All, Answered, AnyOf, AuditTool, Condition, Equals, In, Not


def holds(cond: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether ``cond`` holds over ``answers`` (of shown questions only)."""
    if isinstance(cond, All):
        return all(holds(c, answers) for c in cond.all_)
    if isinstance(cond, AnyOf):
        return any(holds(c, answers) for c in cond.any_)
    if isinstance(cond, Not):
        return not holds(cond.not_, answers)
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


def shown_answers(tool: AuditTool, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers of the questions that are shown; hidden ones are kept but ignored."""
    shown: dict[str, Any] = {}
    for q in tool.questions:
        if q.show_if is None or holds(q.show_if, shown):
            if q.id in answers:
                shown[q.id] = answers[q.id]
    return shown


def visible_questions(tool: AuditTool, answers: Mapping[str, Any]) -> list[str]:
    """Ids of the shown questions, in tool order."""
    shown: dict[str, Any] = {}
    visible = []
    for q in tool.questions:
        if q.show_if is None or holds(q.show_if, shown):
            visible.append(q.id)
            if q.id in answers:
                shown[q.id] = answers[q.id]
    return visible
