"""Measures with targets and the form's own numbers (format 2), against the spec's example."""

from __future__ import annotations

from pathlib import Path

import pytest
from format2_support import SPEC_EXAMPLE2_YAML

from auditui.domain.measures import MeasuredAudit, tally
from auditui.tools.loader import load_tool_file
from auditui.tools.models import AuditTool
from auditui.tools.numbering import form_numbers


@pytest.fixture
def example(tmp_path: Path) -> AuditTool:
    path = tmp_path / "childs-voice-visits.yaml"
    path.write_text(SPEC_EXAMPLE2_YAML, encoding="utf-8")
    return load_tool_file(path)


def visit(days: tuple[str, str] | None, alone: str | None) -> dict[str, str]:
    answers = {"allocated_on": days[0], "first_visit_on": days[1]} if days else {}
    if alone is not None:
        answers["seen_alone"] = alone
    return answers


def test_measures_count_shown_answered_non_na_and_compare_exactly(example: AuditTool) -> None:
    audits = [
        MeasuredAudit(example, visit(("2026-04-01", "2026-04-10"), "yes")),  # 5 wd: yes
        MeasuredAudit(example, visit(("2026-04-01", "2026-04-13"), "no")),  # 6 wd: no
        MeasuredAudit(example, visit(None, "na")),  # not counted for either
        MeasuredAudit(example, visit(("2026-04-01", "2026-04-02"), "yes")),
    ]
    found = {m.question: m.to_json() for m in tally(audits)}
    assert found["visit_in_timescale"] == {
        "tool": "childs-voice-visits",
        "question": "visit_in_timescale",
        "label": "First visit within 5 working days",
        "target": 95,
        "counted": 3,
        "yes": 2,
        "pct": pytest.approx(200 / 3),
        "met": False,
    }
    alone = found["seen_alone"]
    assert (alone["counted"], alone["yes"], alone["met"]) == (3, 2, False)


@pytest.mark.parametrize(
    ("yes", "counted", "target", "met"),
    [
        (7, 10, 70, True),
        (69, 100, 70, False),
        (0, 0, 70, None),
        (1, 1, None, None),
        (2, 3, 66.7, False),
    ],
)
def test_meets_its_target_exactly(
    example: AuditTool, yes: int, counted: int, target: float | None, met: bool | None
) -> None:
    from auditui.domain.measures import MeasureTally

    m = MeasureTally("t", "q", "L", target, 1, counted, yes)
    assert m.met is met


def test_the_newest_loaded_version_gives_label_and_target(
    example: AuditTool, tmp_path: Path
) -> None:
    path = tmp_path / "newer.yaml"
    path.write_text(
        SPEC_EXAMPLE2_YAML.replace("version: 1", "version: 2").replace(
            "{label: Child seen alone, target: 70}", "{label: Seen alone, target: 80}"
        ),
        encoding="utf-8",
    )
    newer = load_tool_file(path)
    found = {m.question: m for m in tally([MeasuredAudit(example, {})], newest=[newer])}
    assert (found["seen_alone"].label, found["seen_alone"].target) == ("Seen alone", 80)


def test_form_numbers_are_the_forms_own_or_automatic(example: AuditTool) -> None:
    numbers = form_numbers(example)
    assert numbers["profile"] == "1" and numbers["first_visit_on"] == "1.2"
    assert numbers["review_participation"] == "4.1"
    plain = AuditTool.model_validate(
        {
            "format": 2,
            "id": "p",
            "version": 1,
            "title": "P",
            "sections": [
                {
                    "id": "a",
                    "title": "A",
                    "questions": [{"id": "a1", "text": "Q", "type": "yes_no"}],
                },
                {
                    "id": "b",
                    "number": "4a",
                    "title": "B",
                    "questions": [
                        {"id": "b1", "text": "Q", "type": "yes_no"},
                        {"id": "b2", "text": "Q", "type": "yes_no"},
                    ],
                },
            ],
        }
    )
    assert form_numbers(plain) == {"a": "1", "a1": "1.1", "b": "4a", "b1": "4a.1", "b2": "4a.2"}
