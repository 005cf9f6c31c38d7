"""The local database keeps children's data safe: durable, private, versioned, append-only.

Every test opens a real SQLite file in ``tmp_path``.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from auditui.config import Config
from auditui.errors import StorageError
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.store.db import BUSY_TIMEOUT_MS, open_store
from auditui.store.schema import MIGRATIONS, SCHEMA_VERSION
from auditui.tools.library import ToolLibrary


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_pragmas_make_every_commit_durable(tmp_path: Path) -> None:
    store = open_store(tmp_path / "a.db")
    try:

        def pragma(name: str) -> object:
            return store.conn.execute(f"PRAGMA {name}").fetchone()[0]

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == BUSY_TIMEOUT_MS
    finally:
        store.close()


def test_new_database_and_folder_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "auditui" / "auditui.db"
    store = open_store(path)
    try:
        with store.transaction() as conn:
            conn.execute("CREATE TABLE scratch (x)")
            conn.execute("INSERT INTO scratch VALUES (1)")
        assert _mode(path) == 0o600
        assert _mode(path.parent) == 0o700
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and _mode(wal) & 0o077 == 0
        assert store.warnings == []
    finally:
        store.close()


def test_database_others_can_read_is_reported_at_start(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    open_store(path).close()
    path.chmod(0o644)
    store = open_store(path)
    try:
        assert len(store.warnings) == 1
        assert "can be read by other users" in store.warnings[0]
        assert "chmod 600" in store.warnings[0]
    finally:
        store.close()


def test_migrations_run_once_and_keep_data(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    ws = Workspace.open(path, ToolLibrary.load(), Config())
    audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    ws.close()
    for _ in range(2):
        store = open_store(path)
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.one("SELECT id FROM audits")["id"] == audit_id  # type: ignore[index]
        store.close()


def test_a_version_1_database_is_migrated_in_place(tmp_path: Path) -> None:
    """A database the first release wrote gains the action outbox and keeps its audits."""
    import sqlite_utils

    path = tmp_path / "auditui.db"
    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO audits (id, tool_id, tool_version, case_ref, case_type, team, practitioner,"
        " auditor, kind, practitioner_present, started_on, created_at, updated_at)"
        " VALUES ('a1', 'smart-plans', 1, 'ABC123', 'CP', 'North', 'Pat', 'Sam', 'themed', 1,"
        " '2026-01-05', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z')"
    )
    conn.close()
    store = open_store(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.one("SELECT id FROM audits")["id"] == "a1"  # type: ignore[index]
        assert store.one("SELECT count(*) AS n FROM action_outbox")["n"] == 0  # type: ignore[index]
    finally:
        store.close()


def test_database_from_a_newer_auditui_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError, match="newer auditui") as caught:
        open_store(path)
    assert "Upgrade auditui" in caught.value.message
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


def test_answer_history_cannot_be_changed_or_deleted(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "auditui.db", ToolLibrary.load(), Config())
    try:
        audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
        audits.answer(ws, audit_id, "specific", "yes")
        conn = ws.store.conn
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE answer_history SET new = '\"no\"'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM answer_history")
        rows = conn.execute("SELECT question_id, new FROM answer_history").fetchall()
        assert [tuple(r) for r in rows] == [("specific", '"yes"')]
    finally:
        ws.close()
