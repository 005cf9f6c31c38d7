"""The rules format 2 adds (spec/audit-tool-format.md), and what a format 1 file may not use.

Every function returns ``(location, message)`` problems, as ``checks.py``
does, so each refusal points at the line to fix. A format 1 file that uses
anything marked (2) is told it needs ``format: 2``; the rules marked
"(2 only)" are checked only in format 2 files, so every format 1 file
keeps its meaning.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from auditui.tools.condition_models import DETAILS, KINDS, Detail, condition_details
from auditui.tools.format2_models import SCALE_ID, QuestionRef, ScaleDef
from auditui.tools.models import CASE_TYPES, Question, Rule
from auditui.tools.scales import SCALES
from auditui.tools.views import Loc, Problem, SectionView, ToolView

NUMBER_MAX = 20
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_NA_REFUSED = ("text", "number", "date", "multi")
_FIXED_GRADES = frozenset(g for scale in SCALES.values() for g in scale.grades)


def _needs_2(what: str) -> str:
    return f"{what} needs format: 2 (this file says format: 1)"


# --- The tool's top level --------------------------------------------------------------


def tool_problems(tool: ToolView, views: list[SectionView]) -> Iterator[Problem]:
    if tool.format == 1:
        for key in ("subject", "scales"):
            if key in tool.given:
                yield (key,), _needs_2(key)
        if tool.overall is not None and tool.overall.rationale is not None:
            yield ("grading", "overall"), _needs_2("rationale")
        for view in views:
            yield from _section_gate(view)
    if tool.subject == "worker" and "applies_to" in tool.given:
        yield (
            ("applies_to",),
            "applies_to is not allowed with subject: worker (no case type is asked)",
        )
    yield from scale_problems(tool)


def _section_gate(view: SectionView) -> Iterator[Problem]:
    loc: Loc = ("sections", view.index)
    for key in ("show_if", "allow_na", "number"):
        if key in view.given and (key != "allow_na" or view.allow_na):
            yield (*loc, key), _needs_2(f"a section's {key}")
    if view.rule is not None and view.rule.rule == "none":
        yield (*loc, "grading"), _needs_2("grading: none")
    if view.rule is not None and view.rule.rationale is not None:
        yield (*loc, "grading"), _needs_2("rationale")
    if view.show_if is not None and condition_details(view.show_if):
        yield (*loc, "show_if"), _needs_2("a detail condition")


def overall_problems(overall: Rule, views: list[SectionView]) -> Iterator[Problem]:
    loc: Loc = ("grading", "overall")
    rules = [(v.id or f"sections[{v.index}]", v.rule.rule) for v in views if v.rule is not None]
    if overall.rule == "score":
        others = [sid for sid, rule in rules if rule not in ("score", "none")]
        if others:
            yield (
                loc,
                (
                    "overall: score needs every section graded by score (or none); not: "
                    + ", ".join(others)
                ),
            )
        elif rules and not any(rule == "score" for _, rule in rules):
            yield loc, "overall: score needs at least one section graded by score"
    if overall.rule == "lowest_section" and rules and all(r == "none" for _, r in rules):
        yield loc, "overall: lowest_section needs at least one section that is graded (not none)"


# --- Scales -------------------------------------------------------------------------------


def scale_problems(tool: ToolView) -> Iterator[Problem]:
    own_ids: set[str] = set()
    grade_owner: dict[str, str] = {}
    for si, scale in enumerate(tool.scales):
        loc: Loc = ("scales", si)
        if scale.id in SCALES:
            yield (*loc, "id"), f"scale id '{scale.id}' is a fixed scale's; choose another id"
        elif not SCALE_ID.fullmatch(scale.id):
            yield (
                (*loc, "id"),
                (
                    f"scale id '{scale.id}' must be lower case letters, digits and underscores, "
                    "starting with a letter"
                ),
            )
        elif scale.id in own_ids:
            yield (*loc, "id"), f"scale id '{scale.id}' is used twice"
        own_ids.add(scale.id)
        yield from _grades_problems(scale, loc, grade_owner)
    names = set(SCALES) | (own_ids if tool.format2 else set())
    if tool.scale_name not in names:
        yield (
            ("scale",),
            (
                f"scale '{tool.scale_name}' names no scale (ofsted, met"
                + "".join(f", {s}" for s in sorted(own_ids) if tool.format2)
                + ")"
            ),
        )


def _grades_problems(scale: ScaleDef, loc: Loc, owner: dict[str, str]) -> Iterator[Problem]:
    ids = [g.id for g in scale.grades]
    if len(ids) < 2:
        yield (*loc, "grades"), "a scale needs at least two grades"
    for gi, grade in enumerate(scale.grades):
        gloc: Loc = (*loc, "grades", gi, "id")
        if grade.id == "na":
            yield gloc, "grade id 'na' is not allowed (it means not applicable)"
        elif not SCALE_ID.fullmatch(grade.id):
            yield (
                gloc,
                (
                    f"grade id '{grade.id}' must be lower case letters, digits and underscores, "
                    "starting with a letter"
                ),
            )
        elif grade.id in _FIXED_GRADES:
            yield gloc, f"grade id '{grade.id}' belongs to a fixed scale; choose another id"
        elif grade.id in owner:
            yield gloc, f"grade id '{grade.id}' is already a grade of scale '{owner[grade.id]}'"
        owner.setdefault(grade.id, scale.id)
    if not 1 <= scale.good_or_better <= max(len(ids) - 1, 1) or len(ids) < 2:
        yield (
            (*loc, "good_or_better"),
            (
                f"good_or_better must be a whole number from 1 to {max(len(ids) - 1, 1)} "
                f"(one less than the number of grades), not {scale.good_or_better}"
            ),
        )
    wanted = ids[:-1]
    for name, value in scale.thresholds.items():
        tloc: Loc = (*loc, "thresholds", name)
        if ids and name == ids[-1]:
            yield tloc, f"thresholds names '{name}', the last grade (it has no threshold)"
        elif name not in wanted:
            yield tloc, f"thresholds names '{name}', which is not a grade of this scale"
        elif not 0 <= value <= 100:
            yield tloc, "a threshold is a percentage, 0 to 100"
    absent = [g for g in wanted if g not in scale.thresholds]
    if absent:
        yield (
            (*loc, "thresholds"),
            f"thresholds misses {', '.join(absent)} (every grade but the last)",
        )
    values = [scale.thresholds[g] for g in wanted if g in scale.thresholds]
    if any(a < b for a, b in zip(values, values[1:], strict=False)):
        yield (*loc, "thresholds"), "thresholds must not rise from a better grade to a worse one"


# --- Questions ------------------------------------------------------------------------


def question_problems(
    q: Question, tool: ToolView, earlier: dict[str, Question], all_ids: set[str], loc: Loc
) -> Iterator[Problem]:
    given = q.model_fields_set
    if tool.format == 1:
        for key in ("number", "compute", "measure"):
            if key in given:
                yield (*loc, key), _needs_2(f"a question's {key}")
        if q.show_if is not None and condition_details(q.show_if):
            yield (*loc, "show_if"), _needs_2("a detail condition")
        for bound in ("min", "max"):
            if isinstance(getattr(q, bound), QuestionRef):
                yield (*loc, bound), _needs_2("a {question: QID} limit")
    if tool.format2:
        yield from _format2_only(q, loc)
    yield from _compute_problems(q, earlier, all_ids, loc)
    for bound in ("min", "max"):
        ref = getattr(q, bound)
        if isinstance(ref, QuestionRef):
            if q.type != "date":
                yield (
                    (*loc, bound),
                    f"{bound}: {{question: ...}} is allowed only on a date question",
                )
            else:
                for message in _date_input(ref.question, earlier, all_ids, q.id):
                    yield (*loc, bound), f"{bound} {message}"
    if q.measure is not None:
        if q.type not in ("yes_no", "yes_partly_no"):
            yield (
                (*loc, "measure"),
                (f"measure is allowed only on yes_no and yes_partly_no questions, not {q.type}"),
            )
        target = q.measure.target
        if target is not None and not (math.isfinite(target) and 0 <= target <= 100):
            yield (*loc, "measure", "target"), f"measure target must be from 0 to 100, not {target}"


def _format2_only(q: Question, loc: Loc) -> Iterator[Problem]:
    if q.allow_na and q.type in _NA_REFUSED:
        yield (*loc, "allow_na"), f"allow_na is not allowed on a {q.type} question"
    for oi, option in enumerate(q.options or ()):
        if option.id == "na":
            yield (
                (*loc, "options", oi, "id"),
                "option id 'na' is not allowed (it means not applicable)",
            )
    if q.points and "na" in q.points:
        yield (*loc, "points", "na"), "points may not name 'na' (N/A takes no part in a score)"
    if q.limiting is not None and "na" in q.limiting.answers:
        yield (
            (*loc, "limiting", "answers"),
            "limiting may not name 'na' (N/A takes no part in a cap)",
        )


def _compute_problems(
    q: Question, earlier: dict[str, Question], all_ids: set[str], loc: Loc
) -> Iterator[Problem]:
    compute = q.compute
    if compute is None:
        return
    cloc: Loc = (*loc, "compute")
    if q.type not in ("number", "yes_no"):
        yield cloc, f"compute is allowed only on number and yes_no questions, not {q.type}"
    counts = [k for k in ("days", "working_days") if getattr(compute, k) is not None]
    if len(counts) != 1:
        yield cloc, "compute holds exactly one of days or working_days"
    for key in counts:
        span = getattr(compute, key)
        for end, name in (("from", span.from_), ("to", span.to)):
            for message in _date_input(name, earlier, all_ids, q.id):
                yield (*cloc, key, end), f"compute {end} {message}"
    if q.type == "yes_no" and compute.at_most is None:
        yield cloc, "compute on a yes_no question needs at_most (a whole number, 0 or more)"
    if q.type == "number" and compute.at_most is not None:
        yield (*cloc, "at_most"), "at_most is allowed only with compute on a yes_no question"
    if compute.at_most is not None and compute.at_most < 0:
        yield (
            (*cloc, "at_most"),
            f"at_most must be a whole number, 0 or more, not {compute.at_most}",
        )
    for key in ("min", "max", "integer", "required", "allow_na"):
        if key in q.model_fields_set:
            yield (*loc, key), f"{key} is not allowed on a computed question"


def _date_input(name: str, earlier: dict[str, Question], all_ids: set[str], own: str) -> list[str]:
    target = earlier.get(name)
    if target is None:
        if name == own:
            return [f"names the question itself ('{name}'); it must name an earlier date question"]
        if name in all_ids:
            return [f"names '{name}', a later question; it must name an earlier date question"]
        return [f"names '{name}', which is not a question of this tool"]
    if target.type != "date":
        return [f"names '{name}', a {target.type} question, not a date question"]
    return []


# --- Conditions on audit details ---------------------------------------------------------


def detail_problems(cond: Detail, tool: ToolView) -> Iterator[str]:
    if cond.detail not in DETAILS:
        yield f"show_if: detail '{cond.detail}' is not one of {', '.join(DETAILS)}"
        return
    if cond.detail == "case_type":
        if tool.subject == "worker":
            yield "show_if: case_type is not a detail of a subject: worker tool"
            return
        allowed = tool.applies_to if tool.applies_to is not None else CASE_TYPES
        for value in cond.values:
            if not isinstance(value, str) or value not in allowed:
                yield f"show_if: case type '{value}' is not one of {', '.join(allowed)}"
    elif cond.detail == "kind":
        for value in cond.values:
            if not isinstance(value, str) or value not in KINDS:
                yield f"show_if: kind '{value}' is not one of {', '.join(KINDS)}"
    else:
        for value in cond.values:
            if not isinstance(value, bool):
                yield (
                    f"show_if: practitioner_present is compared with true or false, not '{value}'"
                )


# --- Numbering ----------------------------------------------------------------------------


def numbering_problems(views: list[SectionView]) -> Iterator[Problem]:
    given: dict[str, str] = {}
    automatic: dict[str, str] = {}
    located: list[tuple[Loc, str, str]] = []
    for view in views:
        position = view.index + 1
        sloc: Loc = ("sections", view.index)
        own = view.number if isinstance(view.number, str) else None
        name = f"section '{view.id or view.index}'"
        if own is None:
            automatic.setdefault(str(position), name)
        else:
            located.append(((*sloc, "number"), own, name))
        prefix = own if own is not None else str(position)
        for qi, q in view.questions:
            qposition = qi + 1
            qname = f"question '{q.id}'"
            if q.number is None:
                automatic.setdefault(f"{prefix}.{qposition}", qname)
            else:
                located.append(((*sloc, "questions", qi, "number"), q.number, qname))
    for loc, number, name in located:
        if not 1 <= len(number) <= NUMBER_MAX or _LINE_BREAKS.intersection(number):
            yield (
                loc,
                (
                    f"number must be a quoted string of 1 to {NUMBER_MAX} characters "
                    'on one line, such as "1.5"'
                ),
            )
        elif number in given:
            yield loc, f"number '{number}' is used twice (also {given[number]})"
        elif number in automatic:
            yield loc, f"number '{number}' is also the automatic number of {automatic[number]}"
        given.setdefault(number, name)
