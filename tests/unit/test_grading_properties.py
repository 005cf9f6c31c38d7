"""Properties grading must keep for any tool a QA lead could write.

Tools are generated as the dicts a YAML file would give (any scale, rules,
points, caps, thresholds, nested show_if on earlier questions), validated
through the real models and checks, then graded on generated answers.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditui.domain.conditions import holds, visible_questions
from auditui.domain.grading import AuditGrading, grade_audit
from auditui.tools.checks import check_tool
from auditui.tools.models import AuditTool, Not
from auditui.tools.scales import SCALES

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

CHOICE_LIKE = ("yes_no", "yes_partly_no", "grade", "choice")
POINTED = ("yes_no", "yes_partly_no", "choice")
OPTIONS = ("early_help", "statutory", "step_down")


def values_of(question: dict[str, Any], scale: str) -> list[str]:
    """The values a generated choice-like question can take, na included."""
    qtype = question["type"]
    if qtype == "yes_no":
        base = ["yes", "no"]
    elif qtype == "yes_partly_no":
        base = ["yes", "partly", "no"]
    elif qtype == "grade":
        base = list(SCALES[scale].grades)
    elif qtype == "choice":
        base = [o["id"] for o in question["options"]]
    else:
        return []
    return base + (["na"] if question.get("allow_na") else [])


@st.composite
def thresholds(draw: st.DrawFn, scale: str) -> dict[str, int]:
    grades = SCALES[scale].grades[:-1]
    values = sorted(draw(st.lists(st.integers(0, 100), min_size=len(grades), max_size=len(grades))))
    return dict(zip(grades, reversed(values), strict=True))


@st.composite
def conditions(draw: st.DrawFn, earlier: list[dict[str, Any]], scale: str, depth: int = 0) -> Any:
    kinds = ["equals", "in", "answered"] + (["not", "all", "any"] if depth < 2 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "not":
        return {"not": draw(conditions(earlier, scale, depth + 1))}
    if kind in ("all", "any"):
        parts = draw(st.lists(conditions(earlier, scale, depth + 1), min_size=1, max_size=3))
        return {kind: parts}
    target = draw(st.sampled_from(earlier))
    if kind == "answered":
        return {"question": target["id"], "answered": draw(st.booleans())}
    values = values_of(target, scale) or ["some words", "other words"]
    if kind == "equals":
        return {"question": target["id"], "equals": draw(st.sampled_from(values))}
    wanted = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
    return {"question": target["id"], "in": wanted}


@st.composite
def question_dicts(
    draw: st.DrawFn, qid: str, scale: str, earlier: list[dict[str, Any]], rule: str
) -> dict[str, Any]:
    qtype = draw(st.sampled_from(("yes_no", "yes_partly_no", "grade", "choice", "text")))
    question: dict[str, Any] = {"id": qid, "text": f"Question {qid}?", "type": qtype}
    if qtype == "choice":
        count = draw(st.integers(2, len(OPTIONS)))
        question["options"] = [{"id": o, "label": o.title()} for o in OPTIONS[:count]]
    if qtype in CHOICE_LIKE and draw(st.booleans()):
        question["allow_na"] = True
    if not draw(st.integers(0, 4)):
        question["required"] = False
    plain = [v for v in values_of(question, scale) if v != "na"]
    if qtype in POINTED and draw(st.integers(0, 3)):
        keys = draw(st.lists(st.sampled_from(plain), min_size=1, unique=True))
        question["points"] = {k: draw(st.integers(0, 5)) for k in keys}
    if qtype in CHOICE_LIKE and not draw(st.integers(0, 2)):
        answers = draw(
            st.lists(st.sampled_from(values_of(question, scale)), min_size=1, unique=True)
        )
        question["limiting"] = {
            "answers": answers,
            "cap": draw(st.sampled_from(SCALES[scale].grades)),
        }
    if earlier and not draw(st.integers(0, 2)):
        question["show_if"] = draw(conditions(earlier, scale))
    if qtype in ("yes_no", "yes_partly_no") and draw(st.booleans()):
        question["evidence"] = "when_not_yes"
    elif draw(st.booleans()):
        question["evidence"] = draw(st.sampled_from(("never", "optional", "always")))
    return question


@st.composite
def tool_dicts(draw: st.DrawFn) -> dict[str, Any]:
    scale = draw(st.sampled_from(("ofsted", "met")))
    earlier: list[dict[str, Any]] = []
    sections = []
    for si in range(draw(st.integers(1, 3))):
        rule = draw(st.sampled_from(("score", "lowest", "judgement")))
        grading: Any = rule
        if rule == "score" and draw(st.booleans()):
            grading = {"rule": "score", "thresholds": draw(thresholds(scale))}
        questions = []
        for _ in range(draw(st.integers(1, 4))):
            question = draw(question_dicts(f"q{len(earlier) + 1}", scale, earlier, rule))
            questions.append(question)
            earlier.append(question)
        sections.append(
            {
                "id": f"s{si + 1}",
                "title": f"Section {si + 1}",
                "grading": grading,
                "weight": draw(st.integers(1, 3)),
                "questions": questions,
            }
        )
    rules = ["judgement", "lowest_section"]
    if all(s["grading"] == "score" or isinstance(s["grading"], dict) for s in sections):
        rules.append("score")
    overall: Any = draw(st.sampled_from(rules))
    if overall == "score" and draw(st.booleans()):
        overall = {"rule": "score", "thresholds": draw(thresholds(scale))}
    return {
        "format": 1,
        "id": "generated",
        "version": 1,
        "title": "Generated tool",
        "scale": scale,
        "grading": {"overall": overall},
        "sections": sections,
    }


def build(data: dict[str, Any]) -> AuditTool:
    tool = AuditTool.model_validate(data)
    assert check_tool(tool) == [], "the generator made an invalid tool"
    return tool


@st.composite
def answer_sets(draw: st.DrawFn, tool: AuditTool) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in tool.questions:
        if not draw(st.integers(0, 3)):
            continue  # left unanswered
        values = question.choice_values(tool.scale_def)
        answers[question.id] = (
            draw(st.sampled_from(values)) if values else draw(st.sampled_from(("no", "yes", "x")))
        )
    return answers


@st.composite
def graded_cases(draw: st.DrawFn) -> tuple[dict[str, Any], AuditTool, dict[str, Any]]:
    data = draw(tool_dicts())
    tool = build(data)
    return data, tool, draw(answer_sets(tool))


def rank(tool: AuditTool, grade: str) -> int:
    return tool.scale_def.rank(grade)


# --- Properties -----------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(graded_cases())
def test_a_cap_never_improves_a_grade(case: tuple[dict, AuditTool, dict]) -> None:
    data, tool, answers = case
    uncapped_data = copy.deepcopy(data)
    for section in uncapped_data["sections"]:
        for question in section["questions"]:
            question.pop("limiting", None)
    capped = grade_audit(tool, answers)
    uncapped = grade_audit(build(uncapped_data), answers)
    for sid, with_caps in capped.sections.items():
        without = uncapped.sections[sid]
        assert with_caps.percent == without.percent
        if without.suggested is None:
            assert with_caps.suggested is None
            continue
        assert with_caps.suggested is not None
        # Exactly the worse of the uncapped suggestion and every cap that fired.
        expected = max(
            [rank(tool, without.suggested)] + [rank(tool, c.cap) for c in with_caps.caps]
        )
        assert rank(tool, with_caps.suggested) == expected
        assert rank(tool, with_caps.suggested) >= rank(tool, without.suggested)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_hiding_a_question_without_points_never_changes_a_score(data: st.DataObject) -> None:
    base = data.draw(tool_dicts())
    scale = base["scale"]
    # The pointless question X, placed anywhere; nothing refers to it.
    extra = {
        "id": "x",
        "text": "A question with no points",
        "type": data.draw(st.sampled_from(("yes_no", "yes_partly_no", "text"))),
    }
    target = data.draw(st.sampled_from(base["sections"]))
    position = data.draw(st.integers(0, len(target["questions"])))
    target["questions"].insert(position, extra)
    # A gate before everything; left unanswered, it hides X in the second tool.
    base["sections"][0]["questions"].insert(
        0, {"id": "gate", "text": "Gate", "type": "text", "required": False}
    )
    hidden_data = copy.deepcopy(base)
    for section in hidden_data["sections"]:
        for question in section["questions"]:
            if question["id"] == "x":
                question["show_if"] = {"question": "gate", "answered": True}
    shown_tool, hidden_tool = build(base), build(hidden_data)
    answers = data.draw(answer_sets(shown_tool))
    answers.pop("gate", None)
    answers["x"] = data.draw(st.sampled_from(values_of(extra, scale) or ["words"]))

    shown = grade_audit(shown_tool, answers)
    hidden = grade_audit(hidden_tool, answers)
    assert "x" in shown.visible and "x" not in hidden.visible
    for sid in shown.sections:
        assert shown.sections[sid].percent == hidden.sections[sid].percent
        assert shown.sections[sid].suggested == hidden.sections[sid].suggested
    assert shown.overall.percent == hidden.overall.percent
    assert shown.overall.suggested == hidden.overall.suggested


@PROPERTY_SETTINGS
@given(
    scale=st.sampled_from(("ofsted", "met")),
    data=st.data(),
    low=st.floats(0, 100, allow_nan=False),
    high=st.floats(0, 100, allow_nan=False),
)
def test_a_higher_percentage_never_gives_a_worse_grade(
    scale: str, data: st.DataObject, low: float, high: float
) -> None:
    low, high = sorted((low, high))
    custom = data.draw(st.none() | thresholds(scale))
    merged = dict(SCALES[scale].default_thresholds) | (custom or {})
    s = SCALES[scale]
    assert s.rank(s.from_percent(high, merged)) <= s.rank(s.from_percent(low, merged))


@PROPERTY_SETTINGS
@given(
    scale=st.sampled_from(("ofsted", "met")),
    data=st.data(),
    count=st.integers(1, 12),
)
def test_one_more_yes_never_gives_a_worse_grade(
    scale: str, data: st.DataObject, count: int
) -> None:
    custom = data.draw(st.none() | thresholds(scale))
    rule: Any = {"rule": "score", "thresholds": custom} if custom else "score"
    questions = [
        {"id": f"q{i}", "text": f"Q{i}", "type": "yes_no", "points": {"yes": 1, "no": 0}}
        for i in range(count)
    ]
    tool = build(
        {
            "format": 1,
            "id": "yeses",
            "version": 1,
            "title": "Yeses",
            "scale": scale,
            "sections": [{"id": "s", "title": "S", "grading": rule, "questions": questions}],
        }
    )
    grades = []
    for yeses in range(count + 1):
        answers = {f"q{i}": "yes" if i < yeses else "no" for i in range(count)}
        result = grade_audit(tool, answers).sections["s"]
        assert result.percent == yeses * 100 / count
        assert result.suggested is not None
        grades.append(rank(tool, result.suggested))
    assert grades == sorted(grades, reverse=True)
    assert grades[-1] == 0  # every threshold is at most 100


@PROPERTY_SETTINGS
@given(graded_cases(), st.data())
def test_every_grade_is_on_the_scale_and_the_result_holds_together(
    case: tuple[dict, AuditTool, dict], data: st.DataObject
) -> None:
    _, tool, answers = case
    grades_on_scale = st.sampled_from(tool.scale_def.grades)
    chosen = {
        sid: data.draw(grades_on_scale)
        for sid in [s.id for s in tool.sections] + ["overall"]
        if data.draw(st.booleans())
    }
    result = grade_audit(tool, answers, grades=chosen)
    on_scale = set(tool.scale_def.grades) | {None}
    for sid, grade in [*result.sections.items(), ("overall", result.overall)]:
        assert grade.suggested in on_scale
        assert grade.final in on_scale
        assert grade.final == (chosen.get(sid) or grade.suggested)
        assert grade.percent is None or 0 <= grade.percent <= 100
    _holds_together(tool, answers, result)


def _holds_together(tool: AuditTool, answers: dict[str, Any], result: AuditGrading) -> None:
    order = [q.id for q in tool.questions]
    visible = list(result.visible)
    assert visible == [q for q in order if q in visible]
    assert set(result.missing) <= set(visible)
    assert set(result.missing_evidence) <= set(visible) & set(answers)
    assert not set(result.missing) & set(answers)
    for listed in (result.missing, result.missing_evidence):
        assert listed == sorted(listed, key=order.index)
    assert result.complete is not (
        result.missing or result.missing_evidence or result.missing_grades
    )
    json.loads(json.dumps(result.to_json()))


@PROPERTY_SETTINGS
@given(graded_cases(), st.randoms(use_true_random=False))
def test_grading_is_deterministic_and_answer_order_does_not_matter(
    case: tuple[dict, AuditTool, dict], rnd: Any
) -> None:
    _, tool, answers = case
    items = list(answers.items())
    rnd.shuffle(items)
    first = grade_audit(tool, answers)
    again = grade_audit(tool, answers)
    shuffled = grade_audit(tool, dict(items))
    assert first == again
    assert first.to_json() == shuffled.to_json()
    assert first.visible == shuffled.visible
    assert first.missing_grades == shuffled.missing_grades


@PROPERTY_SETTINGS
@given(graded_cases(), st.data())
def test_answers_kept_on_hidden_questions_are_ignored(
    case: tuple[dict, AuditTool, dict], data: st.DataObject
) -> None:
    _, tool, answers = case
    before = grade_audit(tool, answers)
    hidden = [q for q in tool.questions if q.id not in before.visible]
    more = dict(answers)
    for question in hidden:
        values = question.choice_values(tool.scale_def) or ("kept words",)
        more[question.id] = data.draw(st.sampled_from(values))
    after = grade_audit(tool, more)
    assert after.visible == before.visible
    assert after.to_json() == before.to_json()


@PROPERTY_SETTINGS
@given(graded_cases(), st.data())
def test_not_is_the_complement_and_visibility_follows_the_rule(
    case: tuple[dict, AuditTool, dict], data: st.DataObject
) -> None:
    _, tool, answers = case
    visible = visible_questions(tool, answers)
    shown_so_far: dict[str, Any] = {}
    for question in tool.questions:
        if question.show_if is not None:
            condition = question.show_if
            assert holds(Not.model_validate({"not": condition}), shown_so_far) is not holds(
                condition, shown_so_far
            )
            expected = holds(condition, shown_so_far)
        else:
            expected = True
        assert (question.id in visible) is expected
        if expected and question.id in answers:
            shown_so_far[question.id] = answers[question.id]
