"""A write that says what it last saw is refused when that changed since, inside its transaction.

Real store, real second writers: another process (the ``auditui`` command)
or a second connection changes an answer between the read and the write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from auditui.config import Config
from auditui.errors import ChangedElsewhereError
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.store import audits as rows
from auditui.store.answer_guard import Seen
from auditui.tools.library import ToolLibrary


@pytest.fixture
def ws(isolated_env) -> Iterator[Workspace]:
    workspace = Workspace.open(isolated_env.db, ToolLibrary.load(), Config())
    yield workspace
    workspace.close()


def _history(ws: Workspace) -> list[tuple[str, str | None, str | None]]:
    return [
        (r["field"], r["old"], r["new"])
        for r in ws.store.query("SELECT field, old, new FROM answer_history ORDER BY id")
    ]


def test_evidence_changed_by_another_process_is_not_overwritten(ws: Workspace, run_cli) -> None:
    audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    audits.answer(ws, audit_id, "specific", "no", evidence="OLD")
    done = run_cli("audit", "answer", audit_id, "specific", "no", "--evidence", "NEW")
    assert done.returncode == 0, done.stderr
    with pytest.raises(ChangedElsewhereError, match="changed elsewhere") as caught:
        audits.set_evidence(ws, audit_id, "specific", "OLD, edited", seen=Seen(evidence="OLD"))
    assert caught.value.question_id == "specific" and caught.value.field == "evidence"
    assert audits.load(ws, audit_id).evidence["specific"] == "NEW"
    assert [h for h in _history(ws) if h[0] == "evidence"][-1] == ("evidence", "OLD", "NEW")
    audits.set_evidence(ws, audit_id, "specific", "NEW, edited", seen=Seen(evidence="NEW"))
    assert audits.load(ws, audit_id).evidence["specific"] == "NEW, edited"


def test_a_value_changed_on_a_second_connection_is_not_overwritten(ws: Workspace) -> None:
    audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    audits.answer(ws, audit_id, "specific", "no", evidence="why")
    audits.load(ws, audit_id)  # the cached copy the next write would trust
    other = sqlite3.connect(ws.store.path, isolation_level=None)
    other.execute("UPDATE answers SET value = '\"yes\"' WHERE question_id = 'specific'")
    other.close()
    with pytest.raises(ChangedElsewhereError, match="answer to 'specific'"):
        audits.answer(ws, audit_id, "specific", "partly", seen=Seen(value="no"))
    assert audits.load(ws, audit_id).answers["specific"] == "yes"


def test_the_same_change_made_twice_is_no_conflict(ws: Workspace) -> None:
    audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    audits.answer(ws, audit_id, "specific", "no", evidence="OLD")
    other = Workspace.open(ws.store.path, ToolLibrary.load(), Config())
    try:
        audits.answer(other, audit_id, "specific", "yes", evidence="NEW")
    finally:
        other.close()
    audits.answer(ws, audit_id, "specific", "yes", seen=Seen(value="no"))
    audits.set_evidence(ws, audit_id, "specific", "NEW", seen=Seen(evidence="OLD"))
    state = audits.load(ws, audit_id)
    assert (state.answers["specific"], state.evidence["specific"]) == ("yes", "NEW")


def test_the_check_is_in_the_store_write_itself(ws: Workspace) -> None:
    """Whatever the caller believes is stored (``old``), the row is read again."""
    audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    audits.answer(ws, audit_id, "specific", "no", evidence="NEW")
    with ws.store.transaction() as conn, pytest.raises(ChangedElsewhereError):
        rows.record_answer(
            conn,
            audit_id,
            "specific",
            ('"no"', "OLD"),
            '"no"',
            "mine",
            "me",
            "now",
            Seen(evidence="OLD"),
        )
    assert audits.load(ws, audit_id).evidence["specific"] == "NEW"


def test_a_write_that_saw_nothing_replaces_as_before(ws: Workspace, run_cli) -> None:
    audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    audits.answer(ws, audit_id, "specific", "no", evidence="OLD")
    audits.answer(ws, audit_id, "specific", "no", evidence="REPLACED")
    assert audits.load(ws, audit_id).evidence["specific"] == "REPLACED"
