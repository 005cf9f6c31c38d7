"""`auditui tools grade`'s ANSWERS.json refusals (spec: Trying a tool), table-driven on the spec's
format 2 example, plus the date limits that bind two answers.

Each refusal is one sentence that starts with the file and names what is
wrong; nothing is an error for being about a hidden section.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from format2_support import SPEC_EXAMPLE2_ANSWERS, SPEC_EXAMPLE2_YAML

from auditui.domain.date_limits import linked_date_problem
from auditui.domain.grade_input import read_grade_input
from auditui.errors import InvalidAnswerError
from auditui.tools.loader import load_tool_file
from auditui.tools.models import AuditTool

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> AuditTool:
    path = tmp_path_factory.mktemp("spec") / "childs-voice-visits.yaml"
    path.write_text(SPEC_EXAMPLE2_YAML, encoding="utf-8")
    return load_tool_file(path)


def with_(**changes: Any) -> dict[str, Any]:
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in SPEC_EXAMPLE2_ANSWERS.items()}
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


REFUSED = {
    "unknown key": ({**with_(), "notes": {}}, ("unknown key 'notes'",)),
    "answers missing": ({"evidence": {}}, ('"answers" is required',)),
    "unknown question": (with_(answers={"nope": "yes"}), ("'nope'", "not a question")),
    "value off the type": (with_(answers={"seen_alone": "maybe"}), ("seen_alone", "maybe")),
    "answer to a computed question": (
        with_(answers={"visit_in_timescale": "yes"}),
        ("visit_in_timescale", "computed"),
    ),
    "date after today": (
        with_(answers={"first_visit_on": "2026-07-01"}),
        ("first_visit_on", "on or before"),
    ),
    "date before the date it names": (
        with_(answers={"allocated_on": "2026-04-20"}),
        (
            "Q1.2 Date of the first visit after allocation takes a date on or after the answer "
            "to Q1.1 Date the case was allocated (Mon 20 Apr 2026)",
        ),
    ),
    "grade off the scale": (with_(grades={"voice": "met"}), ("'voice'", "'met'")),
    "grade for an unknown section": (
        with_(grades={"nowhere": "good"}),
        ("'nowhere'", "not a section"),
    ),
    "grade for a none section": (with_(grades={"profile": "good"}), ("'profile'", "grading: none")),
    "rationale for a none section": (
        with_(rationales={"profile": "x"}),
        ("'profile'", "grading: none"),
    ),
    "rationale for an unknown section": (with_(rationales={"x": "y"}), ("'x'", "not a section")),
    "sections_na without allow_na": (with_(sections_na={"voice": "n/a"}), ("'voice'", "allow_na")),
    "sections_na with a blank reason": (
        with_(sections_na={"cla_review": " "}),
        ("'cla_review'", "reason"),
    ),
    "unknown detail": (with_(details={"team": "North"}), ("unknown detail 'team'",)),
    "unknown calendar": (with_(details={"calendar": "wales"}), ("calendar 'wales'",)),
    "case type outside applies_to": (
        with_(details={"case_type": "EH"}),
        ("case_type", "'EH'", "CIN, CP, CLA"),
    ),
    "kind not listed": (with_(details={"kind": "survey"}), ("kind", "'survey'")),
    "practitioner_present as a string": (
        with_(details={"practitioner_present": "yes"}),
        ("practitioner_present",),
    ),
    "evidence for an unknown question": (with_(evidence={"x": "y"}), ("evidence", "'x'")),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_each_refusal_names_the_file_and_what_is_wrong(example: AuditTool, name: str) -> None:
    data, words = REFUSED[name]
    with pytest.raises(InvalidAnswerError) as caught:
        read_grade_input(example, data, "answers.json", TODAY)
    message = caught.value.message
    assert message.startswith("answers.json: "), message
    assert "\n" not in message
    for word in words:
        assert word in message, (word, message)


def test_entries_about_a_hidden_section_are_not_errors(example: AuditTool) -> None:
    data = with_(
        details={"case_type": "CP"},
        sections_na={},
        answers={"review_participation": "good"},
        grades={"cla_review": "good"},
        rationales={"cla_review": "kept"},
    )
    got = read_grade_input(example, data, "answers.json", TODAY)
    assert got.grades["cla_review"] == "good"


def test_null_details_are_undetermined(example: AuditTool) -> None:
    got = read_grade_input(
        example, with_(details={"case_type": None, "kind": None}), "a.json", TODAY
    )
    assert got.details == {"practitioner_present": False}
    assert got.calendar == "england-and-wales"


def test_a_worker_tool_takes_no_case_type(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(
        "format: 2\nid: w\nversion: 1\ntitle: W\nsubject: worker\nsections:\n"
        "  - id: s\n    title: S\n    questions:\n      - {id: q, text: Q, type: yes_no}\n",
        encoding="utf-8",
    )
    tool = load_tool_file(path)
    assert tool.is_worker_audit
    with pytest.raises(InvalidAnswerError, match="subject: worker"):
        read_grade_input(tool, {"answers": {}, "details": {"case_type": "CP"}}, "a.json")
    assert read_grade_input(tool, {"answers": {}, "details": {"kind": "themed"}}, "a.json")


# --- Linked date limits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "details", "sections_na", "broken"),
    [
        ({"allocated_on": "2026-04-02", "first_visit_on": "2026-04-01"}, {}, {}, True),
        ({"allocated_on": "2026-04-01", "first_visit_on": "2026-04-01"}, {}, {}, False),
        ({"allocated_on": "2026-04-02"}, {}, {}, False),  # only one answered
        ({"first_visit_on": "2026-04-01"}, {}, {}, False),
    ],
)
def test_a_limit_naming_a_question_binds_two_shown_answers(
    example: AuditTool, answers: dict, details: dict, sections_na: dict, broken: bool
) -> None:
    problem = linked_date_problem(example, answers, details, sections_na)
    assert (problem is not None) is broken
    if problem:
        assert problem.startswith("Q1.2 Date of the first visit after allocation takes a date")
        assert "answer to Q1.1 Date the case was allocated (Thu 2 Apr 2026)" in problem


def test_a_limit_stops_binding_while_a_question_is_hidden(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "format: 2\nid: t\nversion: 1\ntitle: T\nsections:\n"
        "  - id: a\n    title: A\n    questions:\n      - {id: d1, text: D, type: date}\n"
        "  - id: b\n    title: B\n    allow_na: true\n    questions:\n"
        "      - {id: d2, text: E, type: date, min: {question: d1}}\n",
        encoding="utf-8",
    )
    tool = load_tool_file(path)
    answers = {"d1": "2026-05-02", "d2": "2026-05-01"}
    assert linked_date_problem(tool, answers) is not None
    # Clearing the N/A mark would show the two breaking it: the caller asks before clearing.
    assert linked_date_problem(tool, answers, sections_na={"b": "Not this case"}) is None


def test_a_null_answer_is_no_answer(example: AuditTool) -> None:
    data = with_(answers={"seen_alone": None, "visit_in_timescale": None})
    got = read_grade_input(example, data, "answers.json", TODAY)
    assert "seen_alone" not in got.answers and "visit_in_timescale" not in got.answers
