"""Grading exactly as spec/audit-tool-format.md says, detail by detail.

The worked example must give the spec's JSON to the letter; then each rule in
"Details that every implementation must share" gets a table of cases, so a
change in any one rule fails a named case.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from format2_support import SPEC_EXAMPLE2_ANSWERS, SPEC_EXAMPLE2_RESULT, SPEC_EXAMPLE2_YAML

from auditui.domain.conditions import holds, shown_answers, visible_questions
from auditui.domain.grade_input import read_grade_input
from auditui.domain.grading import AuditGrading, grade_audit, needs_evidence
from auditui.tools.checks import check_tool
from auditui.tools.loader import load_tool_file
from auditui.tools.models import AuditTool

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "audit-tool-format.md"


# --- Building tools in code ---------------------------------------------------------------


def q(qid: str, qtype: str = "yes_no", **kw: Any) -> dict[str, Any]:
    return {"id": qid, "text": f"Question {qid}?", "type": qtype, **kw}


def section(sid: str, *questions: dict[str, Any], grading: Any = "judgement", **kw: Any) -> dict:
    return {
        "id": sid,
        "title": f"Section {sid}",
        "grading": grading,
        "questions": list(questions),
        **kw,
    }


def make_tool(
    *sections: dict[str, Any], scale: str = "ofsted", overall: Any = "judgement"
) -> AuditTool:
    tool = AuditTool.model_validate(
        {
            "format": 1,
            "id": "test-tool",
            "version": 1,
            "title": "Test tool",
            "scale": scale,
            "grading": {"overall": overall},
            "sections": list(sections),
        }
    )
    assert check_tool(tool) == [], "the test's own tool must be valid"
    return tool


def scored(
    earned: float, possible: float, *, thresholds: dict | None = None, scale: str = "ofsted"
) -> AuditTool:
    """A score section whose one answer ``got`` earns ``earned`` of ``possible``."""
    rule: Any = {"rule": "score", "thresholds": thresholds} if thresholds else "score"
    options = [{"id": "got", "label": "Got"}, {"id": "full", "label": "Full"}]
    return make_tool(
        section(
            "s",
            q("c", "choice", options=options, points={"got": earned, "full": possible}),
            grading=rule,
        ),
        scale=scale,
    )


# --- The spec's worked example ------------------------------------------------------------


def test_the_spec_example_gives_exactly_the_spec_json(
    spec_example_tool: Path, spec_example_answers: dict, spec_example_result: dict
) -> None:
    """Format 1's example (the spec's before format 2) still grades as it did.

    The spec now prints two more keys for every tool: ``missing_rationale``
    (always ``[]`` for a format 1 tool) and ``computed`` (``{}`` without one).
    """
    tool = load_tool_file(spec_example_tool)
    result = grade_audit(tool, spec_example_answers["answers"]).to_json()
    assert result == {**spec_example_result, "missing_rationale": [], "computed": {}}
    assert list(result) == [
        "sections",
        "overall",
        "complete",
        "missing",
        "missing_evidence",
        "missing_rationale",
        "computed",
    ]
    assert list(result["sections"]) == ["seen", "voice"]


def test_the_example_tool_here_is_the_one_in_the_spec(tmp_path: Path) -> None:
    """The spec's example is now format 2: ours is its text, to the character."""
    if not SPEC.exists():
        pytest.skip(f"the spec is not beside the project ({SPEC})")
    text = SPEC.read_text(encoding="utf-8")
    example = text.split("## A complete small example", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", example, re.S)
    assert block is not None
    assert block.group(1) == SPEC_EXAMPLE2_YAML


def test_the_format2_spec_example_gives_exactly_the_spec_json(tmp_path: Path) -> None:
    path = tmp_path / "childs-voice-visits.yaml"
    path.write_text(SPEC_EXAMPLE2_YAML, encoding="utf-8")
    tool = load_tool_file(path)
    given = read_grade_input(tool, SPEC_EXAMPLE2_ANSWERS, "answers.json", dt.date(2026, 5, 1))
    result = grade_audit(
        tool,
        given.answers,
        given.evidence,
        given.grades,
        rationales=given.rationales,
        sections_na=given.sections_na,
        details=given.details,
        calendar=given.calendar,
    ).to_json()
    assert result == SPEC_EXAMPLE2_RESULT
    assert list(result) == list(SPEC_EXAMPLE2_RESULT)
    assert list(result["sections"]) == ["profile", "seen", "voice", "cla_review"]


def test_the_spec_example_completes_once_everything_is_done(spec_example_tool: Path) -> None:
    tool = load_tool_file(spec_example_tool)
    answers = {
        "seen_in_timescale": "yes",
        "seen_alone": "na",
        "views_recorded": "partly",
        "direct_work_tools": ["momo"],
        "voice_quality": "good",
    }
    evidence = {"seen_alone": "Baby, 4 months", "views_recorded": "Quotes on file"}
    result = grade_audit(tool, answers, evidence)
    assert result.missing == []
    assert result.missing_evidence == []
    # seen: 1 of 1 (na does not count) -> outstanding; voice: good; overall the lowest.
    assert result.sections["seen"].percent == 100.0
    assert result.overall.suggested == "good"
    assert result.complete is True
    assert result.missing_grades == []


# --- Score: percentage and thresholds -----------------------------------------------------

OFSTED_DEFAULT = [
    (100, 100, "outstanding"),
    (85, 100, "outstanding"),
    (8499, 10000, "good"),
    (65, 100, "good"),
    (13, 20, "good"),  # 65.0 exactly, from a fraction
    (6499, 10000, "requires_improvement"),
    (45, 100, "requires_improvement"),
    (9, 20, "requires_improvement"),
    (4499, 10000, "inadequate"),
    (0, 100, "inadequate"),
]


@pytest.mark.parametrize(("earned", "possible", "grade"), OFSTED_DEFAULT)
def test_score_uses_the_default_ofsted_thresholds(earned: int, possible: int, grade: str) -> None:
    result = grade_audit(scored(earned, possible), {"c": "got"})
    assert result.sections["s"].percent == pytest.approx(earned * 100 / possible, abs=1e-9)
    assert result.sections["s"].suggested == grade


CUSTOM = {"outstanding": 90, "good": 70, "requires_improvement": 50}


@pytest.mark.parametrize(
    ("earned", "possible", "thresholds", "grade"),
    [
        (90, 100, CUSTOM, "outstanding"),
        (8999, 10000, CUSTOM, "good"),
        (70, 100, CUSTOM, "good"),
        (6999, 10000, CUSTOM, "requires_improvement"),
        (65, 100, CUSTOM, "requires_improvement"),
        (50, 100, CUSTOM, "requires_improvement"),
        (4999, 10000, CUSTOM, "inadequate"),
        # Only some thresholds given: the rest keep their defaults.
        (85, 100, {"good": 70}, "outstanding"),
        (69, 100, {"good": 70}, "requires_improvement"),
        (45, 100, {"good": 70}, "requires_improvement"),
        # The exact percentage: 29 of 50 is 58, not 57.999...
        (29, 50, {"good": 58}, "good"),
        (57, 100, {"requires_improvement": 57}, "requires_improvement"),
    ],
)
def test_score_uses_custom_thresholds(
    earned: int, possible: int, thresholds: dict, grade: str
) -> None:
    result = grade_audit(scored(earned, possible, thresholds=thresholds), {"c": "got"})
    assert result.sections["s"].suggested == grade


@pytest.mark.parametrize(
    ("earned", "possible", "thresholds", "grade"),
    [
        (100, 100, None, "met"),
        (80, 100, None, "met"),
        (7999, 10000, None, "partly_met"),
        (50, 100, None, "partly_met"),
        (4999, 10000, None, "not_met"),
        (0, 100, None, "not_met"),
        (89, 100, {"met": 90}, "partly_met"),
        (90, 100, {"met": 90}, "met"),
    ],
)
def test_score_on_the_met_scale(
    earned: int, possible: int, thresholds: dict | None, grade: str
) -> None:
    result = grade_audit(scored(earned, possible, thresholds=thresholds, scale="met"), {"c": "got"})
    assert result.sections["s"].suggested == grade


def test_the_percentage_is_exact_not_rounded() -> None:
    result = grade_audit(scored(29, 50), {"c": "got"})
    assert result.sections["s"].percent == 58.0
    result = grade_audit(scored(1, 3), {"c": "got"})
    assert result.sections["s"].percent == pytest.approx(100 / 3)
    assert result.sections["s"].percent != 33.3


@pytest.mark.parametrize(
    ("scale", "answer", "percent", "grade"),
    [
        ("ofsted", "outstanding", 100.0, "outstanding"),
        ("ofsted", "good", 200 / 3, "good"),
        ("ofsted", "requires_improvement", 100 / 3, "inadequate"),
        ("ofsted", "inadequate", 0.0, "inadequate"),
        ("met", "met", 100.0, "met"),
        ("met", "partly_met", 50.0, "partly_met"),
        ("met", "not_met", 0.0, "not_met"),
    ],
)
def test_grade_questions_score_by_position(
    scale: str, answer: str, percent: float, grade: str
) -> None:
    tool = make_tool(section("s", q("g", "grade"), grading="score"), scale=scale)
    result = grade_audit(tool, {"g": answer})
    assert result.sections["s"].percent == pytest.approx(percent)
    assert result.sections["s"].suggested == grade


def test_grade_and_points_questions_add_up_in_one_section() -> None:
    # good = 2 of 3, yes = 2 of 2, no = 0 of 1: 4 of 6.
    tool = make_tool(
        section(
            "s",
            q("g", "grade"),
            q("a", points={"yes": 2, "no": 0}),
            q("b", points={"yes": 1, "no": 0}),
            grading="score",
        )
    )
    result = grade_audit(tool, {"g": "good", "a": "yes", "b": "no"})
    assert result.sections["s"].percent == pytest.approx(400 / 6)


@pytest.mark.parametrize(
    ("points", "answer", "percent"),
    [
        ({"yes": 2, "partly": 1, "no": 0}, "yes", 100.0),
        ({"yes": 2, "partly": 1, "no": 0}, "partly", 50.0),
        ({"yes": 1, "partly": 4, "no": 0}, "yes", 25.0),  # possible is the largest, not `yes`
        ({"yes": 1, "partly": 4, "no": 0}, "partly", 100.0),
        ({"yes": 3}, "no", 0.0),  # an answer with no points earns none of the possible
        ({"yes": 3}, "yes", 100.0),
    ],
)
def test_points_possible_is_the_largest_value(points: dict, answer: str, percent: float) -> None:
    tool = make_tool(section("s", q("a", "yes_partly_no", points=points), grading="score"))
    assert grade_audit(tool, {"a": answer}).sections["s"].percent == pytest.approx(percent)


def test_questions_without_points_take_no_part_in_a_score() -> None:
    tool = make_tool(
        section(
            "s",
            q("a", points={"yes": 1, "no": 0}),
            q("b"),
            q("t", "text"),
            q("n", "number"),
            grading="score",
        )
    )
    result = grade_audit(tool, {"a": "yes", "b": "no", "t": "x", "n": 3})
    assert result.sections["s"].percent == 100.0


EXCLUDED_TOOL = make_tool(
    section(
        "s",
        q("a", points={"yes": 1, "no": 0}, allow_na=True),
        q("b", points={"yes": 1, "no": 0}, show_if={"question": "a", "equals": "yes"}),
        q("g", "grade", allow_na=True),
        grading="score",
    )
)


@pytest.mark.parametrize(
    ("answers", "percent"),
    [
        ({"a": "yes", "b": "no"}, 50.0),
        ({"a": "yes"}, 100.0),  # b unanswered
        ({"a": "no", "b": "yes"}, 0.0),  # b hidden: its kept answer is ignored
        ({"a": "na", "b": "yes"}, None),  # a is na, b hidden: nothing to count
        ({"a": "na", "g": "na"}, None),
        ({"a": "na", "g": "outstanding"}, 100.0),
        ({"a": "no", "g": "na"}, 0.0),
        ({}, None),
    ],
)
def test_hidden_unanswered_and_na_take_no_part_in_a_score(
    answers: dict, percent: float | None
) -> None:
    result = grade_audit(EXCLUDED_TOOL, answers)
    assert result.sections["s"].percent == percent
    if percent is None:
        assert result.sections["s"].suggested is None


# --- Lowest and limiting -----------------------------------------------------------------

LOWEST_TOOL = make_tool(
    section(
        "s",
        q("g1", "grade"),
        q("g2", "grade", allow_na=True),
        q("gate"),
        q("g3", "grade", show_if={"question": "gate", "equals": "yes"}),
        q("lim", limiting={"answers": ["no"], "cap": "requires_improvement"}, allow_na=True),
        q("other", "yes_partly_no"),
        grading="lowest",
    )
)


@pytest.mark.parametrize(
    ("answers", "grade"),
    [
        ({"g1": "outstanding", "g2": "good"}, "good"),
        ({"g1": "good", "g2": "inadequate"}, "inadequate"),
        ({"g1": "outstanding", "g2": "na"}, "outstanding"),
        ({"g2": "requires_improvement"}, "requires_improvement"),
        ({"g1": "outstanding", "gate": "yes", "g3": "inadequate"}, "inadequate"),
        ({"g1": "outstanding", "gate": "no", "g3": "inadequate"}, "outstanding"),  # g3 hidden
        ({"g1": "outstanding", "other": "no"}, "outstanding"),  # not a grade question
        ({"g1": "outstanding", "lim": "no"}, "requires_improvement"),  # capped
        ({"g1": "good", "lim": "no"}, "requires_improvement"),
        ({"g1": "inadequate", "lim": "no"}, "inadequate"),  # a cap never improves
        ({"g1": "outstanding", "lim": "yes"}, "outstanding"),
        ({"g1": "outstanding", "lim": "na"}, "outstanding"),  # na takes no part in limiting
        ({"lim": "no"}, None),  # nothing to count: no suggestion, nothing to cap
        ({"g2": "na", "other": "yes"}, None),
        ({}, None),
    ],
)
def test_lowest_and_its_limiting(answers: dict, grade: str | None) -> None:
    result = grade_audit(LOWEST_TOOL, answers)
    assert result.sections["s"].suggested == grade
    assert result.sections["s"].percent is None
    assert result.sections["s"].final == grade


def limited_score_tool(cap: str, **limiting_kw: Any) -> AuditTool:
    return make_tool(
        section(
            "s",
            q("a", points={"yes": 1, "no": 0}),
            q(
                "b",
                points={"yes": 1, "no": 0},
                limiting={"answers": ["no"], "cap": cap},
                **limiting_kw,
            ),
            q(
                "c",
                "multi",
                options=[{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}],
                limiting={"answers": ["y"], "cap": "good"},
            ),
            grading="score",
        )
    )


@pytest.mark.parametrize(
    ("cap", "answers", "percent", "grade"),
    [
        ("inadequate", {"a": "yes", "b": "no"}, 50.0, "inadequate"),  # capped: worse
        ("requires_improvement", {"a": "yes", "b": "no"}, 50.0, "requires_improvement"),
        ("good", {"a": "yes", "b": "no"}, 50.0, "requires_improvement"),  # never better
        ("outstanding", {"a": "no", "b": "no"}, 0.0, "inadequate"),
        ("inadequate", {"a": "yes", "b": "yes"}, 100.0, "outstanding"),  # not hit
        ("requires_improvement", {"a": "yes", "b": "yes", "c": ["x", "y"]}, 100.0, "good"),
        ("requires_improvement", {"a": "yes", "b": "yes", "c": ["x"]}, 100.0, "outstanding"),
    ],
)
def test_limiting_caps_a_score_only_downwards(
    cap: str, answers: dict, percent: float, grade: str
) -> None:
    section_grade = grade_audit(limited_score_tool(cap), answers).sections["s"]
    assert section_grade.percent == percent  # the cap changes the grade, not the score
    assert section_grade.suggested == grade


def test_a_hidden_limiting_answer_does_not_cap() -> None:
    tool = make_tool(
        section(
            "s",
            q("a", points={"yes": 1, "no": 0}),
            q(
                "b",
                limiting={"answers": ["no"], "cap": "inadequate"},
                show_if={"question": "a", "equals": "no"},
            ),
            grading="score",
        )
    )
    assert grade_audit(tool, {"a": "yes", "b": "no"}).sections["s"].suggested == "outstanding"
    capped = grade_audit(tool, {"a": "no", "b": "no"}).sections["s"]
    assert capped.suggested == "inadequate"
    assert [c.question_id for c in capped.caps] == ["b"]


def test_limiting_on_a_judgement_section_has_no_effect() -> None:
    tool = make_tool(
        section(
            "s",
            q("g", "grade"),
            q("lim", limiting={"answers": ["no"], "cap": "inadequate"}, points={"yes": 1, "no": 0}),
        )
    )
    result = grade_audit(tool, {"g": "outstanding", "lim": "no"})
    assert result.sections["s"].suggested is None
    assert result.sections["s"].final is None
    chosen = grade_audit(tool, {"g": "outstanding", "lim": "no"}, grades={"s": "outstanding"})
    assert chosen.sections["s"].final == "outstanding"
    assert chosen.sections["s"].percent is None


# --- Final grades and the overall rules ---------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "answers", "chosen", "suggested", "final"),
    [
        ("score", {"a": "no"}, None, "inadequate", "inadequate"),
        ("score", {"a": "no"}, "good", "inadequate", "good"),
        ("score", {}, None, None, None),
        ("score", {}, "outstanding", None, "outstanding"),
        ("judgement", {"a": "yes"}, None, None, None),
        ("judgement", {"a": "yes"}, "requires_improvement", None, "requires_improvement"),
    ],
)
def test_final_is_the_auditors_choice_else_the_suggestion(
    rule: str, answers: dict, chosen: str | None, suggested: str | None, final: str | None
) -> None:
    tool = make_tool(section("s", q("a", points={"yes": 1, "no": 0}), grading=rule))
    grades = {"s": chosen} if chosen else {}
    result = grade_audit(tool, answers, grades=grades)
    assert result.sections["s"].suggested == suggested
    assert result.sections["s"].final == final
    assert result.sections["s"].chosen == chosen


LOWEST_SECTION_TOOL = make_tool(
    section("a", q("a1", points={"yes": 1, "no": 0}), grading="score"),
    section("b", q("b1", "grade"), grading="lowest"),
    section("c", q("c1")),
    overall="lowest_section",
)


@pytest.mark.parametrize(
    ("answers", "grades", "suggested", "final"),
    [
        ({"a1": "yes", "b1": "good"}, {}, None, None),  # c has no final grade yet
        ({"a1": "yes", "b1": "good"}, {"c": "outstanding"}, "good", "good"),
        ({"a1": "no", "b1": "good"}, {"c": "outstanding"}, "inadequate", "inadequate"),
        # Final section grades count, not suggestions.
        ({"a1": "no", "b1": "good"}, {"a": "outstanding", "c": "outstanding"}, "good", "good"),
        ({"a1": "yes"}, {"c": "good"}, None, None),  # b has nothing to count
        (
            {"a1": "yes"},
            {"b": "requires_improvement", "c": "good"},
            "requires_improvement",
            "requires_improvement",
        ),
        ({"a1": "yes", "b1": "good"}, {"overall": "outstanding"}, None, "outstanding"),
        ({"a1": "yes", "b1": "good"}, {"c": "good", "overall": "inadequate"}, "good", "inadequate"),
    ],
)
def test_lowest_section_waits_for_every_final_grade(
    answers: dict, grades: dict, suggested: str | None, final: str | None
) -> None:
    result = grade_audit(LOWEST_SECTION_TOOL, answers, grades=grades)
    assert result.overall.percent is None
    assert result.overall.suggested == suggested
    assert result.overall.final == final


def weighted_tool(thresholds: dict | None = None) -> AuditTool:
    overall: Any = {"rule": "score", "thresholds": thresholds} if thresholds else "score"
    return make_tool(
        section(
            "a",
            q("a1", points={"yes": 1, "no": 0}),
            q("a2", points={"yes": 1, "no": 0}),
            grading="score",
            weight=2,
        ),
        section(
            "b",
            q(
                "b1",
                "choice",
                options=[{"id": "lo", "label": "Lo"}, {"id": "hi", "label": "Hi"}],
                points={"lo": 40, "hi": 100},
            ),
            grading="score",
        ),
        overall=overall,
    )


@pytest.mark.parametrize(
    ("answers", "thresholds", "percent", "grade"),
    [
        ({"a1": "yes", "a2": "yes", "b1": "lo"}, None, 80.0, "good"),  # (100*2 + 40) / 3
        ({"a1": "yes", "a2": "no", "b1": "hi"}, None, 200 / 3, "good"),  # (50*2 + 100) / 3
        ({"a1": "yes", "a2": "yes"}, None, 100.0, "outstanding"),  # b has no percent
        ({"b1": "lo"}, None, 40.0, "inadequate"),  # a has no percent
        ({}, None, None, None),
        ({"a1": "yes", "a2": "yes", "b1": "lo"}, {"outstanding": 80}, 80.0, "outstanding"),
    ],
)
def test_overall_score_is_the_weighted_mean_of_existing_percentages(
    answers: dict, thresholds: dict | None, percent: float | None, grade: str | None
) -> None:
    result = grade_audit(weighted_tool(thresholds), answers)
    if percent is None:
        assert result.overall.percent is None
    else:
        assert result.overall.percent == pytest.approx(percent)
    assert result.overall.suggested == grade


def test_overall_score_uses_percentages_not_chosen_grades() -> None:
    result = grade_audit(
        weighted_tool(), {"a1": "no", "a2": "no", "b1": "lo"}, grades={"a": "outstanding"}
    )
    assert result.sections["a"].final == "outstanding"
    assert result.overall.percent == pytest.approx(40 / 3)
    assert result.overall.suggested == "inadequate"


def test_overall_score_of_sixty_and_seventy_is_good() -> None:
    options = [{"id": "lo", "label": "Lo"}, {"id": "hi", "label": "Hi"}]
    tool = make_tool(
        section(
            "a", q("a1", "choice", options=options, points={"lo": 60, "hi": 100}), grading="score"
        ),
        section(
            "b", q("b1", "choice", options=options, points={"lo": 70, "hi": 100}), grading="score"
        ),
        overall="score",
    )
    result = grade_audit(tool, {"a1": "lo", "b1": "lo"})
    assert result.overall.percent == 65.0
    assert result.overall.suggested == "good"


def test_overall_score_compares_the_exact_weighted_mean() -> None:
    # (1/3 * 100 * 1 + 8/9 * 100 * 3) / 4 is 75 exactly; in floats it comes out 74.999...
    options = [{"id": "got", "label": "Got"}, {"id": "full", "label": "Full"}]
    tool = make_tool(
        section(
            "a",
            q("a1", "choice", options=options, points={"got": 1, "full": 3}),
            grading="score",
        ),
        section(
            "b",
            q("b1", "choice", options=options, points={"got": 8, "full": 9}),
            grading="score",
            weight=3,
        ),
        overall={"rule": "score", "thresholds": {"good": 75}},
    )
    result = grade_audit(tool, {"a1": "got", "b1": "got"})
    assert result.overall.percent == 75.0
    assert result.overall.suggested == "good"


# --- Evidence -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "qtype", "answer", "note", "missing"),
    [
        ("always", "yes_no", "yes", None, True),
        ("always", "yes_no", "yes", "   ", True),
        ("always", "yes_no", "yes", "Seen on file", False),
        ("always", "grade", "good", None, True),
        ("always", "text", "words", None, True),
        ("always", "yes_no", None, None, False),  # unanswered: not yet required
        ("when_not_yes", "yes_no", "yes", None, False),
        ("when_not_yes", "yes_no", "no", None, True),
        ("when_not_yes", "yes_no", "no", "Parent present", False),
        ("when_not_yes", "yes_no", "na", None, True),
        ("when_not_yes", "yes_partly_no", "partly", None, True),
        ("when_not_yes", "yes_partly_no", "yes", None, False),
        ("when_not_yes", "yes_partly_no", None, None, False),
        ("optional", "yes_no", "no", None, False),
        ("never", "yes_no", "no", None, False),
    ],
)
def test_evidence_rules(
    rule: str, qtype: str, answer: Any, note: str | None, missing: bool
) -> None:
    tool = make_tool(section("s", q("e", qtype, evidence=rule, allow_na=qtype != "text")))
    answers = {} if answer is None else {"e": answer}
    evidence = {} if note is None else {"e": note}
    result = grade_audit(tool, answers, evidence)
    assert result.missing_evidence == (["e"] if missing else [])


@pytest.mark.parametrize(
    ("value", "needed"), [("yes", False), ("no", True), ("partly", True), ("na", True)]
)
def test_needs_evidence_when_not_yes(value: str, needed: bool) -> None:
    tool = make_tool(section("s", q("e", "yes_partly_no", evidence="when_not_yes", allow_na=True)))
    assert needs_evidence(tool.questions[0], value) is needed


def test_a_hidden_question_needs_no_evidence() -> None:
    tool = make_tool(
        section("s", q("a"), q("b", evidence="always", show_if={"question": "a", "equals": "yes"}))
    )
    assert grade_audit(tool, {"a": "no", "b": "no"}).missing_evidence == []
    assert grade_audit(tool, {"a": "yes", "b": "no"}).missing_evidence == ["b"]


# --- Completeness ---------------------------------------------------------------------------

COMPLETE_TOOL = make_tool(
    section(
        "s",
        q("a", allow_na=True, points={"yes": 1, "no": 0}),
        q("b", show_if={"question": "a", "equals": "yes"}),
        q("c", "text", required=False),
        q("d", "yes_partly_no", evidence="when_not_yes", points={"yes": 2, "partly": 1, "no": 0}),
        grading="score",
    ),
    section("j", q("g", "grade")),
)


@pytest.mark.parametrize(
    ("answers", "evidence", "grades", "missing", "missing_evidence", "missing_grades", "complete"),
    [
        ({}, {}, {}, ["a", "d", "g"], [], ["s", "j", "overall"], False),
        ({"a": "yes"}, {}, {}, ["b", "d", "g"], [], ["j", "overall"], False),
        # b hidden: not required; na counts as answered.
        (
            {"a": "na", "d": "yes", "g": "good"},
            {},
            {"j": "good", "overall": "good"},
            [],
            [],
            [],
            True,
        ),
        # A score section with nothing to count needs the auditor's grade.
        ({"a": "na", "d": "yes", "g": "good"}, {}, {"j": "good"}, [], [], ["overall"], False),
        (
            {"a": "no", "d": "yes", "g": "good"},
            {},
            {"j": "good", "overall": "good"},
            [],
            [],
            [],
            True,
        ),
        (
            {"a": "no", "d": "no", "g": "good"},
            {},
            {"j": "good", "overall": "good"},
            [],
            ["d"],
            [],
            False,
        ),
        (
            {"a": "no", "d": "no", "g": "good"},
            {"d": "why"},
            {"j": "good", "overall": "good"},
            [],
            [],
            [],
            True,
        ),
        # Every answer given, but the judgement grades are missing.
        ({"a": "no", "d": "yes", "g": "good"}, {}, {}, [], [], ["j", "overall"], False),
        ({"a": "no", "d": "yes", "g": "good"}, {}, {"j": "good"}, [], [], ["overall"], False),
    ],
)
def test_completeness(
    answers: dict,
    evidence: dict,
    grades: dict,
    missing: list,
    missing_evidence: list,
    missing_grades: list,
    complete: bool,
) -> None:
    result = grade_audit(COMPLETE_TOOL, answers, evidence, grades)
    assert result.missing == missing
    assert result.missing_evidence == missing_evidence
    assert result.missing_grades == missing_grades
    assert result.complete is complete
    assert result.to_json()["complete"] is complete


def test_missing_lists_are_in_tool_order_whatever_the_answer_order() -> None:
    tool = make_tool(
        section("s", q("z", evidence="always"), q("m"), q("a", evidence="always"), q("k"))
    )
    answers = {"a": "no", "z": "no"}
    result = grade_audit(tool, dict(reversed(answers.items())))
    assert result.missing == ["m", "k"]
    assert result.missing_evidence == ["z", "a"]


# --- Conditions ---------------------------------------------------------------------------

COND_TOOL = make_tool(
    section(
        "s",
        q("p", "yes_partly_no", allow_na=True),
        q(
            "m",
            "multi",
            options=[
                {"id": "momo", "label": "MOMO"},
                {"id": "other", "label": "Other"},
                {"id": "none", "label": "None"},
            ],
            required=False,
        ),
        q("n", "number", required=False),
        q("t", "text", required=False),
    )
)


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"question": "p", "equals": "yes"}, {"p": "yes"}, True),
        ({"question": "p", "equals": "yes"}, {"p": "no"}, False),
        ({"question": "p", "equals": "yes"}, {}, False),  # unanswered equals nothing
        ({"question": "p", "equals": "na"}, {"p": "na"}, True),
        ({"question": "p", "in": ["no", "partly"]}, {"p": "partly"}, True),
        ({"question": "p", "in": ["no", "partly"]}, {"p": "yes"}, False),
        ({"question": "p", "in": ["no", "partly"]}, {}, False),  # and is in no list
        ({"question": "p", "answered": True}, {"p": "na"}, True),  # na counts as answered
        ({"question": "p", "answered": True}, {}, False),
        ({"question": "p", "answered": False}, {}, True),
        ({"question": "p", "answered": False}, {"p": "no"}, False),
        ({"question": "n", "equals": 3}, {"n": 3}, True),
        ({"question": "n", "in": [1, 2]}, {"n": 3}, False),
        ({"question": "t", "equals": "no"}, {"t": "no"}, True),
        # multi: holds when any choice is the value / in the list
        ({"question": "m", "equals": "momo"}, {"m": ["other", "momo"]}, True),
        ({"question": "m", "equals": "momo"}, {"m": ["other"]}, False),
        ({"question": "m", "equals": "momo"}, {"m": []}, False),
        ({"question": "m", "in": ["none", "momo"]}, {"m": ["none"]}, True),
        ({"question": "m", "in": ["none", "momo"]}, {"m": ["other"]}, False),
        ({"question": "m", "answered": True}, {"m": []}, True),
        # all / any / not, and nested
        (
            {"all": [{"question": "p", "equals": "yes"}, {"question": "n", "equals": 1}]},
            {"p": "yes", "n": 1},
            True,
        ),
        (
            {"all": [{"question": "p", "equals": "yes"}, {"question": "n", "equals": 1}]},
            {"p": "yes", "n": 2},
            False,
        ),
        (
            {"any": [{"question": "p", "equals": "yes"}, {"question": "n", "equals": 1}]},
            {"p": "no", "n": 1},
            True,
        ),
        (
            {"any": [{"question": "p", "equals": "yes"}, {"question": "n", "equals": 1}]},
            {"p": "no"},
            False,
        ),
        ({"not": {"question": "p", "equals": "yes"}}, {"p": "no"}, True),
        ({"not": {"question": "p", "equals": "yes"}}, {"p": "yes"}, False),
        ({"not": {"question": "p", "equals": "yes"}}, {}, True),
        (
            {
                "not": {
                    "any": [
                        {"question": "p", "in": ["no", "na"]},
                        {
                            "all": [
                                {"question": "m", "equals": "none"},
                                {"not": {"question": "n", "answered": True}},
                            ]
                        },
                    ]
                }
            },
            {"p": "yes", "m": ["none"], "n": 4},
            True,
        ),
        (
            {
                "not": {
                    "any": [
                        {"question": "p", "in": ["no", "na"]},
                        {
                            "all": [
                                {"question": "m", "equals": "none"},
                                {"not": {"question": "n", "answered": True}},
                            ]
                        },
                    ]
                }
            },
            {"p": "yes", "m": ["none"]},
            False,
        ),
    ],
)
def test_conditions(condition: dict, answers: dict, expected: bool) -> None:
    tool = make_tool(
        *[s.model_dump(by_alias=True, exclude_none=True) for s in COND_TOOL.sections],
        section("later", q("target", "yes_no", show_if=condition)),
    )
    assert holds(tool.question("target").show_if, answers) is expected  # type: ignore[arg-type,union-attr]
    visible = visible_questions(tool, answers)
    assert ("target" in visible) is expected
    assert ("target" in grade_audit(tool, answers).visible) is expected


CHAIN_TOOL = make_tool(
    section(
        "s",
        q("q1"),
        q("q2", show_if={"question": "q1", "equals": "yes"}, points={"yes": 1, "no": 0}),
        q(
            "q3",
            show_if={"question": "q2", "answered": True},
            points={"yes": 1, "no": 0},
            evidence="always",
        ),
        q("q4", show_if={"question": "q2", "answered": False}),
        grading="score",
    )
)


@pytest.mark.parametrize(
    ("answers", "visible", "percent", "missing"),
    [
        ({"q1": "yes", "q2": "yes", "q3": "no"}, ["q1", "q2", "q3"], 50.0, []),
        # q1 = no hides q2; a hidden q2 counts as unanswered, so q3 hides too and q4 shows.
        ({"q1": "no", "q2": "yes", "q3": "no"}, ["q1", "q4"], None, ["q4"]),
        ({"q1": "yes"}, ["q1", "q2", "q4"], None, ["q2", "q4"]),
        ({}, ["q1", "q4"], None, ["q1", "q4"]),
    ],
)
def test_a_hidden_question_counts_as_unanswered_down_a_chain(
    answers: dict, visible: list, percent: float | None, missing: list
) -> None:
    result = grade_audit(CHAIN_TOOL, answers)
    assert visible_questions(CHAIN_TOOL, answers) == visible
    assert list(result.visible) == visible
    assert result.sections["s"].percent == percent
    assert result.missing == missing
    assert result.missing_evidence == (["q3"] if "q3" in visible and "q3" in answers else [])
    assert list(shown_answers(CHAIN_TOOL, answers)) == [v for v in visible if v in answers]


def test_grading_result_shape(spec_example_tool: Path) -> None:
    result = grade_audit(load_tool_file(spec_example_tool), {})
    assert isinstance(result, AuditGrading)
    assert result.to_json() == {
        "sections": {
            "seen": {"percent": None, "suggested": None, "final": None},
            "voice": {"percent": None, "suggested": None, "final": None},
        },
        "overall": {"percent": None, "suggested": None, "final": None},
        "complete": False,
        "missing": ["seen_in_timescale", "seen_alone", "views_recorded", "voice_quality"],
        "missing_evidence": [],
        "missing_rationale": [],
        "computed": {},
    }


def test_explanation_names_only_caps_that_lowered_the_grade(tmp_path) -> None:
    """A cap at requires improvement on an inadequate score is not news to the auditor."""
    from auditui.domain.grading import grade_audit
    from auditui.tools.models import AuditTool

    tool = AuditTool.model_validate(
        {
            "format": 1,
            "id": "t",
            "version": 1,
            "title": "T",
            "sections": [
                {
                    "id": "plan",
                    "title": "Plan",
                    "grading": "score",
                    "questions": [
                        {
                            "id": "contingency",
                            "text": "Is there a contingency plan?",
                            "type": "yes_no",
                            "points": {"yes": 1, "no": 0},
                            "limiting": {"answers": ["no"], "cap": "requires_improvement"},
                        },
                        {
                            "id": "smart",
                            "text": "Is the plan SMART?",
                            "type": "yes_no",
                            "points": {"yes": 3, "no": 0},
                        },
                    ],
                }
            ],
        }
    )
    low = grade_audit(tool, {"contingency": "no", "smart": "no"}).sections["plan"]
    assert low.suggested == "inadequate"
    assert "held at" not in low.explanation
    high = grade_audit(tool, {"contingency": "no", "smart": "yes"}).sections["plan"]
    assert high.suggested == "requires_improvement"
    assert high.explanation == (
        "Scored 75%: Good; held at Requires improvement because 'Is there a contingency plan?' "
        "was answered No"
    )
