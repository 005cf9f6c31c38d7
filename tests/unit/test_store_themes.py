"""The audit_themes table (schema V8) and its reader and writer, on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from auditui.config import Config
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.store.db import open_store
from auditui.store.schema import MIGRATIONS, SCHEMA_VERSION
from auditui.store.themes import set_themes, themes_of
from auditui.tools.library import ToolLibrary


def new_audit(path: Path) -> str:
    ws = Workspace.open(path, ToolLibrary.load(), Config())
    try:
        return audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    finally:
        ws.close()


def test_an_audit_with_no_themes_has_both_kinds_empty(tmp_path: Path) -> None:
    audit_id = new_audit(tmp_path / "a.db")
    store = open_store(tmp_path / "a.db")
    try:
        assert themes_of(store.conn, audit_id) == {"strengths": (), "development": ()}
        assert themes_of(store.conn, "no-such-audit") == {"strengths": (), "development": ()}
    finally:
        store.close()


def test_a_kind_is_replaced_whole_in_order_and_the_other_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    audit_id = new_audit(path)
    store = open_store(path)
    try:
        with store.transaction() as conn:
            set_themes(conn, audit_id, "strengths", ["Voice of the child", "Chronology"], "t1")
            set_themes(conn, audit_id, "development", ["Drift and delay"], "t1")
        with store.transaction() as conn:
            set_themes(conn, audit_id, "strengths", ["SMART planning", "Voice of the child"], "t2")
    finally:
        store.close()
    store = open_store(path)  # what a fresh process reads
    try:
        assert themes_of(store.conn, audit_id) == {
            "strengths": ("SMART planning", "Voice of the child"),
            "development": ("Drift and delay",),
        }
        row = store.one("SELECT updated_at FROM audits WHERE id = ?", (audit_id,))
        assert row is not None and row["updated_at"] == "t2"
        with store.transaction() as conn:
            set_themes(conn, audit_id, "development", [], "t3")
        assert themes_of(store.conn, audit_id)["development"] == ()
    finally:
        store.close()


def test_a_failed_write_leaves_the_old_list(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    audit_id = new_audit(path)
    store = open_store(path)
    try:
        with store.transaction() as conn:
            set_themes(conn, audit_id, "strengths", ["Chronology"], "t1")
        with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
            set_themes(conn, audit_id, "strengths", ["Supervision", "x" * 201], "t2")
        assert themes_of(store.conn, audit_id)["strengths"] == ("Chronology",)
        with pytest.raises(ValueError, match="kind"), store.transaction() as conn:
            set_themes(conn, audit_id, "weaknesses", ["Chronology"], "t2")
    finally:
        store.close()


def test_the_schema_refuses_a_kind_it_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    audit_id = new_audit(path)
    store = open_store(path)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(
                "INSERT INTO audit_themes (audit_id, kind, theme, position)"
                " VALUES (?, 'concerns', 'Chronology', 0)",
                (audit_id,),
            )
    finally:
        store.close()


def test_a_version_7_database_gains_the_themes_table_and_keeps_its_audits(
    tmp_path: Path,
) -> None:
    import sqlite_utils

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    for step in MIGRATIONS[:7]:
        step(db)
    conn.execute("PRAGMA user_version = 7")
    conn.execute(
        "INSERT INTO audits (id, tool_id, tool_version, case_ref, case_type, team, practitioner,"
        " auditor, kind, practitioner_present, started_on, created_at, updated_at)"
        " VALUES ('a1', 'smart-plans', 1, 'ABC123', 'CP', 'North', 'Pat', 'Sam', 'themed', 1,"
        " '2026-01-05', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z')"
    )
    conn.close()
    path.chmod(0o600)
    store = open_store(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 8
        assert themes_of(store.conn, "a1") == {"strengths": (), "development": ()}
        with store.transaction() as conn:
            set_themes(conn, "a1", "development", ["Chronology"], "t")
        assert themes_of(store.conn, "a1")["development"] == ("Chronology",)
    finally:
        store.close()
