"""The workspace's audit cache must never serve an audit older than the file.

Answering keeps the audit in memory between calls (``services/audit_cache.py``).
These tests write from a second workspace on the same file (another window),
from raw SQL on the same connection, and from a transaction that rolls
back, and check each time that what a workspace returns is exactly what a
fresh read of the file gives, and that the stored grades and summary
columns match a grading from scratch.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_services import make_ws, start, write_tool

from auditui.domain.grading import grade_audit
from auditui.errors import AuditUIError, StateError
from auditui.services import audits
from auditui.services.audit_state import AuditState
from auditui.services.workspace import Workspace
from auditui.store import audits as rows


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    directory = tmp_path / "tools"
    directory.mkdir()
    write_tool(directory, 1)
    return directory


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "auditui.db"


@pytest.fixture
def first(db: Path, tools: Path) -> Iterator[Workspace]:
    ws = make_ws(db, tools)
    yield ws
    ws.close()


@pytest.fixture
def second(db: Path, tools: Path) -> Iterator[Workspace]:
    ws = make_ws(db, tools)
    yield ws
    ws.close()


def fresh(db: Path, tools: Path, audit_id: str) -> AuditState:
    """The audit as a brand-new connection reads it."""
    ws = make_ws(db, tools)
    try:
        return audits.load(ws, audit_id)
    finally:
        ws.close()


def assert_stored_grading_is_current(db: Path, audit_id: str, state: AuditState) -> None:
    """The grades rows and summary columns are what grading the answers from scratch gives."""
    expected = grade_audit(state.tool, state.answers, state.evidence, state.chosen)
    assert state.grading == expected
    conn = sqlite3.connect(db)
    try:
        stored = {row[1]: row for row in rows.stored_grades(conn, audit_id).values()}
        wanted = {row[1]: row for row in rows.grade_rows(audit_id, expected, state.rationale)}
        assert {scope: stored.get(scope) for scope in wanted} == wanted
        progress, overall, complete = conn.execute(
            "SELECT progress, overall_grade, complete FROM audits WHERE id = ?", (audit_id,)
        ).fetchone()
        assert (progress, overall, bool(complete)) == (
            expected.progress,
            expected.overall.final,
            expected.complete,
        )
    finally:
        conn.close()


def test_answers_from_another_window_are_seen_by_the_next_answer(
    first: Workspace, second: Workspace, db: Path, tools: Path
) -> None:
    audit_id = start(first)
    audits.answer(first, audit_id, "seen", "yes")  # first now holds the audit in memory
    audits.answer(second, audit_id, "visits", 3)
    audits.set_evidence(second, audit_id, "seen", "Seen alone at school.")

    state = audits.answer(first, audit_id, "tools_used", ["momo"])

    assert state.answers == {"seen": "yes", "visits": 3, "tools_used": ["momo"]}
    assert state.evidence == {"seen": "Seen alone at school."}
    assert state == fresh(db, tools, audit_id)
    assert audits.load(second, audit_id) == state
    assert_stored_grading_is_current(db, audit_id, state)


def test_a_question_shown_by_another_windows_answer_can_be_answered(
    first: Workspace, second: Workspace
) -> None:
    audit_id = start(first)
    audits.answer(first, audit_id, "seen", "yes")  # hides why_not_seen, in first's memory
    audits.answer(second, audit_id, "seen", "no")  # shows it again

    state = audits.answer(first, audit_id, "why_not_seen", "Away on holiday")

    assert state.answers["why_not_seen"] == "Away on holiday"
    assert "why_not_seen" in state.grading.visible


def test_an_audit_finalised_in_another_window_is_read_only_here(
    first: Workspace, second: Workspace
) -> None:
    audit_id = start(first)
    audits.answer(first, audit_id, "seen", "yes")
    for question, value in (("visits", 2), ("last_visit", "2026-11-20"), ("tools_used", [])):
        audits.answer(second, audit_id, question, value)
    audits.set_grade(second, audit_id, "quality", "good")
    audits.set_grade(second, audit_id, "overall", None)
    audits.answer(second, audit_id, "practice", "good")
    audits.finalise(second, audit_id)

    with pytest.raises(StateError, match="finalised and read-only"):
        audits.answer(first, audit_id, "visits", 5)
    assert audits.load(first, audit_id).audit.status == "finalised"


def test_a_write_on_the_same_connection_outside_the_services_is_seen(
    first: Workspace, db: Path, tools: Path
) -> None:
    audit_id = start(first)
    audits.answer(first, audit_id, "seen", "yes")
    with first.store.transaction() as conn:
        conn.execute(
            "UPDATE answers SET value = '\"no\"' WHERE audit_id = ? AND question_id = 'seen'",
            (audit_id,),
        )

    assert audits.load(first, audit_id).answers["seen"] == "no"
    state = audits.answer(first, audit_id, "why_not_seen", "Refused entry")  # shown by "no"
    assert state == fresh(db, tools, audit_id)


def test_uncommitted_rows_read_inside_a_rolled_back_transaction_are_not_served(
    first: Workspace, db: Path, tools: Path
) -> None:
    audit_id = start(first)
    audits.answer(first, audit_id, "seen", "yes")

    with pytest.raises(RuntimeError), first.store.transaction() as conn:
        conn.execute(
            "UPDATE answers SET value = '\"no\"' WHERE audit_id = ? AND question_id = 'seen'",
            (audit_id,),
        )
        assert audits.load(first, audit_id).answers["seen"] == "no"  # read, and cached
        raise RuntimeError("the change is abandoned")

    assert audits.load(first, audit_id).answers["seen"] == "yes"
    assert audits.load(first, audit_id) == fresh(db, tools, audit_id)


def test_a_refused_answer_leaves_the_audit_as_it_was(
    first: Workspace, db: Path, tools: Path
) -> None:
    audit_id = start(first)
    before = audits.answer(first, audit_id, "seen", "yes")
    with pytest.raises(AuditUIError):
        audits.answer(first, audit_id, "visits", 99)  # above the question's max
    with pytest.raises(StateError):
        audits.answer(first, audit_id, "why_not_seen", "x")  # hidden
    assert audits.load(first, audit_id) == before == fresh(db, tools, audit_id)


def test_changing_a_returned_state_does_not_change_the_next_one(first: Workspace) -> None:
    audit_id = start(first)
    state = audits.answer(first, audit_id, "seen", "yes")
    state.answers["seen"] = "no"
    state.evidence["seen"] = "made up"
    state.grading.missing.clear()
    again = audits.load(first, audit_id)
    assert again.answers == {"seen": "yes"} and again.evidence == {}
    assert again.grading.missing


def _random_change(rng: random.Random, ws: Workspace, audit_id: str) -> None:
    choice = rng.randrange(6)
    try:
        if choice == 0:
            audits.answer(ws, audit_id, "seen", rng.choice(["yes", "no", None]))
        elif choice == 1:
            audits.answer(ws, audit_id, "visits", rng.choice([0, 3, 20, None]))
        elif choice == 2:
            audits.answer(ws, audit_id, "why_not_seen", rng.choice(["Away", None]))
        elif choice == 3:
            note = rng.choice(["Seen at home.", "", None])
            audits.set_evidence(ws, audit_id, rng.choice(["seen", "visits"]), note)
        elif choice == 4:
            audits.answer(ws, audit_id, "practice", rng.choice(["good", "outstanding", None]))
        else:
            grade: Any = rng.choice(["good", "inadequate", None])
            audits.set_grade(ws, audit_id, rng.choice(["facts", "quality", "overall"]), grade, "x")
    except StateError:
        pass  # why_not_seen while hidden: refused, nothing written


@pytest.mark.parametrize("seed", range(4))
def test_two_windows_in_turn_always_see_what_a_fresh_read_sees(
    seed: int, first: Workspace, second: Workspace, db: Path, tools: Path
) -> None:
    rng = random.Random(seed)
    audit_id = start(first)
    for _ in range(40):
        ws = first if rng.random() < 0.6 else second
        _random_change(rng, ws, audit_id)
        expected = fresh(db, tools, audit_id)
        assert audits.load(first, audit_id) == expected
        assert audits.load(second, audit_id) == expected
        assert_stored_grading_is_current(db, audit_id, expected)
