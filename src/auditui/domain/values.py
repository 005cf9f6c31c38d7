"""What an answer may be, for each question type.

Every face (TUI keys, CLI arguments, `tools grade` JSON, demo data) goes
through ``check_value`` before anything is stored, so a value off its
question's type is refused with a sentence naming the question.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from auditui.domain.names import question_name
from auditui.domain.records import parse_date
from auditui.domain.working_days import format_day
from auditui.errors import InvalidAnswerError
from auditui.tools.models import AuditTool, Question

AnswerValue = str | int | float | list[str]


def check_value(
    tool: AuditTool, question: Question, value: Any, today: dt.date | None = None
) -> AnswerValue:
    """The value in its stored form, or ``InvalidAnswerError`` naming the question."""
    where = question_name(tool, question.id)
    if question.compute is not None:
        raise InvalidAnswerError(
            f"{where} is computed from the dates it names, so it takes no answer."
        )
    if question.allow_na and value == "na":
        return "na"
    choices = question.choice_values(tool.scale_def)
    if question.type == "multi":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidAnswerError(
                f"{where} takes a list of options ({', '.join(choices or ())})."
            )
        unknown = [v for v in value if v not in (choices or ())]
        if unknown:
            raise InvalidAnswerError(
                f"{where} has no option '{unknown[0]}'; options: {', '.join(choices or ())}."
            )
        return [c for c in question.option_ids if c in value]
    if choices is not None:
        if not isinstance(value, str) or value not in choices:
            raise InvalidAnswerError(
                f"{where} takes one of {', '.join(choices)}, not {_show(value)}."
            )
        return value
    if question.type == "text":
        if not isinstance(value, str):
            raise InvalidAnswerError(f"{where} takes text, not {_show(value)}.")
        if len(value) > question.text_limit:
            raise InvalidAnswerError(
                f"{where} takes at most {question.text_limit} characters; this has {len(value)}."
            )
        return value
    if question.type == "number":
        return _check_number(question, value, where)
    if question.type == "date":
        return _check_date(question, value, where, today or dt.date.today())
    raise InvalidAnswerError(f"{where} has an unknown type {question.type}.")


def _check_number(question: Question, value: Any, where: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidAnswerError(f"{where} takes a number, not {_show(value)}.")
    if question.integer and value != int(value):
        raise InvalidAnswerError(f"{where} takes a whole number, not {value}.")
    if isinstance(question.min, int | float) and value < question.min:
        raise InvalidAnswerError(f"{where} takes a number of at least {question.min}, not {value}.")
    if isinstance(question.max, int | float) and value > question.max:
        raise InvalidAnswerError(f"{where} takes a number of at most {question.max}, not {value}.")
    return int(value) if question.integer or float(value).is_integer() else float(value)


def _check_date(question: Question, value: Any, where: str, today: dt.date) -> str:
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None or len(value) != 10:
        raise InvalidAnswerError(
            f"{where} takes a date as DD/MM/YYYY or YYYY-MM-DD, not {_show(value)}."
        )
    low = _bound(question.min, today)
    high = _bound(question.max, today)
    if low is not None and day < low:
        raise InvalidAnswerError(
            f"{where} takes a date on or after {format_day(low)}, not {format_day(day)}."
        )
    if high is not None and day > high:
        raise InvalidAnswerError(
            f"{where} takes a date on or before {format_day(high)}, not {format_day(day)}."
        )
    return day.isoformat()


def _bound(bound: Any, today: dt.date) -> dt.date | None:
    if bound == "today":
        return today
    return bound if isinstance(bound, dt.date) else None


def parse_typed(question: Question, text: str, tool: AuditTool | None = None) -> Any:
    """Turn what a person typed (CLI argument, TUI field) into a value to check.

    A date may be typed the UK way (``31/10/2026``, ``1/2/2027``) or as ISO; it
    goes on as ISO, the form files and JSON carry. Anything that is not a date
    goes on as typed, for ``check_value`` to refuse in its own words.
    """
    text = text.strip() if question.type != "text" else text
    name = question_name(tool, question.id) if tool is not None else "This question"
    if question.type == "date" and text != "na":
        try:
            return parse_date(text, name).isoformat()
        except InvalidAnswerError:
            return text
    if question.type == "multi":
        if text.startswith("["):
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                raise InvalidAnswerError(
                    f'{name} takes a JSON list of options, like ["a", "b"].'
                ) from None
        return [part.strip() for part in text.split(",") if part.strip()]
    if question.type == "number" and text != "na":
        try:
            number = float(text)
        except ValueError:
            raise InvalidAnswerError(f"{name} takes a number, not {_show(text)}.") from None
        return int(number) if number.is_integer() else number
    return text


def _day_words(value: str) -> str:
    """An ISO date answer as a UK reader expects it ("Sat 31 Oct 2026"); as stored if odd."""
    try:
        return format_day(dt.date.fromisoformat(value)) if len(value) == 10 else value
    except ValueError:
        return value


def typed_text(tool: AuditTool, question: Question, value: Any) -> str:
    """An answer as it goes back into a box to be edited: dates as DD/MM/YYYY, the rest as shown."""
    if value is None:
        return ""
    if value == "na":
        return "na"
    if question.type == "date" and isinstance(value, str) and len(value) == 10:
        try:
            return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return display_value(tool, question, value)


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else json.dumps(value, default=str)


def display_value(tool: AuditTool, question: Question, value: Any) -> str:
    """An answer as a person reads it: labels, not ids."""
    from auditui.tools.scales import ANSWER_LABELS

    if value is None:
        return ""
    if value == "na" and question.allow_na:
        return "N/A"
    if question.type in ("yes_no", "yes_partly_no"):
        return ANSWER_LABELS.get(value, str(value))
    if question.type == "grade":
        return tool.scale_def.label(value)
    if question.type == "date" and isinstance(value, str):
        return _day_words(value)
    if question.type in ("choice", "multi"):
        labels = {o.id: o.label for o in question.options or ()}
        items = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(str(v), str(v)) for v in items)
    return str(value)
