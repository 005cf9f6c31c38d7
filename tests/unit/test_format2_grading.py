"""Every grading rule format 2 adds, table-driven (spec: Sections that may not apply, Grading,
Computed answers, Conditions, Scales).

Tools are built in code and checked valid first, so each case fails on the
rule it names, not on its own set-up.
"""

from __future__ import annotations

from typing import Any

import pytest

from auditui.domain.conditions import resolve
from auditui.domain.grading import grade_audit
from auditui.tools.checks import check_tool
from auditui.tools.models import AuditTool


def q(qid: str, qtype: str = "yes_no", **kw: Any) -> dict[str, Any]:
    return {"id": qid, "text": f"Question {qid}?", "type": qtype, **kw}


def sec(sid: str, *questions: dict[str, Any], grading: Any = "judgement", **kw: Any) -> dict:
    return {
        "id": sid,
        "title": f"Section {sid}",
        "grading": grading,
        "questions": list(questions),
        **kw,
    }


def tool2(*sections: dict[str, Any], overall: Any = "judgement", **top: Any) -> AuditTool:
    tool = AuditTool.model_validate(
        {
            "format": 2,
            "id": "f2",
            "version": 1,
            "title": "F2",
            "grading": {"overall": overall},
            "sections": list(sections),
            **top,
        }
    )
    assert check_tool(tool) == [], check_tool(tool)
    return tool


SCORED = {"points": {"yes": 1, "no": 0}}

# --- Sections that may not apply ------------------------------------------------------------

CASE_SECTION = tool2(
    sec("all", q("a1", **SCORED), grading="score"),
    sec(
        "cla",
        q("c1", **SCORED),
        grading="score",
        show_if={"detail": "case_type", "in": ["CLA"]},
        allow_na=True,
    ),
    sec("later", q("l1", show_if={"question": "c1", "answered": True}), grading="none"),
    overall="lowest_section",
    applies_to=["CIN", "CP", "CLA"],
)


@pytest.mark.parametrize(
    ("details", "sections_na", "shown"),
    [
        ({}, {}, ["all", "later"]),  # undetermined case type: in no list
        ({"case_type": "CP"}, {}, ["all", "later"]),
        ({"case_type": "CLA"}, {}, ["all", "cla", "later"]),
        ({"case_type": "CLA"}, {"cla": "First review not due."}, ["all", "later"]),
        ({"case_type": "CLA"}, {"cla": "   "}, ["all", "cla", "later"]),  # blank reason: none
        ({"case_type": "CLA"}, {"all": "no allow_na here"}, ["all", "cla", "later"]),
    ],
)
def test_a_section_is_shown_while_its_condition_holds_and_it_is_not_na(
    details: dict, sections_na: dict, shown: list[str]
) -> None:
    answers = {"a1": "yes", "c1": "no", "l1": "yes"}
    view = resolve(CASE_SECTION, answers, details, sections_na)
    assert list(view.sections) == shown
    result = grade_audit(CASE_SECTION, answers, details=details, sections_na=sections_na)
    cla = result.sections["cla"]
    if "cla" in shown:
        assert "c1" in result.visible and cla.final == "inadequate"
        assert "l1" in result.visible
    else:
        # Hidden: its questions are hidden, it is not graded, its answers count for nothing.
        assert "c1" not in result.visible and "l1" not in result.visible
        assert (cla.percent, cla.suggested, cla.final) == (None, None, None)
        assert result.overall.suggested == "outstanding"


def test_a_hidden_sections_grade_and_rationale_are_kept_but_ignored() -> None:
    result = grade_audit(
        CASE_SECTION,
        {"a1": "yes"},
        grades={"cla": "inadequate"},
        rationales={"cla": "kept"},
        details={"case_type": "CP"},
    )
    assert result.sections["cla"].final is None
    assert "cla" not in result.missing_grades
    assert result.overall.suggested == "outstanding"


def test_a_required_question_of_a_hidden_section_is_not_missing() -> None:
    result = grade_audit(CASE_SECTION, {}, details={"case_type": "CP"})
    assert result.missing == ["a1"]


# --- grading: none --------------------------------------------------------------------------

FRONT = tool2(
    sec("front", q("f1", "text"), q("f2", **SCORED), grading="none"),
    sec("body", q("b1", **SCORED), grading="score"),
    overall="lowest_section",
)


def test_a_none_section_is_never_graded_and_lowest_section_skips_it() -> None:
    result = grade_audit(FRONT, {"f1": "Profile", "f2": "no", "b1": "yes"})
    front = result.sections["front"]
    assert (front.percent, front.suggested, front.final) == (None, None, None)
    assert result.missing_grades == []
    assert result.overall.suggested == "outstanding"
    assert result.complete is True


def test_a_none_sections_questions_are_still_asked() -> None:
    assert grade_audit(FRONT, {"b1": "yes"}).missing == ["f1", "f2"]


def test_overall_score_averages_only_the_graded_sections() -> None:
    tool = tool2(
        sec("front", q("f1"), grading="none"),
        sec("a", q("a1", **SCORED), grading="score"),
        sec("b", q("b1", **SCORED), grading="score", weight=3),
        overall="score",
    )
    result = grade_audit(tool, {"f1": "no", "a1": "yes", "b1": "no"})
    assert result.overall.percent == 25.0
    assert result.overall.suggested == "inadequate"


def test_lowest_section_has_no_suggestion_while_no_section_is_graded() -> None:
    tool = tool2(
        sec("only", q("o1", **SCORED), grading="score", allow_na=True),
        overall="lowest_section",
    )
    result = grade_audit(tool, {"o1": "yes"}, sections_na={"only": "Not this child"})
    assert result.overall.suggested is None
    assert result.missing_grades == ["overall"]


# --- Rationale ------------------------------------------------------------------------------

RATIONALE = tool2(
    sec("always", q("a1", **SCORED), grading={"rule": "score", "rationale": "always"}),
    sec("changed", q("c1", **SCORED), grading="score"),
    sec("judged", q("j1"), grading={"rule": "judgement", "rationale": "always"}),
    overall={"rule": "lowest_section", "rationale": "always"},
)


@pytest.mark.parametrize(
    ("grades", "rationales", "missing"),
    [
        # judged has no final grade, so neither has overall: nothing to explain there yet
        ({}, {}, ["always"]),
        ({"judged": "good"}, {}, ["always", "judged", "overall"]),
        ({"changed": "good"}, {}, ["always", "changed"]),  # differs from outstanding
        ({"changed": "outstanding"}, {}, ["always"]),  # the same as the suggestion
        (  # a blank rationale is none
            {"judged": "good"},
            {"always": "Because.", "judged": "x", "overall": "  "},
            ["overall"],
        ),
        (
            {"judged": "good"},
            {"always": "a", "judged": "b", "overall": "c"},
            [],
        ),
    ],
)
def test_rationales_needed_in_tool_order_then_overall(
    grades: dict, rationales: dict, missing: list[str]
) -> None:
    result = grade_audit(
        RATIONALE, {"a1": "yes", "c1": "yes", "j1": "yes"}, {}, grades, rationales=rationales
    )
    assert result.missing_rationale == missing
    assert result.complete is (not missing and "judged" in grades)


def test_a_format1_tool_never_counts_a_missing_rationale() -> None:
    tool = AuditTool.model_validate(
        {
            "format": 1,
            "id": "f1",
            "version": 1,
            "title": "F1",
            "sections": [sec("s", q("s1", **SCORED), grading="score")],
        }
    )
    result = grade_audit(tool, {"s1": "yes"}, grades={"s": "inadequate", "overall": "good"})
    assert result.missing_rationale == []
    assert result.complete is True


# --- Custom scales ---------------------------------------------------------------------------

SOS = {
    "scale": "sos",
    "scales": [
        {
            "id": "sos",
            "grades": [{"id": f"sos_{n}", "label": str(n)} for n in (3, 2, 1, 0)],
            "good_or_better": 2,
            "thresholds": {"sos_3": 90, "sos_2": 60, "sos_1": 30},
        }
    ],
}


@pytest.mark.parametrize(
    ("answers", "suggested"),
    [
        ({"g": "sos_3", "p": "yes"}, "sos_3"),  # 4/4 = 100
        ({"g": "sos_2", "p": "yes"}, "sos_2"),  # 3/4 = 75
        ({"g": "sos_1", "p": "yes"}, "sos_1"),  # 2/4 = 50: below 60, at least 30
        ({"g": "sos_1", "p": "no"}, "sos_0"),  # 1/4 = 25
    ],
)
def test_a_custom_scale_scores_by_position_and_its_thresholds(
    answers: dict, suggested: str
) -> None:
    tool = tool2(
        sec("s", q("g", "grade"), q("p", points={"yes": 1, "no": 0}), grading="score"), **SOS
    )
    assert tool.scale_def.grades == ("sos_3", "sos_2", "sos_1", "sos_0")
    assert tool.scale_def.good_or_better == frozenset({"sos_3", "sos_2"})
    assert grade_audit(tool, answers).sections["s"].suggested == suggested


def test_a_custom_scale_caps_and_lowest() -> None:
    tool = tool2(
        sec(
            "s",
            q("g", "grade"),
            q("h", "grade", limiting={"answers": ["sos_0"], "cap": "sos_1"}),
            grading="lowest",
        ),
        **SOS,
    )
    assert grade_audit(tool, {"g": "sos_3", "h": "sos_2"}).sections["s"].suggested == "sos_2"
    assert grade_audit(tool, {"g": "sos_3", "h": "sos_0"}).sections["s"].suggested == "sos_0"


# --- Computed answers -------------------------------------------------------------------------

DATES = [q("from", "date"), q("to", "date")]
COMPUTED = tool2(
    sec(
        "s",
        *DATES,
        q("days", "number", compute={"days": {"from": "from", "to": "to"}}),
        q("wd", "number", compute={"working_days": {"from": "from", "to": "to"}}),
        q(
            "in_time",
            compute={"working_days": {"from": "from", "to": "to"}, "at_most": 5},
            points={"yes": 1, "no": 0},
            limiting={"answers": ["no"], "cap": "requires_improvement"},
            evidence="when_not_yes",
        ),
        q("why_late", "text", show_if={"question": "in_time", "equals": "no"}),
        grading="score",
    )
)


@pytest.mark.parametrize(
    ("start", "end", "calendar", "days", "wd", "in_time"),
    [
        (
            "2026-04-01",
            "2026-04-10",
            "england-and-wales",
            9,
            5,
            "yes",
        ),  # Good Friday, Easter Monday
        ("2026-04-01", "2026-04-10", "scotland", 9, 6, "no"),  # Scotland works Easter Monday
        ("2026-04-01", "2026-04-01", "england-and-wales", 0, 0, "yes"),
        ("2026-04-03", "2026-04-06", "england-and-wales", 3, 0, "yes"),  # both bank holidays
        ("2026-04-04", "2026-04-07", "england-and-wales", 3, 1, "yes"),  # Sat to Tue
        ("2026-12-24", "2027-01-04", "england-and-wales", 11, 4, "yes"),
        ("2026-01-01", "2026-01-09", "england-and-wales", 8, 6, "no"),
    ],
)
def test_computed_counts(
    start: str, end: str, calendar: str, days: int, wd: int, in_time: str
) -> None:
    result = grade_audit(COMPUTED, {"from": start, "to": end}, calendar=calendar)
    assert result.computed == {"days": days, "wd": wd, "in_time": in_time}


def test_a_computed_answer_is_its_answer_for_every_rule() -> None:
    late = grade_audit(COMPUTED, {"from": "2026-01-01", "to": "2026-01-30"})
    assert late.computed["in_time"] == "no"
    assert "why_late" in late.visible  # conditions
    assert late.missing_evidence == ["in_time"]  # evidence
    assert late.sections["s"].percent == 0.0  # points
    assert late.sections["s"].suggested == "inadequate"
    prompt = grade_audit(COMPUTED, {"from": "2026-01-05", "to": "2026-01-06"})
    assert "why_late" not in prompt.visible
    assert prompt.sections["s"].suggested == "outstanding"


def test_a_computed_question_is_unanswered_while_an_input_is_and_never_missing() -> None:
    result = grade_audit(COMPUTED, {"from": "2026-01-05"})
    assert result.computed == {"days": None, "wd": None, "in_time": None}
    assert result.missing == ["to"]  # the input is what is missing
    assert result.sections["s"].percent is None


def test_an_answer_stored_for_a_computed_question_is_ignored() -> None:
    result = grade_audit(COMPUTED, {"from": "2026-01-01", "to": "2026-01-30", "in_time": "yes"})
    assert result.computed["in_time"] == "no"


def test_a_hidden_input_leaves_the_count_unanswered() -> None:
    tool = tool2(
        sec(
            "s",
            q("known"),
            q("from", "date", show_if={"question": "known", "equals": "yes"}),
            q("to", "date"),
            q("n", "number", compute={"days": {"from": "from", "to": "to"}}),
        )
    )
    both = {"from": "2026-01-01", "to": "2026-01-03"}
    assert grade_audit(tool, {**both, "known": "yes"}).computed == {"n": 2}
    assert grade_audit(tool, {**both, "known": "no"}).computed == {"n": None}


# --- Conditions on details and on multi ---------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "details", "shown"),
    [
        ({"detail": "kind", "equals": "deep_dive"}, {"kind": "deep_dive"}, True),
        ({"detail": "kind", "equals": "deep_dive"}, {}, False),
        ({"not": {"detail": "kind", "equals": "deep_dive"}}, {}, True),  # undetermined
        ({"not": {"detail": "kind", "equals": "deep_dive"}}, {"kind": None}, True),
        ({"detail": "practitioner_present", "equals": True}, {"practitioner_present": True}, True),
        (
            {"detail": "practitioner_present", "equals": True},
            {"practitioner_present": False},
            False,
        ),
        ({"detail": "practitioner_present", "equals": False}, {}, False),
        ({"detail": "case_type", "in": ["CP", "CLA"]}, {"case_type": "CP"}, True),
        ({"detail": "case_type", "in": ["CP", "CLA"]}, {"case_type": "CIN"}, False),
        (
            {"all": [{"detail": "kind", "in": ["themed"]}, {"question": "m", "equals": "a"}]},
            {"kind": "themed"},
            True,
        ),
    ],
)
def test_detail_conditions(condition: dict, details: dict, shown: bool) -> None:
    tool = tool2(
        sec(
            "s",
            q("m", "multi", options=[{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]),
            q("t", show_if=condition),
        )
    )
    assert ("t" in grade_audit(tool, {"m": ["a", "b"]}, details=details).visible) is shown


@pytest.mark.parametrize(
    ("condition", "answer", "shown"),
    [
        ({"equals": "a"}, ["a", "b"], True),
        ({"equals": "a"}, ["b"], False),
        ({"in": ["a", "c"]}, ["c"], True),
        ({"in": ["a"]}, ["b"], False),
        ({"equals": "a"}, [], False),  # an empty list matches neither
        ({"in": ["a", "b"]}, [], False),
    ],
)
def test_multi_equals_and_in(condition: dict, answer: list[str], shown: bool) -> None:
    tool = tool2(
        sec(
            "s",
            q("m", "multi", options=[{"id": x, "label": x} for x in "abc"]),
            q("t", show_if={"question": "m", **condition}),
        )
    )
    assert ("t" in grade_audit(tool, {"m": answer}).visible) is shown


@pytest.mark.parametrize(
    ("value", "missing"), [(None, True), ("", True), ("  ", True), ("x", False)]
)
def test_null_and_blank_text_are_unanswered_in_format2(value: Any, missing: bool) -> None:
    tool = tool2(sec("s", q("t", "text"), q("m", "multi", options=[{"id": "a", "label": "A"}])))
    result = grade_audit(tool, {"t": value, "m": []})
    assert ("t" in result.missing) is missing
    assert "m" in result.missing  # an empty multi list is no answer


# --- Exact decimals (both formats) -------------------------------------------------------------


@pytest.mark.parametrize("fmt", [1, 2])
def test_numbers_are_the_exact_decimals_written(fmt: int) -> None:
    """A threshold of 64.9 is met by exactly 64.9%; points of 0.1 add up to exactly 0.3."""
    tool = AuditTool.model_validate(
        {
            "format": fmt,
            "id": "exact",
            "version": 1,
            "title": "Exact",
            "sections": [
                sec(
                    "s",
                    q(
                        "c",
                        "choice",
                        options=[{"id": "got", "label": "G"}, {"id": "full", "label": "F"}],
                        points={"got": 64.9, "full": 100},
                    ),
                    grading={"rule": "score", "thresholds": {"good": 64.9}},
                ),
                sec(
                    "t",
                    *[q(f"t{i}", points={"yes": 0.1, "no": 0}) for i in range(3)],
                    q("u", points={"yes": 0.3, "no": 0}),
                    grading={"rule": "score", "thresholds": {"outstanding": 75, "good": 50}},
                ),
            ],
        }
    )
    result = grade_audit(tool, {"c": "got", "t0": "yes", "t1": "yes", "t2": "yes", "u": "no"})
    assert result.sections["s"].suggested == "good"
    assert result.sections["t"].exact_percent == 50  # 0.3 of 0.6, exactly
    assert result.sections["t"].suggested == "good"
