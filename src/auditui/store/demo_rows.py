"""Writing demo audits in bulk: the SQL behind ``auditui demo``.

The demo adds tens of thousands of rows in one transaction, so it writes
plain rows with ``executemany`` rather than going through the per-answer
services. Every audit it writes is marked ``demo = 1`` (the last value of
each audit row): sync never sends a demo audit to a real hub.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from auditui.store.db import Store

ROWS: dict[str, str] = {
    "audits": "INSERT INTO audits (id, tool_id, tool_version, case_ref, case_type, team,"
    " practitioner, auditor, kind, practitioner_present, status, revision, started_on, ended_on,"
    " end_reason, progress, overall_grade, complete, strengths, development, reflection, summary,"
    " feedback_sought, created_at, updated_at, demo)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "answers": "INSERT INTO answers (audit_id, question_id, value, evidence, answered_by,"
    " answered_at) VALUES (?, ?, ?, ?, ?, ?)",
    "history": "INSERT INTO answer_history (audit_id, question_id, field, old, new, changed_by,"
    " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "grades": "INSERT INTO grades (audit_id, scope, percent, suggested, chosen, final, rationale,"
    " explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "events": "INSERT INTO audit_events (audit_id, revision, event, reason, by, at)"
    " VALUES (?, ?, ?, ?, ?, ?)",
    "actions": "INSERT INTO actions (id, audit_id, owner, text, due, due_is_default, status,"
    " created_on, completed_on, evidence, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
    "outbox": "INSERT INTO outbox (audit_id, revision, status, payload, created_at)"
    " VALUES (?, ?, ?, ?, ?)",
    "themes": "INSERT INTO audit_themes (audit_id, kind, theme, position) VALUES (?, ?, ?, ?)",
}
"""Each kind of row the demo writes, in the order they must go in (audits first)."""


def new_batch() -> dict[str, list[tuple[Any, ...]]]:
    return {name: [] for name in ROWS}


def flush(conn: sqlite3.Connection, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """Write and clear every batched row, inside the caller's transaction."""
    for name, sql in ROWS.items():
        if rows[name]:
            conn.executemany(sql, rows[name])
            rows[name].clear()


def audit_count(store: Store) -> int:
    row = store.one("SELECT count(*) FROM audits")
    return int(row[0]) if row else 0


def demo_count(store: Store) -> int:
    row = store.one("SELECT count(*) FROM audits WHERE demo = 1")
    return int(row[0]) if row else 0
