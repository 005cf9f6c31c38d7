"""What the one-audit report shows beyond the answers: who answered and why it was reopened.

The practitioner's report says who answered each question and when, and for a
revision 2 or later why (and when) the audit was reopened; both are already
recorded (``answers.answered_by``/``answered_at``, ``audit_events``), and the
store owns the SQL that reads them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Reopening:
    revision: int
    reason: str
    by: str
    at: str
    """ISO timestamp as stored."""


def answer_authors(conn: sqlite3.Connection, audit_id: str) -> dict[str, tuple[str, str]]:
    """(who, ISO timestamp) of each answered question's last change, by question id."""
    return {
        row[0]: (row[1] or "", row[2] or "")
        for row in conn.execute(
            "SELECT question_id, answered_by, answered_at FROM answers WHERE audit_id = ?",
            (audit_id,),
        )
        if row[1] or row[2]
    }


def reopenings(conn: sqlite3.Connection, audit_id: str) -> list[Reopening]:
    """Each time the audit was reopened, oldest first, with the reason given."""
    return [
        Reopening(int(row[0]), row[1] or "", row[2] or "", row[3] or "")
        for row in conn.execute(
            "SELECT revision, reason, by, at FROM audit_events"
            " WHERE audit_id = ? AND event = 'reopened' ORDER BY at, id",
            (audit_id,),
        )
    ]
