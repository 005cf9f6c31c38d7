"""The audit tools auditui ships: they load, explain themselves, and grade sensibly.

A QA lead's first look at auditui is these tools, so each must load without
a problem, every section must say what good looks like, and a case file
where everything is as good as it can be must grade as the best grade.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from auditui.domain.conditions import visible_questions
from auditui.domain.grading import grade_audit, needs_evidence
from auditui.domain.values import check_value
from auditui.sync.measure_counts import shown_measure_values
from auditui.tools.library import ToolLibrary, shipped_tools_dir, tool_files
from auditui.tools.loader import load_tool_file
from auditui.tools.models import AuditTool, Question

REQUIRED_IDS = (
    "case-file-audit",
    "smart-plans",
    "childs-voice",
    "supervision-oversight",
    "return-home-interviews",
    "neglect-gcp",
    "life-story-work",
)

SHIPPED_FILES = tool_files(shipped_tools_dir())
EARLIER_VERSIONS = tool_files(shipped_tools_dir() / "versions")
TODAY = dt.date(2025, 3, 14)


def test_the_shipped_directory_is_found_and_holds_tools() -> None:
    assert shipped_tools_dir().is_dir()
    assert len(SHIPPED_FILES) >= len(REQUIRED_IDS)


def test_every_shipped_tool_loads_without_a_problem() -> None:
    library = ToolLibrary.load([], include_shipped=True)
    assert library.problems == []
    # one tool per file, none refused; earlier versions of shipped tools load too
    assert len(library.tools) == len(SHIPPED_FILES) + len(EARLIER_VERSIONS)
    for tool_id in REQUIRED_IDS + NEW_IN_FORMAT_2:
        assert tool_id in library.ids()


NEW_IN_FORMAT_2 = (
    "exploitation-risk",
    "private-fostering",
    "pre-proceedings",
    "practice-observation",
    "worker-supervision-file",
)


@pytest.mark.parametrize("path", EARLIER_VERSIONS, ids=lambda p: p.stem)
def test_an_earlier_version_is_kept_below_the_current_one(path: Any) -> None:
    """An audit started on an earlier version finishes on it: the file stays, unchanged in id."""
    earlier = load_tool_file(path)
    current = load_tool_file(shipped_tools_dir() / f"{earlier.id}.yaml")
    assert path.name == f"{earlier.id}-v{earlier.version}.yaml"
    assert earlier.version < current.version


def test_the_new_tools_name_their_source_of_practice() -> None:
    for tool_id in NEW_IN_FORMAT_2:
        tool = load_tool_file(shipped_tools_dir() / f"{tool_id}.yaml")
        assert tool.format == 2
        assert tool.description is not None and "Source of practice" in tool.description
    worker = load_tool_file(shipped_tools_dir() / "worker-supervision-file.yaml")
    assert worker.is_worker_audit and not worker.applies_to


@pytest.fixture(params=SHIPPED_FILES, ids=lambda p: p.stem)
def shipped(request: pytest.FixtureRequest) -> AuditTool:
    return load_tool_file(request.param)


def test_the_file_is_named_after_its_tool(shipped: AuditTool) -> None:
    assert (shipped_tools_dir() / f"{shipped.id}.yaml").is_file()


def test_every_section_says_what_good_looks_like(shipped: AuditTool) -> None:
    for section in shipped.sections:
        assert section.guidance and section.guidance.strip(), f"{shipped.id}/{section.id}"
        assert len(section.guidance.split()) >= 8, f"{shipped.id}/{section.id}: guidance too thin"


def test_every_shipped_tool_has_a_title_and_description(shipped: AuditTool) -> None:
    assert shipped.title.strip()
    assert shipped.description and shipped.description.strip()


def best_value(tool: AuditTool, question: Question) -> Any:
    """The answer a model case file would get."""
    values = question.choice_values(tool.scale_def)
    if question.type == "multi":
        return [question.option_ids[0]]
    if values:
        plain = [v for v in values if v != "na"]
        if question.points:
            return max(plain, key=lambda v: (question.points or {}).get(v, -1))
        return plain[0]  # yes, or the best grade
    if question.type == "text":
        return "Recorded on file."
    if question.type == "number":
        for bound in (question.max, question.min):
            if isinstance(bound, int | float):
                return bound
        return 1
    if question.type == "date":  # every date the same day: each count is 0, within any limit
        return (question.max if isinstance(question.max, dt.date) else TODAY).isoformat()
    raise AssertionError(f"no best value for {question.type}")


def answer_everything_shown(tool: AuditTool) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in tool.questions:
        if question.compute is None and question.id in visible_questions(tool, answers):
            answers[question.id] = check_value(
                tool, question, best_value(tool, question), today=TODAY
            )
    return answers


def test_a_model_case_file_grades_as_the_best_grade(shipped: AuditTool) -> None:
    answers = answer_everything_shown(shipped)
    result = grade_audit(shipped, answers)
    best = shipped.scale_def.grades[0]
    shown = result.shown_sections
    for section in shipped.sections:
        grade = result.sections[section.id]
        if not section.graded_by_rule or (shown is not None and section.id not in shown):
            assert grade.suggested is None and grade.final is None and grade.percent is None
            continue
        if section.grading.rule == "judgement":
            assert grade.suggested is None and grade.final is None
        else:
            assert grade.suggested == best, f"{shipped.id}/{section.id}: {grade.explanation}"
        if section.grading.rule == "score":
            assert grade.percent == 100.0
        else:
            assert grade.percent is None
        assert grade.caps == ()


def test_answering_every_shown_question_gives_a_sound_grading(shipped: AuditTool) -> None:
    answers = answer_everything_shown(shipped)
    result = grade_audit(shipped, answers)
    data = result.to_json()
    grades = set(shipped.scale_def.grades) | {None}

    assert list(data) == [
        "sections",
        "overall",
        "complete",
        "missing",
        "missing_evidence",
        "missing_rationale",
        "computed",
    ]
    assert list(data["sections"]) == [s.id for s in shipped.sections]
    for graded in [*data["sections"].values(), data["overall"]]:
        assert set(graded) == {"percent", "suggested", "final"}
        assert graded["suggested"] in grades and graded["final"] in grades
        assert graded["percent"] is None or 0 <= graded["percent"] <= 100
    assert data["missing"] == []
    assert data["missing_evidence"] == [
        q.id for q in shipped.questions if q.id in answers and needs_evidence(q, answers[q.id])
    ]
    shown = result.shown_sections
    judged = [
        s.id
        for s in shipped.sections
        if s.grading.rule == "judgement" and (shown is None or s.id in shown)
    ]
    assert result.missing_grades == judged + (
        ["overall"] if data["overall"]["final"] is None else []
    )
    assert data["complete"] is (
        not data["missing_evidence"] and not result.missing_grades and not data["missing_rationale"]
    )

    # With evidence everywhere, the auditor's grades and rationales, the audit is complete.
    evidence = {qid: "Seen in the record." for qid in answers}
    chosen = {sid: shipped.scale_def.grades[1] for sid in [*judged, "overall"]}
    rationales = {s.id: "Written analysis." for s in shipped.sections} | {"overall": "Why."}
    done = grade_audit(shipped, answers, evidence, chosen, rationales=rationales)
    assert done.complete, (done.missing, done.missing_evidence, done.missing_grades)


def test_an_empty_audit_is_incomplete_and_names_what_is_missing(shipped: AuditTool) -> None:
    result = grade_audit(shipped, {})
    required_shown = [
        q.id
        for q in shipped.questions
        if q.required and q.compute is None and q.id in visible_questions(shipped, {})
    ]
    assert result.complete is False
    assert result.missing == required_shown
    assert result.missing  # every shipped tool asks something


DOMAIN_MD = Path(__file__).resolve().parents[3] / "shared" / "domain.md"
"""The shared design documents sit beside the checkout (``../shared``), not in it."""

PUBLISHED_MEASURES: dict[tuple[str, int], list[tuple[str, str, str]]] = {
    # The themed measures shared/domain.md lists ("Other measures that themed audit tools
    # check case by case"), as (its words, its target): where the shipped tools mark each,
    # as (tool, question, label).
    ("statutory visits in timescale", 95): [
        ("case-file-audit", "seen_in_timescale", "Statutory visits in timescale"),
    ],
    ("child and family assessment within 45 working days", 95): [
        ("assessment-timeliness", "within_45_days", "Assessments within 45 working days"),
    ],
    ("child seen during assessment", 95): [
        ("assessment-timeliness", "child_seen", "Child seen during the assessment"),
    ],
    ("seen alone", 70): [
        ("assessment-timeliness", "child_seen_alone", "Child seen alone during the assessment"),
        ("case-file-audit", "seen_alone", "Child seen alone"),
    ],
    ("open cases with supervision recorded in the last 6 weeks", 95): [
        ("case-file-audit", "supervision_in_timescale", "Supervision recorded in the last 6 weeks"),
        ("supervision-oversight", "supervision_within_6_weeks", "Supervision recorded in the last 6 weeks"),
    ],
    ("with management oversight recorded in the last 6 weeks", 90): [
        ("supervision-oversight", "oversight_within_6_weeks", "Management oversight recorded in the last 6 weeks"),
    ],
    ("CP plans for neglect with a Graded Care Profile by the first review", 80): [
        ("neglect-gcp", "gcp_by_first_review", "GCP by first review"),
    ],
    ("RHI offered to missing children", 100): [
        ("return-home-interviews", "rhi_offered", "RHI offered to missing children"),
    ],
    ("within 72 hours", 75): [
        ("return-home-interviews", "rhi_within_72_hours", "RHI within 72 hours"),
    ],
    ("CLA with life-story work", 85): [
        ("life-story-work", "lsw_started", "CLA with life-story work"),
    ],
    ("CLA reviews in timescale", 90): [
        ("case-file-audit", "cla_review_in_timescale", "CLA reviews in timescale"),
    ],
    ("PEPs in date", 90): [
        ("case-file-audit", "pep_in_date", "PEPs in date"),
    ],
}  # fmt: skip

MARKED_MEASURES = [
    (tool_id, question_id, label, target)
    for (_, target), marks in PUBLISHED_MEASURES.items()
    for tool_id, question_id, label in marks
]


def themed_measures_in(domain_md: str) -> list[tuple[str, int]]:
    """The (words, target) pairs of domain.md's paragraph of themed measures, in its order:
    items are separated by ';', ',' or 'and' before the next, each ending '(NN%)'."""
    start = domain_md.index("Other measures that themed audit tools check")
    paragraph = domain_md[start:].split("\n\n", 1)[0]
    items = " ".join(paragraph.split(":", 1)[1].split())
    found = re.findall(r"(?:^|[;,]|\band\b)\s*([^;,()]+?)\s*\((\d+)%\)", items)
    return [(words, int(target)) for words, target in found]


@pytest.mark.skipif(not DOMAIN_MD.is_file(), reason="shared/domain.md is not beside the checkout")
def test_every_measure_domain_md_lists_is_in_the_table() -> None:
    """A measure added to (or reworded in) domain.md fails here until a shipped tool marks it."""
    listed = themed_measures_in(DOMAIN_MD.read_text(encoding="utf-8"))
    assert len(listed) >= 12  # the paragraph was found and read, not silently empty
    assert sorted(listed) == sorted(PUBLISHED_MEASURES)


def test_every_published_measure_is_marked_in_a_shipped_tool() -> None:
    for measure, marks in PUBLISHED_MEASURES.items():
        assert marks, f"{measure} is marked in no shipped tool"


@pytest.mark.parametrize(("tool_id", "question_id", "label", "target"), MARKED_MEASURES)
def test_the_published_measures_carry_their_labels_and_targets(
    tool_id: str, question_id: str, label: str, target: int
) -> None:
    tool = ToolLibrary.load([], include_shipped=True).latest(tool_id)
    question = tool.question(question_id)
    assert question is not None and question.measure is not None, f"{tool_id}/{question_id}"
    assert question.measure.label == label
    assert question.measure.target == target
    assert question.type in ("yes_no", "yes_partly_no")


@pytest.mark.parametrize(
    ("tool_id", "question_id"),
    [("neglect-gcp", "gcp_by_first_review"), ("life-story-work", "lsw_started")],
)
def test_the_gcp_and_life_story_measures_are_asked_in_every_audit(
    tool_id: str, question_id: str
) -> None:
    """Counted over every CP plan for neglect / every child looked after: the question is
    shown before anything is answered, so a plan with no GCP at all, or a child whose
    life-story work has not started, counts as not met rather than not at all."""
    tool = ToolLibrary.load([], include_shipped=True).latest(tool_id)
    assert question_id in visible_questions(tool, {})


def test_a_cp_plan_with_no_gcp_at_all_counts_against_the_gcp_measure() -> None:
    tool = ToolLibrary.load([], include_shipped=True).latest("neglect-gcp")
    never = {"gcp_by_first_review": "no", "gcp_completed": "no"}
    assert shown_measure_values(tool, never) == [
        {"tool": "neglect-gcp", "question": "gcp_by_first_review", "value": "no"}
    ]
    assert grade_audit(tool, never).sections["gcp"].caps  # still capped, as on version 1
    # A GCP done by the first review needs no second answer that could contradict it.
    assert "gcp_completed" not in visible_questions(tool, {"gcp_by_first_review": "yes"})
    assert "gcp_informed_plan" in visible_questions(tool, {"gcp_by_first_review": "yes"})
    late = {"gcp_by_first_review": "no", "gcp_completed": "yes"}
    assert "gcp_informed_plan" in visible_questions(tool, late)
    # The first review still to come: not counted, as the spec's N/A says.
    assert shown_measure_values(tool, {"gcp_by_first_review": "na"}) == []
    assert "gcp_completed" in visible_questions(tool, {"gcp_by_first_review": "na"})


@pytest.mark.parametrize(
    ("started", "shown", "hidden"),
    [("yes", ["lsw_status", "child_involved"], ["lsw_planned"]),
     ("no", ["lsw_planned"], ["lsw_status", "child_involved"])],
)  # fmt: skip
def test_life_story_work_started_or_not_asks_only_what_follows(
    started: str, shown: list[str], hidden: list[str]
) -> None:
    tool = ToolLibrary.load([], include_shipped=True).latest("life-story-work")
    visible = visible_questions(tool, {"lsw_started": started})
    assert all(q in visible for q in shown) and not any(q in visible for q in hidden)
    assert shown_measure_values(tool, {"lsw_started": started}) == [
        {"tool": "life-story-work", "question": "lsw_started", "value": started}
    ]


@pytest.mark.parametrize("tool_id", ["neglect-gcp", "life-story-work"])
def test_audits_on_the_format_1_version_keep_their_questions(tool_id: str) -> None:
    """Marking a measure needs format 2, so a new version; version 1 stays loaded unchanged,
    and an audit started on it finishes on it (its answers mean what they meant)."""
    library = ToolLibrary.load([], include_shipped=True)
    first, latest = library.get(tool_id, 1), library.latest(tool_id)
    assert (first.format, latest.format) == (1, 2)
    assert latest.version > first.version
    assert not [q.id for q in first.questions if q.measure is not None]
    assert library.sources[first.key] == shipped_tools_dir() / "versions" / f"{tool_id}-v1.yaml"


def test_working_days_are_computed_not_typed_in_the_timeliness_tools() -> None:
    library = ToolLibrary.load([], include_shipped=True)
    timeliness = library.latest("assessment-timeliness")
    result = grade_audit(
        timeliness, {"assessment_start": "2026-04-01", "assessment_signed_off": "2026-04-10"}
    )
    assert result.computed == {"working_days_taken": 5, "within_45_days": "yes"}
    rhi = library.latest("return-home-interviews")
    answers = {
        "date_returned": "2026-04-03",
        "rhi_offered": "yes",
        "rhi_held": "yes",
        "date_rhi": "2026-04-07",
    }
    assert grade_audit(rhi, answers).computed == {"rhi_within_72_hours": "no"}  # 4 days


@pytest.mark.parametrize(
    ("case_type", "shown", "hidden"),
    [("CIN", [], ["child_protection", "looked_after"]), ("CP", ["child_protection"], ["looked_after"]),
     ("CLA", ["looked_after"], ["child_protection"])],
)  # fmt: skip
def test_the_case_file_audit_asks_only_what_applies_to_the_case_type(
    case_type: str, shown: list[str], hidden: list[str]
) -> None:
    tool = ToolLibrary.load([], include_shipped=True).latest("case-file-audit")
    sections = grade_audit(tool, {}, details={"case_type": case_type}).shown_sections or ()
    assert all(s in sections for s in shown)
    assert not any(s in sections for s in hidden)
