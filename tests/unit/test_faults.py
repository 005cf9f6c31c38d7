"""When the database cannot take a change, the user gets one plain sentence and loses nothing.

Locked by another program, opened read-only, a full disk, a damaged file:
each is produced for real on a SQLite file in ``tmp_path`` (no mocks), and
each test checks both the sentence and that what was saved before is intact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditui.config import Config
from auditui.errors import StorageError
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.store.db import open_store
from auditui.tools.library import ToolLibrary


@pytest.fixture(scope="module")
def library() -> ToolLibrary:
    return ToolLibrary.load()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "auditui.db"


@pytest.fixture
def started(db: Path, library: ToolLibrary) -> Iterator[tuple[Workspace, str]]:
    """A workspace with one draft audit whose first question is answered."""
    ws = Workspace.open(db, library, Config(), busy_timeout_ms=200)
    audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    audits.answer(ws, audit_id, "specific", "yes", "Plan names the change for the child.")
    yield ws, audit_id
    ws.close()


def saved(db: Path) -> dict[str, tuple[str, str | None]]:
    """The answers on disk, read by a separate connection."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT question_id, value, evidence FROM answers").fetchall()
        return {q: (v, e) for q, v, e in rows}
    finally:
        conn.close()


def test_a_locked_database_is_reported_and_nothing_changes(
    db: Path, started: tuple[Workspace, str]
) -> None:
    ws, audit_id = started
    before = saved(db)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError) as caught:
            audits.answer(ws, audit_id, "measurable", "no")
        assert "busy in another auditui window or program" in caught.value.message
        assert "nothing was saved" in caught.value.message
        assert "\n" not in caught.value.message
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert saved(db) == before
    audits.answer(ws, audit_id, "measurable", "no")  # works again once the lock is gone
    assert saved(db)["measurable"] == ('"no"', None)


def test_a_read_only_database_refuses_writes_plainly(
    db: Path, started: tuple[Workspace, str], library: ToolLibrary
) -> None:
    _, audit_id = started
    before = saved(db)
    reader = Workspace(store=open_store(db, read_only=True), library=library, config=Config())
    try:
        assert audits.load(reader, audit_id).answers == {"specific": "yes"}
        with pytest.raises(StorageError) as caught:
            audits.answer(reader, audit_id, "measurable", "no")
        assert "read-only" in caught.value.message
        assert "nothing was saved" in caught.value.message
    finally:
        reader.close()
    assert saved(db) == before


def test_a_full_disk_keeps_every_earlier_answer(db: Path, started: tuple[Workspace, str]) -> None:
    ws, audit_id = started
    audits.answer(ws, audit_id, "measurable", "partly", "Some markers of progress.")
    before = saved(db)
    conn = ws.store.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageError) as caught:
        audits.answer(ws, audit_id, "achievable", "no", "The parent cannot do this alone. " * 500)
    assert "disk is full" in caught.value.message
    assert "Everything saved before it is safe" in caught.value.message
    assert saved(db) == before
    state = audits.load(ws, audit_id)
    assert state.answers == {"specific": "yes", "measurable": "partly"}
    conn.execute("PRAGMA max_page_count = 1073741823")  # space freed: the same answer saves
    audits.answer(ws, audit_id, "achievable", "no", "The parent cannot do this alone. " * 500)
    assert saved(db)["achievable"][0] == '"no"'


def test_a_file_that_is_not_a_database_is_named_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    path.write_bytes(b"this is a spreadsheet, not a database\x00" * 200)
    path.chmod(0o600)
    with pytest.raises(StorageError) as caught:
        Workspace.open(path, ToolLibrary.load([], include_shipped=False), Config())
    assert "damaged or is not an auditui database" in caught.value.message
    assert "Nothing was changed" in caught.value.message
    assert path.read_bytes().startswith(b"this is a spreadsheet")


def test_a_database_damaged_inside_is_named_as_damaged(
    db: Path, started: tuple[Workspace, str], library: ToolLibrary
) -> None:
    ws, audit_id = started
    ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    size = db.stat().st_size
    with db.open("r+b") as file:  # keep the header page, scribble over every other page
        file.seek(4096)
        file.write(b"\xde\xad\xbe\xef" * ((size - 4096) // 4))
    with pytest.raises(StorageError, match="damaged or is not an auditui database"):
        reopened = Workspace.open(db, library, Config())
        try:
            audits.load(reopened, audit_id)
        finally:
            reopened.close()
