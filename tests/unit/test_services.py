"""What an auditor does, through the services, on a real SQLite file.

Each refusal must name what is wrong and change nothing; each accepted
change must be in the database (and its history) when the call returns.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditui.config import Config, UserConfig, config_from_data
from auditui.errors import (
    IncompleteAuditError,
    InvalidAnswerError,
    NotFoundError,
    StateError,
    UnknownToolError,
)
from auditui.services import actions, audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

TEST_TOOL = """\
format: 1
id: test-tool
version: {version}
title: Test tool
applies_to: [CIN, CP]
grading: {{overall: lowest_section}}
sections:
  - id: facts
    title: Facts
    grading: score
    questions:
      - id: seen
        text: Was the child seen?
        type: yes_no
        evidence: when_not_yes
        points: {{yes: 1, no: 0}}
      - id: why_not_seen
        text: Why was the child not seen?
        type: text
        max_length: 50
        show_if: {{question: seen, equals: no}}
      - id: visits
        text: How many visits were there?
        type: number
        min: 0
        max: 20
        integer: true
      - id: last_visit
        text: When was the last visit?
        type: date
        max: today
      - id: tools_used
        text: Which direct-work tools were used?
        type: multi
        options:
          - {{id: momo, label: Mind of My Own}}
          - {{id: other, label: Other}}
{extra}
  - id: quality
    title: Quality of practice
    questions:
      - id: practice
        text: How good is the practice?
        type: grade
"""

EXTRA_V2 = """\
      - id: advocacy
        text: Was advocacy offered?
        type: yes_no
"""

TODAY = dt.date(2026, 12, 1)
USER = "Sam Auditor"


def write_tool(tools: Path, version: int, extra: str = "") -> None:
    text = TEST_TOOL.format(version=version, extra=extra.rstrip("\n"))
    (tools / f"test-tool-v{version}.yaml").write_text(text, encoding="utf-8")


def make_ws(db: Path, tools: Path, **organisation: object) -> Workspace:
    read = config_from_data({"organisation": organisation}, db.with_name("config.toml"))
    config = Config(user=UserConfig(name=USER), organisation=read.organisation)
    ws = Workspace.open(db, ToolLibrary.load([tools], include_shipped=False), config)
    ws.today = lambda: TODAY
    return ws


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    directory = tmp_path / "tools"
    directory.mkdir()
    write_tool(directory, 1)
    return directory


@pytest.fixture
def ws(tmp_path: Path, tools: Path) -> Iterator[Workspace]:
    workspace = make_ws(tmp_path / "auditui.db", tools)
    yield workspace
    workspace.close()


def start(ws: Workspace, tool: str = "test-tool", case_type: str = "CP", **kw: object) -> str:
    args: dict[str, object] = {"case_ref": "ABC123", "team": "North", "practitioner": "Pat"}
    args.update(kw)
    return audits.start_audit(
        ws,
        tool,
        str(args["case_ref"]),
        case_type,
        str(args["team"]),
        str(args["practitioner"]),
        True,
    )


def complete(ws: Workspace, audit_id: str) -> None:
    audits.answer(ws, audit_id, "seen", "yes")
    audits.answer(ws, audit_id, "visits", 3)
    audits.answer(ws, audit_id, "last_visit", "2026-11-20")
    audits.answer(ws, audit_id, "tools_used", ["momo"])
    audits.answer(ws, audit_id, "practice", "good")
    audits.set_grade(ws, audit_id, "quality", "good")


def status_of(ws: Workspace, audit_id: str) -> tuple[str, int]:
    row = ws.store.one("SELECT status, revision FROM audits WHERE id = ?", (audit_id,))
    assert row is not None
    return row["status"], row["revision"]


def outbox(ws: Workspace, audit_id: str) -> list[sqlite3.Row]:
    return ws.store.query(
        "SELECT revision, status, payload FROM outbox WHERE audit_id = ? ORDER BY revision",
        (audit_id,),
    )


# Starting an audit


def test_start_refuses_a_case_type_the_tool_does_not_apply_to(ws: Workspace) -> None:
    with pytest.raises(InvalidAnswerError) as caught:
        start(ws, case_type="EH")
    assert "CIN, CP" in caught.value.message and "EH" in caught.value.message
    assert ws.store.query("SELECT * FROM audits") == []


def test_start_refuses_a_case_reference_off_the_pattern(tmp_path: Path, tools: Path) -> None:
    ws = make_ws(tmp_path / "a.db", tools, case_reference_pattern=r"[A-Z]{2}\d{6}")
    try:
        with pytest.raises(InvalidAnswerError) as caught:
            start(ws, case_ref="Jane Smith")
        assert "not in the form your organisation uses" in caught.value.message
        assert "Jane Smith" in caught.value.message and "\\d" not in caught.value.message
        assert start(ws, case_ref="AB123456")
        typed_lower = start(ws, case_ref="cd654321")
        assert audits.load(ws, typed_lower).audit.case_ref == "CD654321"
    finally:
        ws.close()


def test_start_refuses_a_team_not_configured(tmp_path: Path, tools: Path) -> None:
    ws = make_ws(tmp_path / "a.db", tools, teams=["North", "South"])
    try:
        with pytest.raises(InvalidAnswerError, match="'East' is not one of .*North, South"):
            start(ws, team="East")
        assert start(ws, team="South")
    finally:
        ws.close()


def test_start_refuses_an_unknown_tool(ws: Workspace) -> None:
    with pytest.raises(UnknownToolError, match="no-such-tool.*known tools: test-tool"):
        start(ws, tool="no-such-tool")


# Answering


@pytest.mark.parametrize(
    ("question", "value", "words"),
    [
        ("seen", "maybe", "takes one of yes, no"),
        ("visits", 25, "at most 20"),
        ("visits", -1, "at least 0"),
        ("visits", 2.5, "whole number"),
        ("visits", "three", "takes a number"),
        ("last_visit", "2026-02-30", "YYYY-MM-DD"),
        ("last_visit", "2027-01-01", "on or before Tue 1 Dec 2026, not Fri 1 Jan 2027"),
        ("tools_used", ["momo", "teddy"], "no option 'teddy'"),
        ("tools_used", "momo", "list of options"),
    ],
)
def test_answer_refuses_a_value_off_the_type(
    ws: Workspace, question: str, value: object, words: str
) -> None:
    audit_id = start(ws)
    with pytest.raises(InvalidAnswerError) as caught:
        audits.answer(ws, audit_id, question, value)
    # Named by its number and words, as on the form (issue 13 item 8), never by its id.
    question_words = ws.library.get("test-tool").question(question)
    assert question_words is not None
    assert caught.value.message.startswith("Q1.")
    assert question_words.text in caught.value.message
    assert f"'{question}'" not in caught.value.message
    assert words in caught.value.message
    assert ws.store.query("SELECT * FROM answers") == []
    assert ws.store.query("SELECT * FROM answer_history") == []


def test_answer_refuses_text_over_its_limit(ws: Workspace) -> None:
    audit_id = start(ws)
    audits.answer(ws, audit_id, "seen", "no", "The family did not answer the door.")
    with pytest.raises(
        InvalidAnswerError, match=r"^Q1.2 Why was the child not seen\? takes at most 50 characters"
    ):
        audits.answer(ws, audit_id, "why_not_seen", "x" * 51)
    state = audits.answer(ws, audit_id, "why_not_seen", "x" * 50)
    assert state.answers["why_not_seen"] == "x" * 50


def test_answer_refuses_a_hidden_question(ws: Workspace) -> None:
    audit_id = start(ws)
    with pytest.raises(StateError, match=r"^Q1.2 Why was the child not seen\? is hidden"):
        audits.answer(ws, audit_id, "why_not_seen", "They were away.")
    audits.answer(ws, audit_id, "seen", "yes")
    with pytest.raises(StateError, match="hidden"):
        audits.answer(ws, audit_id, "why_not_seen", "They were away.")
    assert audits.load(ws, audit_id).answers == {"seen": "yes"}


def test_answer_refuses_an_unknown_question_and_an_unknown_audit(ws: Workspace) -> None:
    audit_id = start(ws)
    with pytest.raises(NotFoundError, match="no question 'seen_twice'"):
        audits.answer(ws, audit_id, "seen_twice", "yes")
    with pytest.raises(NotFoundError, match="no audit 'nope'"):
        audits.answer(ws, "nope", "seen", "yes")


def test_every_change_is_in_the_history_with_who_and_old_and_new(ws: Workspace) -> None:
    audit_id = start(ws)
    audits.answer(ws, audit_id, "seen", "yes")
    state = audits.answer(ws, audit_id, "seen", "no", "Parents refused entry.")
    assert state.answers["seen"] == "no" and state.evidence["seen"] == "Parents refused entry."
    audits.answer(ws, audit_id, "seen", "no")  # no change at all: no history
    rows = ws.store.query(
        "SELECT question_id, field, old, new, changed_by FROM answer_history ORDER BY id"
    )
    assert [tuple(r) for r in rows] == [
        ("seen", "value", None, '"yes"', USER),
        ("seen", "value", '"yes"', '"no"', USER),
        ("seen", "evidence", None, "Parents refused entry.", USER),
    ]
    stored = ws.store.query("SELECT value, evidence, answered_by FROM answers")
    assert [tuple(r) for r in stored] == [('"no"', "Parents refused entry.", USER)]


# Grades


def test_a_grade_unlike_the_suggestion_needs_a_rationale(ws: Workspace) -> None:
    audit_id = start(ws)
    state = audits.answer(ws, audit_id, "seen", "yes")
    assert state.grading.sections["facts"].suggested == "outstanding"
    with pytest.raises(InvalidAnswerError, match="Rationale: .*Outstanding.*Good"):
        audits.set_grade(ws, audit_id, "facts", "good")
    assert audits.load(ws, audit_id).chosen == {}
    state = audits.set_grade(ws, audit_id, "facts", "good", "One visit was missed.")
    assert state.grading.sections["facts"].final == "good"
    assert audits.load(ws, audit_id).rationale == {"facts": "One visit was missed."}
    state = audits.set_grade(ws, audit_id, "facts", None)
    assert state.grading.sections["facts"].final == "outstanding"


def test_a_judgement_section_needs_no_rationale(ws: Workspace) -> None:
    audit_id = start(ws)
    state = audits.set_grade(ws, audit_id, "quality", "requires_improvement")
    assert state.grading.sections["quality"].final == "requires_improvement"
    with pytest.raises(NotFoundError, match="'nowhere' is not a section"):
        audits.set_grade(ws, audit_id, "nowhere", "good")
    with pytest.raises(InvalidAnswerError, match="'great' is not one of"):
        audits.set_grade(ws, audit_id, "quality", "great")


# Ending and reopening


def test_finalise_lists_what_is_missing_then_accepts_a_complete_audit(ws: Workspace) -> None:
    audit_id = start(ws)
    audits.answer(ws, audit_id, "seen", "no")
    with pytest.raises(IncompleteAuditError) as caught:
        audits.finalise(ws, audit_id)
    missing = "\n".join(caught.value.missing)
    for expected in (
        "Q1.2 Why was the child not seen?: not answered",
        "Q1.3 How many visits were there?: not answered",
        "Q1.4 When was the last visit?: not answered",
        "Q1.5 Which direct-work tools were used?: not answered",
        "Section 2 Quality of practice: no grade",
        "Overall: no grade",
        "Q1.1 Was the child seen?: evidence needed for this answer",
    ):
        assert expected in missing
    assert "why_not_seen" not in missing and "quality:" not in missing
    assert status_of(ws, audit_id) == ("draft", 1)
    assert outbox(ws, audit_id) == []

    audits.answer(ws, audit_id, "seen", "yes")  # hides why_not_seen
    complete(ws, audit_id)
    state = audits.finalise(ws, audit_id, "2026-12-01")
    assert state.audit.status == "finalised" and state.audit.ended_on == TODAY
    assert state.grading.complete and state.grading.overall.final == "good"


def test_a_finalised_audit_is_read_only_until_reopened(ws: Workspace) -> None:
    audit_id = start(ws)
    complete(ws, audit_id)
    audits.finalise(ws, audit_id)
    for change in (
        lambda: audits.answer(ws, audit_id, "seen", "no"),
        lambda: audits.set_grade(ws, audit_id, "quality", "inadequate"),
        lambda: audits.set_evidence(ws, audit_id, "seen", "note"),
        lambda: audits.finalise(ws, audit_id),
    ):
        with pytest.raises(StateError) as caught:
            change()
        assert "read-only" in caught.value.message and "reopen" in caught.value.message
    assert audits.load(ws, audit_id).answers["seen"] == "yes"


def test_close_incomplete_needs_a_reason_and_queues_the_result(ws: Workspace) -> None:
    audit_id = start(ws)
    audits.answer(ws, audit_id, "seen", "yes")
    with pytest.raises(InvalidAnswerError, match="Reason"):
        audits.close_incomplete(ws, audit_id, "  ")
    assert status_of(ws, audit_id) == ("draft", 1)
    state = audits.close_incomplete(ws, audit_id, "Case closed before the audit.")
    assert state.audit.status == "closed_incomplete"
    [row] = outbox(ws, audit_id)
    assert (row["revision"], row["status"]) == (1, "closed_incomplete")
    payload = json.loads(row["payload"])
    assert payload["audit"]["end_reason"] == "Case closed before the audit."
    assert payload["audit"]["complete"] is False


def test_close_incomplete_refuses_a_date_before_the_audit_started(ws: Workspace) -> None:
    audit_id = start(ws)  # started on TODAY
    with pytest.raises(InvalidAnswerError) as caught:
        audits.close_incomplete(ws, audit_id, "Case transferred.", "2026-11-30")
    assert caught.value.message == (
        "Close date: 2026-11-30 is before the audit started (2026-12-01)."
    )
    assert status_of(ws, audit_id) == ("draft", 1)
    assert outbox(ws, audit_id) == []
    state = audits.close_incomplete(ws, audit_id, "Case transferred.", TODAY)  # same day is fine
    assert (state.audit.status, state.audit.ended_on) == ("closed_incomplete", TODAY)


def test_reopen_makes_a_new_revision_that_finalises_again(ws: Workspace) -> None:
    audit_id = start(ws)
    complete(ws, audit_id)
    audits.finalise(ws, audit_id)
    with pytest.raises(InvalidAnswerError, match="Reason"):
        audits.reopen(ws, audit_id, "")
    state = audits.reopen(ws, audit_id, "Moderation found a missed visit.")
    assert (state.audit.status, state.audit.revision) == ("draft", 2)
    with pytest.raises(StateError, match="draft already"):
        audits.reopen(ws, audit_id, "again")
    audits.answer(ws, audit_id, "visits", 2)
    audits.finalise(ws, audit_id)
    rows = outbox(ws, audit_id)
    assert [(r["revision"], r["status"]) for r in rows] == [(1, "finalised"), (2, "finalised")]
    assert [json.loads(r["payload"])["answers"][1]["value"] for r in rows] == [3, 2]


def test_the_outbox_row_and_the_status_change_are_one_transaction(ws: Workspace) -> None:
    audit_id = start(ws)
    complete(ws, audit_id)
    action_id = actions.add_action(ws, audit_id, "Pat", "Update the chronology.")
    due_before = actions.list_actions(ws)[0].action.due
    ws.store.conn.execute(
        "CREATE TRIGGER outbox_fails BEFORE INSERT ON outbox"
        " BEGIN SELECT RAISE(ABORT, 'simulated failure writing the outbox'); END"
    )
    with pytest.raises(sqlite3.DatabaseError, match="simulated failure"):
        audits.finalise(ws, audit_id, "2026-12-10")
    assert status_of(ws, audit_id) == ("draft", 1)
    assert ws.store.query("SELECT * FROM audit_events WHERE event = 'finalised'") == []
    assert actions.list_actions(ws)[0].action.due == due_before  # re-dating rolled back too

    ws.store.conn.execute("DROP TRIGGER outbox_fails")
    audits.finalise(ws, audit_id, "2026-12-10")
    assert status_of(ws, audit_id) == ("finalised", 1)
    [row] = outbox(ws, audit_id)
    payload = json.loads(row["payload"])
    assert payload["audit"]["status"] == "finalised"
    assert payload["actions"][0]["id"] == action_id
    assert payload["actions"][0]["due"] == "2027-01-12"


# Tool versions


def test_an_audit_grades_on_the_tool_version_it_started_on(tmp_path: Path, tools: Path) -> None:
    db = tmp_path / "auditui.db"
    ws = make_ws(db, tools)
    old_id = start(ws)
    ws.close()

    write_tool(tools, 2, EXTRA_V2)
    ws = make_ws(db, tools)
    try:
        old = audits.load(ws, old_id)
        assert old.tool.version == 1
        assert "advocacy" not in {q.id for q in old.tool.questions}
        with pytest.raises(NotFoundError, match="no question 'advocacy'"):
            audits.answer(ws, old_id, "advocacy", "yes")
        complete(ws, old_id)
        assert audits.finalise(ws, old_id).grading.complete  # v1 needs no advocacy answer

        new_id = start(ws)
        new = audits.answer(ws, new_id, "advocacy", "yes")
        assert new.audit.tool_version == 2
        complete(ws, new_id)
        assert audits.load(ws, new_id).grading.complete
        row = ws.store.one("SELECT tool_version FROM audits WHERE id = ?", (old_id,))
        assert row is not None and row["tool_version"] == 1
    finally:
        ws.close()


# Actions


def test_action_due_date_is_twenty_working_days_after_finalising(ws: Workspace) -> None:
    audit_id = start(ws)
    complete(ws, audit_id)
    during = actions.add_action(ws, audit_id, "Pat", "Update the genogram.")
    draft_due = actions.list_actions(ws)[0].action.due
    assert draft_due == ws.calendar.add_working_days(TODAY, 20)
    ws.today = lambda: dt.date(2026, 12, 10)
    audits.finalise(ws, audit_id, "2026-12-10")
    after = actions.add_action(ws, audit_id, "Pat", "Visit the child alone.")
    dues = {view.action.id: view.action.due for view in actions.list_actions(ws)}
    # Christmas Day, Boxing Day (substitute Mon 28) and New Year's Day fall in between.
    assert dues == {during: dt.date(2027, 1, 12), after: dt.date(2027, 1, 12)}
    assert actions.default_due(ws, audit_id) == dt.date(2027, 1, 12)


def test_an_explicit_due_date_must_be_a_working_day(ws: Workspace) -> None:
    audit_id = start(ws)
    with pytest.raises(InvalidAnswerError) as caught:
        actions.add_action(ws, audit_id, "Pat", "Visit.", "2027-01-16")
    assert "Sat 16 Jan 2027 is not a working day" in caught.value.message
    assert "Mon 18 Jan 2027" in caught.value.message
    with pytest.raises(InvalidAnswerError, match="Due date: '2027-02-30' is not a date"):
        actions.add_action(ws, audit_id, "Pat", "Visit.", "2027-02-30")
    with pytest.raises(InvalidAnswerError, match="Owner"):
        actions.add_action(ws, audit_id, " ", "Visit.")
    assert actions.list_actions(ws) == []
    actions.add_action(ws, audit_id, "Pat", "Visit.", "2027-01-18")
    assert actions.list_actions(ws)[0].action.due == dt.date(2027, 1, 18)


def test_a_due_date_is_not_before_the_audit_ended_nor_today_for_a_draft(ws: Workspace) -> None:
    audit_id = start(ws)
    with pytest.raises(InvalidAnswerError, match="Due date: Mon 30 Nov 2026 is before today"):
        actions.add_action(ws, audit_id, "Pat", "Visit.", "30/11/2026")
    complete(ws, audit_id)
    ws.today = lambda: dt.date(2026, 12, 10)
    audits.finalise(ws, audit_id, "2026-12-08")
    ws.today = lambda: dt.date(2026, 12, 20)
    with pytest.raises(InvalidAnswerError, match=r"before the audit ended \(Tue 8 Dec 2026\)"):
        actions.add_action(ws, audit_id, "Pat", "Visit.", "2026-12-07")
    with pytest.raises(InvalidAnswerError, match="more than 10 years away"):
        actions.add_action(ws, audit_id, "Pat", "Visit.", "2040-01-02")
    assert actions.list_actions(ws) == []
    late_agreed = actions.add_action(ws, audit_id, "Pat", "Visit.", "2026-12-08")
    with pytest.raises(InvalidAnswerError, match="before the audit ended"):
        actions.edit_action(ws, late_agreed, due="2026-12-01")
    assert actions.list_actions(ws)[0].action.due == dt.date(2026, 12, 8)


def test_complete_and_cancel_an_action(ws: Workspace) -> None:
    audit_id = start(ws)
    first = actions.add_action(ws, audit_id, "Pat", "Update the chronology.")
    second = actions.add_action(ws, audit_id, "Pat", "Refer to advocacy.")
    with pytest.raises(InvalidAnswerError, match="before the action was agreed"):
        actions.complete_action(ws, first, "2026-11-30")
    ws.today = lambda: dt.date(2026, 12, 4)
    with pytest.raises(InvalidAnswerError, match=r"Completed on: 2026-12-05 is in the future"):
        actions.complete_action(ws, first, "5/12/2026")
    done = actions.complete_action(ws, first, "2026-12-04", "Chronology updated on file.")
    assert (done.status, done.completed_on, done.evidence) == (
        "done",
        dt.date(2026, 12, 4),
        "Chronology updated on file.",
    )
    assert done.on_time is True
    with pytest.raises(StateError, match="already done"):
        actions.complete_action(ws, first)
    with pytest.raises(InvalidAnswerError, match="Reason"):
        actions.cancel_action(ws, second, "")
    cancelled = actions.cancel_action(ws, second, "Child moved out of area.")
    assert cancelled.status == "cancelled"
    with pytest.raises(StateError, match="already cancelled"):
        actions.complete_action(ws, second)
    with pytest.raises(NotFoundError, match="no action"):
        actions.complete_action(ws, "nope")
    views = actions.list_actions(ws)
    assert {v.action.status for v in views} == {"done", "cancelled"}
    assert all(v.working_days_left is None for v in views)


def test_list_actions_due_within_and_overdue(ws: Workspace) -> None:
    audit_id = start(ws)
    soon = actions.add_action(ws, audit_id, "Pat", "Soon.", "2027-01-12")
    late = actions.add_action(ws, audit_id, "Pat", "Late.", "2027-01-04")
    later = actions.add_action(ws, audit_id, "Lee", "Later.", "2027-03-01")
    done = actions.add_action(ws, audit_id, "Pat", "Done.", "2027-01-06")
    ws.today = lambda: dt.date(2027, 1, 5)
    actions.complete_action(ws, done, "2026-12-02")

    overdue = actions.list_actions(ws, overdue=True)
    assert [v.action.id for v in overdue] == [late]
    assert overdue[0].working_days_left == -1

    within = actions.list_actions(ws, due_within=5)
    assert [v.action.id for v in within] == [late, soon]
    assert [v.working_days_left for v in within] == [-1, 5]
    assert [v.action.id for v in actions.list_actions(ws, due_within=4)] == [late]

    assert len(actions.list_actions(ws)) == 4
    assert [v.action.id for v in actions.list_actions(ws, owner="Lee")] == [later]
    assert [v.action.id for v in actions.list_actions(ws, status="done")] == [done]
    assert actions.list_actions(ws, team="South") == []
    assert len(actions.list_actions(ws, team="North")) == 4


def test_rationales_and_findings_are_bounded_where_typed(ws: Workspace) -> None:
    from auditui.domain.records import NOTE_LIMIT

    audit_id = start(ws)
    too_long = "r" * (NOTE_LIMIT + 1)
    with pytest.raises(InvalidAnswerError, match="^Rationale: 20,001 characters"):
        audits.set_grade(ws, audit_id, "overall", "good", too_long)
    with pytest.raises(InvalidAnswerError, match="^Strengths: 20,001 characters"):
        audits.set_findings(ws, audit_id, strengths=too_long)
    assert audits.load(ws, audit_id).audit.findings["strengths"] is None


def test_a_hub_completion_dated_in_the_future_is_refused_before_the_hub_is_asked(
    ws: Workspace,
) -> None:
    from auditui.services.sync import complete_hub_action

    tomorrow = ws.today() + dt.timedelta(days=1)
    with pytest.raises(InvalidAnswerError, match="^Completed on: .* is in the future"):
        complete_hub_action(ws, "/nonexistent/hub", "a1b2c3d4", tomorrow, None)
