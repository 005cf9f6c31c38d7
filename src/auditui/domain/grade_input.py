"""What `auditui tools grade` reads from ANSWERS.json, checked against the tool (spec: Trying a tool).

One JSON object: ``answers`` (required, may be ``{}``), and optionally
``evidence``, ``grades``, ``rationales``, ``sections_na`` and ``details``.
Anything a tool author could get wrong is refused with one sentence naming
it (an ``InvalidAnswerError``); no entry is an error for being about a
hidden section. The same checks serve any face that takes a whole audit at
once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from auditui.domain.date_limits import check_linked_dates
from auditui.domain.values import check_value
from auditui.domain.working_days import CALENDARS, DEFAULT_CALENDAR
from auditui.errors import InvalidAnswerError
from auditui.tools.condition_models import KINDS
from auditui.tools.models import CASE_TYPES, AuditTool

KEYS = ("answers", "evidence", "grades", "rationales", "sections_na", "details")
DETAIL_KEYS = ("case_type", "kind", "practitioner_present", "calendar")


@dataclass
class GradeInput:
    answers: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    grades: dict[str, str] = field(default_factory=dict)
    rationales: dict[str, str] = field(default_factory=dict)
    sections_na: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    calendar: str = DEFAULT_CALENDAR


def read_grade_input(
    tool: AuditTool, data: Any, where: str, today: dt.date | None = None
) -> GradeInput:
    """The checked input, or ``InvalidAnswerError`` starting with ``where`` (the file)."""
    if not isinstance(data, dict):
        raise InvalidAnswerError(f'{where}: must hold a JSON object with "answers".')
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise InvalidAnswerError(f"{where}: unknown key '{unknown[0]}' ({', '.join(KEYS)}).")
    if "answers" not in data:
        raise InvalidAnswerError(f'{where}: "answers" is required (it may be {{}}).')
    got = GradeInput()
    got.details, got.calendar = _details(tool, _mapping(data, "details", where), where)
    for qid, value in _mapping(data, "answers", where).items():
        question = tool.question(qid)
        if question is None:
            raise InvalidAnswerError(f"{where}: answers: '{qid}' is not a question of {tool.id}.")
        if value is None:
            continue  # null is no answer (spec: Types), for a computed question too
        try:
            got.answers[qid] = check_value(tool, question, value, today)
        except InvalidAnswerError as exc:  # a tool author writes ids: name the id too
            raise InvalidAnswerError(f"{where}: answers: '{qid}': {exc.message}") from None
    for qid, note in _mapping(data, "evidence", where).items():
        question = tool.question(qid)
        if question is None or not isinstance(note, str):
            raise InvalidAnswerError(f"{where}: evidence: '{qid}' must be a question id with text.")
        if question.evidence == "never" and note.strip():
            raise InvalidAnswerError(f"{where}: evidence: question '{qid}' takes no evidence.")
        got.evidence[qid] = note
    sections = {s.id: s for s in tool.sections}
    for key in ("grades", "rationales"):
        for scope, value in _mapping(data, key, where).items():
            section = sections.get(scope)
            if scope != "overall" and section is None:
                raise InvalidAnswerError(
                    f"{where}: {key}: '{scope}' is not a section of {tool.id} or 'overall'."
                )
            if section is not None and not section.graded_by_rule:
                raise InvalidAnswerError(
                    f"{where}: {key}: section '{scope}' is not graded (grading: none)."
                )
            if key == "grades" and value not in tool.scale_def.grades:
                raise InvalidAnswerError(
                    f"{where}: grades: '{scope}' is '{value}', not one of "
                    f"{', '.join(tool.scale_def.grades)}."
                )
            if key == "rationales" and not isinstance(value, str):
                raise InvalidAnswerError(f"{where}: rationales: '{scope}' must be text.")
            getattr(got, key)[scope] = value
    for sid, reason in _mapping(data, "sections_na", where).items():
        section = sections.get(sid)
        if section is None or not section.allow_na:
            raise InvalidAnswerError(
                f"{where}: sections_na: '{sid}' is not a section of {tool.id} that may be "
                "marked not applicable (allow_na: true)."
            )
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidAnswerError(
                f"{where}: sections_na: section '{sid}' needs a reason, not a blank."
            )
        got.sections_na[sid] = reason
    try:
        check_linked_dates(tool, got.answers, got.details, got.sections_na)
    except InvalidAnswerError as exc:
        raise InvalidAnswerError(f"{where}: answers: {exc.message}") from None
    return got


def _details(tool: AuditTool, raw: Mapping[str, Any], where: str) -> tuple[dict[str, Any], str]:
    details: dict[str, Any] = {}
    calendar = DEFAULT_CALENDAR
    for key, value in raw.items():
        if key not in DETAIL_KEYS:
            raise InvalidAnswerError(
                f"{where}: details: unknown detail '{key}' ({', '.join(DETAIL_KEYS)})."
            )
        if value is None:
            continue  # undetermined
        if key == "calendar":
            if value not in CALENDARS:
                raise InvalidAnswerError(
                    f"{where}: details: calendar '{value}' is not one of {', '.join(CALENDARS)}."
                )
            calendar = value
            continue
        allowed = _detail_values(tool, key)
        if not any(value is v if isinstance(v, bool) else value == v for v in allowed) or (
            isinstance(value, bool) != (key == "practitioner_present")
        ):
            shown = ", ".join(str(v).lower() if isinstance(v, bool) else v for v in allowed)
            raise InvalidAnswerError(
                f"{where}: details: {key} cannot be {value!r}"
                + (f" (one of {shown})." if allowed else " in a subject: worker tool.")
            )
        details[key] = value
    return details, calendar


def _detail_values(tool: AuditTool, key: str) -> tuple[Any, ...]:
    if key == "case_type":
        if tool.is_worker_audit:
            return ()
        return tuple(tool.applies_to) if tool.applies_to else CASE_TYPES
    if key == "kind":
        return KINDS
    return (True, False)


def _mapping(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidAnswerError(f'{where}: "{key}" must be a JSON object.')
    return value
