"""Format 2 audits through the services, on a real SQLite file and the spec's example tool.

Sections marked not applicable with their reason, the audit's details in
conditions, computed answers in the audit's calendar, linked date limits
refused naming both questions (for an answer, a cleared N/A mark and a
change of detail), rationales when the tool asks for them always, and
worker audits with no case.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditui.config import Config, UserConfig, config_from_data
from auditui.errors import IncompleteAuditError, InvalidAnswerError, StateError
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

sys.path.insert(0, str(Path(__file__).parent))
from format2_support import SPEC_EXAMPLE2_YAML  # noqa: E402

TODAY = dt.date(2026, 4, 20)

WORKER_TOOL = """\
format: 2
id: worker-file
version: 1
title: Worker file
subject: worker
sections:
  - id: file
    title: The file
    grading: lowest
    questions:
      - id: quality
        text: How good is the file?
        type: grade
"""


def make_ws(tmp_path: Path, calendar: str = "england-and-wales") -> Workspace:
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    (tools / "linked.yaml").write_text(LINKED_TOOL, encoding="utf-8")
    (tools / "childs-voice-visits.yaml").write_text(SPEC_EXAMPLE2_YAML, encoding="utf-8")
    (tools / "worker-file.yaml").write_text(WORKER_TOOL, encoding="utf-8")
    db = tmp_path / "auditui.db"
    read = config_from_data({"organisation": {"calendar": calendar}}, db.with_name("c.toml"))
    config = Config(user=UserConfig(name="Sam Auditor"), organisation=read.organisation)
    ws = Workspace.open(db, ToolLibrary.load([tools], include_shipped=False), config)
    ws.today = lambda: TODAY
    return ws


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = make_ws(tmp_path)
    yield workspace
    workspace.close()


def start(ws: Workspace, case_type: str = "CLA", present: bool = False) -> str:
    return audits.start_audit(
        ws, "childs-voice-visits", "ABC123", case_type, "North", "Pat", present
    )


def test_computed_answers_follow_the_dates_in_the_audits_calendar(ws: Workspace) -> None:
    audit_id = start(ws)
    audits.answer(ws, audit_id, "allocated_on", "2026-04-01")
    state = audits.answer(ws, audit_id, "first_visit_on", "2026-04-10")
    assert state.grading.computed == {"working_days_to_visit": 5, "visit_in_timescale": "yes"}
    assert state.calendar == "england-and-wales"
    # A date changed: the counts follow at once.
    state = audits.answer(ws, audit_id, "first_visit_on", "2026-04-15")
    assert state.grading.computed == {"working_days_to_visit": 8, "visit_in_timescale": "no"}
    # The same counts come back from a fresh read of the database.
    ws.audit_cache.clear()
    assert audits.load(ws, audit_id).grading.computed["working_days_to_visit"] == 8


def test_the_calendar_in_force_when_the_audit_starts_is_kept(tmp_path: Path) -> None:
    scotland = make_ws(tmp_path, "scotland")
    audit_id = start(scotland)
    scotland.close()
    later = make_ws(tmp_path, "england-and-wales")  # the organisation changed its setting
    try:
        audits.answer(later, audit_id, "allocated_on", "2026-04-01")
        state = audits.answer(later, audit_id, "first_visit_on", "2026-04-10")
        assert state.calendar == "scotland"
        # Scotland has Good Friday but not Easter Monday: 6 working days, not 5.
        assert state.grading.computed["working_days_to_visit"] == 6
    finally:
        later.close()


def test_an_answer_to_a_computed_question_is_refused_naming_it(ws: Workspace) -> None:
    audit_id = start(ws)
    with pytest.raises(InvalidAnswerError, match="^Q2.1 Working days from allocation"):
        audits.answer(ws, audit_id, "working_days_to_visit", 3)
    assert ws.store.one("SELECT count(*) FROM answers")[0] == 0


def test_a_date_before_the_date_it_names_is_refused_naming_both(ws: Workspace) -> None:
    audit_id = start(ws)
    audits.answer(ws, audit_id, "first_visit_on", "2026-04-03")
    with pytest.raises(InvalidAnswerError) as refused:
        audits.answer(ws, audit_id, "allocated_on", "2026-04-10")
    assert refused.value.message == (
        "Q1.2 Date of the first visit after allocation takes a date on or after the answer to "
        "Q1.1 Date the case was allocated (Fri 10 Apr 2026), not Fri 3 Apr 2026."
    )
    assert audits.load(ws, audit_id).answers == {"first_visit_on": "2026-04-03"}


def test_a_section_marked_not_applicable_is_hidden_and_keeps_its_reason(ws: Workspace) -> None:
    audit_id = start(ws)
    audits.answer(ws, audit_id, "review_participation", "good")
    state = audits.set_section_na(ws, audit_id, "cla_review", "First review not yet due.")
    assert state.sections_na == {"cla_review": "First review not yet due."}
    assert "review_participation" not in state.grading.visible
    assert state.grading.sections["cla_review"].final is None
    ws.audit_cache.clear()
    again = audits.load(ws, audit_id)
    assert again.sections_na == {"cla_review": "First review not yet due."}
    assert again.answers["review_participation"] == "good"  # kept, ignored
    events = [r[0] for r in ws.store.query("SELECT event FROM audit_events ORDER BY id")]
    assert events[-1] == "section_na:cla_review"
    cleared = audits.set_section_na(ws, audit_id, "cla_review", None)
    assert cleared.sections_na == {} and "review_participation" in cleared.grading.visible


@pytest.mark.parametrize(
    ("section", "reason", "error", "words"),
    [
        ("seen", "Not needed.", StateError, "^Section 2 Seeing the child cannot be marked"),
        (
            "cla_review",
            "   ",
            InvalidAnswerError,
            "^Reason: say why Section 4 The child.s last looked after review does not",
        ),
        ("nowhere", "Gone.", Exception, "nowhere"),
    ],
)
def test_marking_a_section_is_refused_where_the_tool_does_not_allow_it(
    ws: Workspace, section: str, reason: str, error: type[Exception], words: str
) -> None:
    audit_id = start(ws)
    with pytest.raises(error, match=words):
        audits.set_section_na(ws, audit_id, section, reason)
    assert ws.store.one("SELECT count(*) FROM sections_na")[0] == 0


LINKED_TOOL = """\
format: 2
id: linked
version: 1
title: Linked dates across a section
sections:
  - id: first
    title: First
    grading: none
    questions:
      - id: referral_on
        text: Referral
        type: date
  - id: later
    title: Later
    allow_na: true
    show_if: {detail: kind, in: [case_file, deep_dive]}
    grading: none
    questions:
      - id: decided_on
        text: Decision
        type: date
        min: {question: referral_on}
  - id: quality
    title: Quality
    grading: lowest
    questions:
      - id: q
        text: How good?
        type: grade
"""


def test_clearing_a_mark_or_changing_a_detail_that_would_show_broken_dates_is_refused(
    tmp_path: Path,
) -> None:
    ws = make_ws(tmp_path)
    try:
        audit_id = audits.start_audit(ws, "linked", "R1", "CIN", "North", "Pat", True)
        audits.answer(ws, audit_id, "decided_on", "2026-04-01")
        audits.set_section_na(ws, audit_id, "later", "Decided elsewhere.")
        audits.answer(ws, audit_id, "referral_on", "2026-04-10")  # fine: decided_on is hidden
        with pytest.raises(InvalidAnswerError, match="^Q2.1 Decision .* answer to Q1.1 Referral "):
            audits.set_section_na(ws, audit_id, "later", None)
        assert audits.load(ws, audit_id).sections_na == {"later": "Decided elsewhere."}

        audits.set_details(ws, audit_id, kind="themed")
        audits.set_section_na(ws, audit_id, "later", None)  # hidden by its kind: allowed
        with pytest.raises(InvalidAnswerError, match="^Q2.1 Decision .* answer to Q1.1 Referral "):
            audits.set_details(ws, audit_id, kind="deep_dive")
        assert audits.load(ws, audit_id).audit.kind == "themed"
    finally:
        ws.close()


def test_details_pass_to_conditions(ws: Workspace) -> None:
    audit_id = start(ws, case_type="CIN", present=False)
    state = audits.load(ws, audit_id)
    assert "cla_review" not in (state.grading.shown_sections or ())
    assert "practitioner_reflection" not in state.grading.visible
    state = audits.set_details(ws, audit_id, case_type="CLA", practitioner_present=True)
    assert "cla_review" in (state.grading.shown_sections or ())
    assert "practitioner_reflection" in state.grading.visible
    with pytest.raises(InvalidAnswerError, match="applies to CIN, CP, CLA"):
        audits.set_details(ws, audit_id, case_type="EH")


def test_rationale_always_is_asked_for_and_counted_at_finalise(ws: Workspace) -> None:
    audit_id = start(ws, case_type="CIN")
    for qid, value in [
        ("allocated_on", "2026-04-01"),
        ("first_visit_on", "2026-04-02"),
        ("seen_alone", "yes"),
        ("direct_work_tools", ["other"]),
        ("voice_quality", "good"),
    ]:
        audits.answer(ws, audit_id, qid, value)
    audits.set_evidence(ws, audit_id, "voice_quality", "The plan quotes the child.")
    with pytest.raises(InvalidAnswerError, match="always"):
        audits.set_grade(ws, audit_id, "voice", "good")
    with pytest.raises(IncompleteAuditError) as refused:
        audits.finalise(ws, audit_id)
    missing = refused.value.missing
    assert "Section 3 Wishes and feelings: needs a written rationale for its grade" in missing
    assert "Overall: needs a written rationale for its grade" in missing
    audits.set_grade(ws, audit_id, "voice", "good", "The child's words are in the plan.")
    audits.set_grade(ws, audit_id, "overall", "good", "Prompt visits, the child heard.")
    with pytest.raises(StateError, match="not graded"):
        audits.set_grade(ws, audit_id, "profile", "good", "No.")
    assert audits.finalise(ws, audit_id).audit.status == "finalised"


def test_a_worker_audit_has_no_case(ws: Workspace) -> None:
    audit_id = audits.start_audit(ws, "worker-file", "", "", "North", "Pat Jones", True)
    state = audits.load(ws, audit_id)
    assert state.audit.case_ref == "" and state.audit.case_type == ""
    assert state.details["case_type"] is None
    row = ws.store.one("SELECT subject, calendar FROM audits WHERE id = ?", (audit_id,))
    assert tuple(row) == ("worker", "england-and-wales")
    with pytest.raises(InvalidAnswerError, match="no case reference"):
        audits.start_audit(ws, "worker-file", "ABC1", "", "North", "Pat Jones", True)
    with pytest.raises(InvalidAnswerError, match="Case type"):
        audits.start_audit(ws, "childs-voice-visits", "ABC1", "", "North", "Pat", True)


def test_a_finalised_audit_keeps_the_computed_answers_it_was_finalised_with(
    ws: Workspace,
) -> None:
    audit_id = start(ws, case_type="CIN")
    for qid, value in [
        ("allocated_on", "2026-04-01"),
        ("first_visit_on", "2026-04-10"),
        ("seen_alone", "yes"),
        ("direct_work_tools", ["other"]),
        ("voice_quality", "good"),
    ]:
        audits.answer(ws, audit_id, qid, value)
    audits.set_evidence(ws, audit_id, "voice_quality", "The plan quotes the child.")
    audits.set_grade(ws, audit_id, "voice", "good", "The child's words are in the plan.")
    audits.set_grade(ws, audit_id, "overall", "good", "Prompt visits, the child heard.")
    audits.finalise(ws, audit_id)
    stored = dict(
        ws.store.query(
            "SELECT question_id, value FROM answers WHERE audit_id = ? AND question_id IN"
            " ('working_days_to_visit', 'visit_in_timescale')",
            (audit_id,),
        )
    )
    assert stored == {"working_days_to_visit": "5", "visit_in_timescale": '"yes"'}
    state = audits.load(ws, audit_id)
    assert state.grading.complete and state.grading.computed["working_days_to_visit"] == 5
