"""Moderation allocations in the local database, and the grade pairs they yield.

Like a plan item, an allocation's status is never stored: readers get the
re-audit's status alongside (``moderation_status``) and derive it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from auditui.store.db import Store

_COLUMNS = (
    "id",
    "month",
    "audit_id",
    "auditor",
    "team",
    "tool_id",
    "tool_version",
    "case_ref",
    "case_type",
    "practitioner",
    "practitioner_present",
    "moderator",
    "original_grades",
    "seed",
    "allocated_by",
    "created_at",
    "updated_at",
)

_SELECT = """
SELECT m.*, o.status AS original_status, o.overall_grade AS original_grade,
       r.status AS moderation_status, r.overall_grade AS moderation_grade,
       r.ended_on AS moderation_ended_on
FROM moderations AS m
LEFT JOIN audits AS o ON o.id = m.audit_id
LEFT JOIN audits AS r ON r.id = m.moderation_audit_id
"""


def ended_audits(
    conn: sqlite3.Connection, first_day: str, next_first_day: str
) -> list[sqlite3.Row]:
    """Real (not demo) audits, moderations aside, ended from ``first_day`` to before
    ``next_first_day``."""
    return conn.execute(
        """
        SELECT id, auditor, team, tool_id, tool_version, case_ref, case_type, practitioner,
               practitioner_present, ended_on
        FROM audits
        WHERE status IN ('finalised', 'closed_incomplete') AND kind <> 'moderation'
          AND demo = 0 AND ended_on >= ? AND ended_on < ?
        ORDER BY ended_on, id
        """,
        (first_day, next_first_day),
    ).fetchall()


CASE_COLUMNS = ("tool_version", "case_ref", "case_type", "practitioner", "practitioner_present")


def held_cases(conn: sqlite3.Connection, audit_ids: Iterable[str]) -> dict[str, sqlite3.Row]:
    """The case details of those audits this machine holds (demo ones too: a demo hub lists
    this machine's demo audits), by audit id."""
    ids = list(audit_ids)
    found: dict[str, sqlite3.Row] = {}
    for start in range(0, len(ids), 500):  # under SQLite's limit on bound parameters
        chunk = ids[start : start + 500]
        for row in conn.execute(
            f"SELECT id, {', '.join(CASE_COLUMNS)}"
            f" FROM audits WHERE id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        ):
            found[row["id"]] = row
    return found


def allocated_audit_ids(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT audit_id FROM moderations")}


def insert(conn: sqlite3.Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    conn.executemany(
        f"INSERT INTO moderations ({', '.join(_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in _COLUMNS)})",
        ([row[c] for c in _COLUMNS] for row in rows),
    )


def allocations(store: Store, moderator: str | None = None) -> list[sqlite3.Row]:
    where, params = (
        (" WHERE trim(m.moderator) = trim(?) COLLATE NOCASE", (moderator,))
        if moderator
        else ("", ())
    )
    return store.query(_SELECT + where + " ORDER BY m.month, m.moderator, m.id", params)


def by_reference(store: Store, ref: str) -> list[sqlite3.Row]:
    """Allocations whose id or original audit's id starts with ``ref`` (at most two)."""
    escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return store.query(
        _SELECT + " WHERE m.id LIKE ? ESCAPE '\\' OR m.audit_id LIKE ? ESCAPE '\\'"
        " OR m.moderation_audit_id LIKE ? ESCAPE '\\' ORDER BY m.id LIMIT 2",
        (escaped, escaped, escaped),
    )


def link_audit(conn: sqlite3.Connection, allocation_id: str, audit_id: str, now: str) -> bool:
    """Link the re-audit to an allocation that has none; False if one got there first."""
    cursor = conn.execute(
        "UPDATE moderations SET moderation_audit_id = ?, updated_at = ?"
        " WHERE id = ? AND moderation_audit_id IS NULL",
        (audit_id, now, allocation_id),
    )
    return cursor.rowcount == 1


def unlinked_draft(
    conn: sqlite3.Connection, case_ref: str, tool_id: str, moderator: str, since: str
) -> str | None:
    """A draft moderation of this case by this moderator that no allocation holds (what an
    interrupted ``start_moderation`` left between its two steps)."""
    row = conn.execute(
        """
        SELECT a.id FROM audits AS a
        WHERE a.case_ref = ? AND a.tool_id = ? AND a.auditor = ? AND a.status = 'draft'
          AND a.kind = 'moderation' AND a.created_at >= ?
          AND NOT EXISTS (SELECT 1 FROM moderations AS m WHERE m.moderation_audit_id = a.id)
        ORDER BY a.created_at LIMIT 1
        """,
        (case_ref, tool_id, moderator, since),
    ).fetchone()
    return None if row is None else str(row[0])


def record_agreement(
    conn: sqlite3.Connection, allocation_id: str, grade: str, by: str, reason: str, now: str
) -> None:
    conn.execute(
        "UPDATE moderations SET agreed_grade = ?, agreed_by = ?, agreed_reason = ?,"
        " agreed_at = ?, updated_at = ? WHERE id = ?",
        (grade, by, reason, now, now, allocation_id),
    )


def final_grades(store: Store, audit_id: str) -> dict[str, str]:
    """An audit's final grades by scope ("overall" or a section id), graded scopes only."""
    rows = store.query(
        "SELECT scope, final FROM grades WHERE audit_id = ? AND final IS NOT NULL", (audit_id,)
    )
    return {row[0]: row[1] for row in rows}


def answers(store: Store, audit_id: str) -> dict[str, Any]:
    """An audit's answer values by question id (for the side-by-side comparison)."""
    rows = store.query("SELECT question_id, value FROM answers WHERE audit_id = ?", (audit_id,))
    return {row[0]: row[1] for row in rows}
