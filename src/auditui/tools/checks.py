"""Checks that need the whole tool: ids, references and the scale.

Each problem comes back with the location (the same path pydantic uses) of
the part it is about, so the loader can give the line a QA lead has to fix.
What format 2 adds (and what a format 1 file may not use) is checked in
``format2_checks.py`` from the same views, so a refused file still gets
every problem at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from auditui.tools import format2_checks as f2
from auditui.tools.format2_models import QuestionRef, ScaleDef
from auditui.tools.models import (
    All,
    Answered,
    AnyOf,
    AuditTool,
    Condition,
    Detail,
    Equals,
    Not,
    Question,
    Rule,
)
from auditui.tools.scales import Scale
from auditui.tools.views import Loc, Problem, SectionView, ToolView, condition_of

__all__ = ["Loc", "Problem", "check_partial", "check_tool"]


def check_tool(tool: AuditTool) -> list[Problem]:
    """Every cross-field problem in a structurally valid tool, in file order."""
    views = [
        SectionView(
            si,
            s.id,
            s.grading,
            list(enumerate(s.questions)),
            show_if=s.show_if,
            allow_na=s.allow_na,
            number=s.number,
            given=frozenset(s.model_fields_set),
        )
        for si, s in enumerate(tool.sections)
    ]
    view = ToolView(
        format=tool.format,
        subject=tool.subject,
        applies_to=tuple(tool.applies_to) if tool.applies_to is not None else None,
        scale_name=tool.scale,
        scales=list(tool.scales or ()),
        scale=tool.scale_def,
        overall=tool.grading.overall,
        given=frozenset(tool.model_fields_set),
    )
    return check_sections(views, view)


def check_partial(data: dict[str, Any]) -> list[Problem]:
    """The same checks over whatever parts of a refused file are valid on their own.

    So a file with an unknown key and a bad ``show_if`` reports both at once.
    """
    views = []
    sections = data.get("sections")
    for si, raw in enumerate(sections if isinstance(sections, list) else []):
        if not isinstance(raw, dict):
            continue
        rule = _valid(Rule, raw.get("grading", "judgement"))
        questions = raw.get("questions")
        valid = []
        stand_ins = set()
        for qi, rq in enumerate(questions if isinstance(questions, list) else []):
            q = _valid(Question, rq)
            if q is None:
                # Keep a refused question's id, so a duplicate of it is still found
                # and a later show_if naming it is not wrongly reported.
                q = _stand_in(rq)
                stand_ins.add(qi)
            if q is not None:
                valid.append((qi, q))
        sid = raw.get("id") if isinstance(raw.get("id"), str) else None
        views.append(
            SectionView(
                si,
                sid,
                rule,
                valid,
                frozenset(stand_ins),
                show_if=condition_of(raw.get("show_if")),
                allow_na=raw.get("allow_na") is True,
                number=raw.get("number"),
                given=frozenset(k for k in raw if isinstance(k, str)),
            )
        )
    grading = data.get("grading")
    overall = _valid(Rule, grading.get("overall")) if isinstance(grading, dict) else None
    scales = data.get("scales")
    own = [_valid(ScaleDef, s) for s in scales] if isinstance(scales, list) else []
    view = ToolView.partial(data, [s for s in own if s is not None], overall)
    return check_sections(views, view)


def _stand_in(raw: Any) -> Question | None:
    """A refused question reduced to what later questions may refer to."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None
    kept = {k: raw[k] for k in ("type", "allow_na", "options", "compute") if k in raw}
    for attempt in ({**kept}, {k: v for k, v in kept.items() if k != "compute"}, {"type": "text"}):
        q = _valid(Question, {"id": raw["id"], "text": "-", **attempt})
        if q is not None and (q.type not in ("choice", "multi") or q.options):
            return q
    return None


def _valid(model: Any, raw: Any) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None


def check_sections(views: list[SectionView], tool: ToolView) -> list[Problem]:
    scale = tool.scale
    overall = tool.overall
    problems: list[Problem] = list(f2.tool_problems(tool, views))
    if overall is not None:
        problems += _check_rule(overall, scale, ("grading", "overall"))
        problems += f2.overall_problems(overall, views)
    section_ids: set[str] = set()
    earlier: dict[str, Question] = {}
    all_ids = {q.id for v in views for _, q in v.questions}
    for view in views:
        sloc: Loc = ("sections", view.index)
        if view.id is not None:
            if view.id in section_ids:
                problems.append(((*sloc, "id"), f"section id '{view.id}' is used twice"))
            section_ids.add(view.id)
        if view.rule is not None:
            problems += _check_rule(view.rule, scale, (*sloc, "grading"))
        if view.show_if is not None:
            for message in _condition_problems(view.show_if, None, tool, earlier, all_ids):
                problems.append(((*sloc, "show_if"), message))
        for qi, question in view.questions:
            qloc: Loc = (*sloc, "questions", qi)
            if question.id in earlier:
                problems.append(((*qloc, "id"), f"question id '{question.id}' is used twice"))
            if qi not in view.stand_ins:
                problems += _type_problems(question, qloc)
                problems += _check_question(question, tool, earlier, all_ids, qloc)
                problems += f2.question_problems(question, tool, earlier, all_ids, qloc)
            earlier.setdefault(question.id, question)
    problems += f2.numbering_problems(views)
    return problems


_TYPE_ONLY = {
    "options": ("choice", "multi"),
    "max_length": ("text",),
    "min": ("number", "date"),
    "max": ("number", "date"),
    "integer": ("number",),
    "points": ("yes_no", "yes_partly_no", "choice"),
}


def _type_problems(q: Question, loc: Loc) -> list[Problem]:
    """Checks local to one question: what its type allows."""
    problems: list[Problem] = []
    for key, types in _TYPE_ONLY.items():
        if getattr(q, key) is not None and q.type not in types:
            problems.append(
                (
                    (*loc, key),
                    f"{key} is not allowed on a {q.type} question ({', '.join(types)} only)",
                )
            )
    if q.evidence == "when_not_yes" and q.type not in ("yes_no", "yes_partly_no"):
        problems.append(
            (
                (*loc, "evidence"),
                f"evidence: when_not_yes is allowed only on yes_no and yes_partly_no, not {q.type}",
            )
        )
    if q.type in ("choice", "multi"):
        if not q.options:
            problems.append(((*loc, "type"), f"a {q.type} question needs options"))
        seen: set[str] = set()
        for oi, option in enumerate(q.options or []):
            if option.id in seen:
                problems.append(
                    ((*loc, "options", oi, "id"), f"option id '{option.id}' is used twice")
                )
            seen.add(option.id)
    for bound in ("min", "max"):
        value = getattr(q, bound)
        if value is None or isinstance(value, QuestionRef):
            continue
        if q.type == "number" and not isinstance(value, int | float):
            problems.append(((*loc, bound), f"{bound} must be a number on a number question"))
        if q.type == "date" and not isinstance(value, dt.date | str):
            problems.append(
                ((*loc, bound), f"{bound} must be an ISO date or 'today' on a date question")
            )
    if _comparable(q.min, q.max) and q.min > q.max:  # type: ignore[operator]
        problems.append(((*loc, "min"), f"min ({q.min}) is greater than max ({q.max})"))
    if q.points and any(v < 0 for v in q.points.values()):
        problems.append(((*loc, "points"), "points must not be negative"))
    return problems


def _comparable(a: object, b: object) -> bool:
    both_numbers = isinstance(a, int | float) and isinstance(b, int | float)
    both_dates = isinstance(a, dt.date) and isinstance(b, dt.date)
    return both_numbers or both_dates


def _check_rule(rule: Rule, scale: Scale, loc: Loc) -> list[Problem]:
    if rule.thresholds is None:
        return []
    allowed = scale.grades[:-1]
    problems: list[Problem] = []
    for grade, value in rule.thresholds.items():
        if grade not in allowed:
            problems.append(
                (
                    (*loc, "thresholds", grade),
                    f"threshold '{grade}' is not one of {', '.join(allowed)} "
                    f"(the {scale.id} scale)",
                )
            )
        elif not 0 <= value <= 100:
            problems.append(((*loc, "thresholds", grade), "a threshold is a percentage, 0 to 100"))
    merged = dict(scale.default_thresholds)
    merged.update({k: v for k, v in rule.thresholds.items() if k in allowed})
    values = [merged.get(g, 0) for g in allowed]
    if any(a < b for a, b in zip(values, values[1:], strict=False)):
        problems.append(
            ((*loc, "thresholds"), "thresholds must not rise from a better grade to a worse one")
        )
    return problems


def _check_question(
    q: Question, tool: ToolView, earlier: dict[str, Question], all_ids: set[str], loc: Loc
) -> list[Problem]:
    scale = tool.scale
    problems: list[Problem] = []
    values = q.choice_values(scale)
    if q.points:
        for key in q.points:
            if values is not None and key not in values:
                problems.append(
                    (
                        (*loc, "points", key),
                        f"points names '{key}', which a {q.type} question cannot take "
                        f"(answers: {', '.join(values)})",
                    )
                )
    if q.limiting is not None:
        if values is None:
            problems.append(((*loc, "limiting"), f"limiting is not allowed on a {q.type} question"))
        else:
            for answer in q.limiting.answers:
                if answer not in values:
                    problems.append(
                        (
                            (*loc, "limiting", "answers"),
                            f"limiting names '{answer}', which this question cannot take "
                            f"(answers: {', '.join(values)})",
                        )
                    )
        if q.limiting.cap not in scale.grades:
            problems.append(
                (
                    (*loc, "limiting", "cap"),
                    f"cap '{q.limiting.cap}' is not on the {scale.id} scale "
                    f"({', '.join(scale.grades)})",
                )
            )
    if q.show_if is not None:
        for message in _condition_problems(q.show_if, q, tool, earlier, all_ids):
            problems.append(((*loc, "show_if"), message))
    return problems


def _condition_problems(
    cond: Condition,
    q: Question | None,
    tool: ToolView,
    earlier: dict[str, Question],
    all_ids: set[str],
) -> Iterator[str]:
    """Problems of a question's condition (``q``) or of a section's (``q`` None)."""
    if isinstance(cond, All):
        for c in cond.all_:
            yield from _condition_problems(c, q, tool, earlier, all_ids)
        return
    if isinstance(cond, AnyOf):
        for c in cond.any_:
            yield from _condition_problems(c, q, tool, earlier, all_ids)
        return
    if isinstance(cond, Not):
        yield from _condition_problems(cond.not_, q, tool, earlier, all_ids)
        return
    if isinstance(cond, Detail):
        yield from f2.detail_problems(cond, tool)
        return
    target = earlier.get(cond.question)
    if target is None:
        if q is None:
            where = (
                "a question of the same or a later section"
                if cond.question in all_ids
                else "not a question of this tool"
            )
            yield (
                f"show_if names '{cond.question}', {where} (a section's condition refers "
                "only to questions in earlier sections)"
            )
        elif cond.question == q.id:
            yield f"show_if names the question itself ('{q.id}'); conditions refer only to earlier questions"
        else:
            yield (
                f"show_if names '{cond.question}', which is not an earlier question "
                "(conditions refer only to earlier questions)"
            )
        return
    if isinstance(cond, Answered):
        return
    wanted = [cond.equals] if isinstance(cond, Equals) else list(cond.in_)
    values = target.choice_values(tool.scale)
    for value in wanted:
        if values is not None and value not in values:
            yield (
                f"show_if compares '{cond.question}' with '{value}', which it cannot take "
                f"(answers: {', '.join(values)})"
            )
        elif target.type == "number" and (
            isinstance(value, bool) or not isinstance(value, int | float)
        ):
            yield f"show_if compares number question '{cond.question}' with '{value}', not a number"
