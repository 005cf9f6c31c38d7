"""SQL for what tool format 2 keeps with an audit: its calendar, subject and sections N/A.

A section marked not applicable carries the auditor's reason; marking and
clearing are recorded in ``audit_events`` (with the section and reason), so
"who said this did not apply, and why" survives a later clearing. Every
function runs inside the caller's transaction; none commits.
"""

from __future__ import annotations

import sqlite3

from auditui.domain.working_days import DEFAULT_CALENDAR


def sections_na(conn: sqlite3.Connection, audit_id: str) -> dict[str, str]:
    """Reasons by section id, for the sections marked not applicable."""
    return {
        row[0]: row[1]
        for row in conn.execute(
            "SELECT section_id, reason FROM sections_na WHERE audit_id = ? ORDER BY rowid",
            (audit_id,),
        )
    }


def set_section_na(
    conn: sqlite3.Connection,
    audit_id: str,
    revision: int,
    section_id: str,
    reason: str | None,
    who: str,
    when: str,
) -> None:
    """Mark the section not applicable with ``reason``, or clear the mark (``None``)."""
    if reason is None:
        gone = conn.execute(
            "DELETE FROM sections_na WHERE audit_id = ? AND section_id = ?", (audit_id, section_id)
        ).rowcount
        if gone:
            _event(conn, audit_id, revision, f"section_na_cleared:{section_id}", None, who, when)
        return
    conn.execute(
        "INSERT INTO sections_na (audit_id, section_id, reason, marked_by, marked_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (audit_id, section_id) DO UPDATE SET"
        " reason = excluded.reason, marked_by = excluded.marked_by, marked_at = excluded.marked_at",
        (audit_id, section_id, reason, who, when),
    )
    _event(conn, audit_id, revision, f"section_na:{section_id}", reason, who, when)


def calendar_and_subject(conn: sqlite3.Connection, audit_id: str) -> tuple[str, str]:
    """The working-day calendar the audit computes with, and its subject (case | worker)."""
    row = conn.execute("SELECT calendar, subject FROM audits WHERE id = ?", (audit_id,)).fetchone()
    if row is None:
        return DEFAULT_CALENDAR, "case"
    return row[0] or DEFAULT_CALENDAR, row[1] or "case"


def set_details(
    conn: sqlite3.Connection,
    audit_id: str,
    case_type: str,
    kind: str,
    practitioner_present: bool,
    when: str,
) -> None:
    """The audit details conditions may test."""
    conn.execute(
        "UPDATE audits SET case_type = ?, kind = ?, practitioner_present = ?, updated_at = ?"
        " WHERE id = ?",
        (case_type, kind, int(practitioner_present), when, audit_id),
    )


def _event(
    conn: sqlite3.Connection,
    audit_id: str,
    revision: int,
    event: str,
    reason: str | None,
    who: str,
    when: str,
) -> None:
    conn.execute(
        "INSERT INTO audit_events (audit_id, revision, event, reason, by, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (audit_id, revision, event, reason, who, when),
    )
