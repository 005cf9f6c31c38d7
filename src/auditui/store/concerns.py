"""SQL for safeguarding concerns and what each hub has been sent; the caller owns the transaction.

A concern is recorded the moment the auditor types it (a draft audit too),
so it must never wait for the audit's outbox: it has its own delivery
table, per hub and per part (the concern itself, the acknowledgement, the
response), so a new or emptied hub is sent everything again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from auditui.errors import NotFoundError

COLUMNS = (
    "id",
    "audit_id",
    "team",
    "text",
    "raised_with",
    "raised_by",
    "raised_at",
    "acknowledged_at",
    "outcome",
    "responded_by",
    "responded_at",
    "updated_at",
)
PARTS = ("concern", "acknowledged", "response")


def insert_concern(conn: sqlite3.Connection, row: Mapping[str, Any]) -> None:
    conn.execute(
        "INSERT INTO concerns (id, audit_id, team, text, raised_with, raised_by, raised_at,"
        " updated_at) VALUES (:id, :audit_id, :team, :text, :raised_with, :raised_by,"
        " :raised_at, :raised_at)",
        dict(row),
    )


def get_concern(conn: sqlite3.Connection, concern_id: str) -> sqlite3.Row:
    """A concern by id, or by a unique prefix of six characters or more."""
    row = conn.execute("SELECT * FROM concerns WHERE id = ?", (concern_id,)).fetchone()
    if row is None and len(concern_id) >= 6:
        rows = conn.execute(
            "SELECT * FROM concerns WHERE id >= ? AND id < ? LIMIT 2",
            (concern_id, concern_id + "\uffff"),
        ).fetchall()
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise NotFoundError(f"There is no safeguarding concern '{concern_id[:80]}'.")
    return row


def list_concerns(conn: sqlite3.Connection, open_only: bool = False) -> list[sqlite3.Row]:
    where = " WHERE responded_at IS NULL" if open_only else ""
    return conn.execute(f"SELECT * FROM concerns{where} ORDER BY raised_at, id").fetchall()


def acknowledge(conn: sqlite3.Connection, concern_id: str, at: str) -> bool:
    """Record the first acknowledgement; False when it was already acknowledged."""
    cur = conn.execute(
        "UPDATE concerns SET acknowledged_at = ?, updated_at = ?"
        " WHERE id = ? AND acknowledged_at IS NULL",
        (at, at, concern_id),
    )
    return cur.rowcount == 1


def respond(conn: sqlite3.Connection, concern_id: str, outcome: str, by: str, at: str) -> bool:
    """Record the response (closing the concern; it acknowledges it too if nothing had);
    False when it already had one: the first response stands."""
    cur = conn.execute(
        "UPDATE concerns SET outcome = ?, responded_by = ?, responded_at = ?,"
        " acknowledged_at = COALESCE(acknowledged_at, ?), updated_at = ?"
        " WHERE id = ? AND responded_at IS NULL",
        (outcome, by, at, at, at, concern_id),
    )
    return cur.rowcount == 1


def concerns_of(conn: sqlite3.Connection, demo: bool) -> list[sqlite3.Row]:
    """Every concern on demo (or on real) audits, oldest first."""
    return conn.execute(
        "SELECT concerns.* FROM concerns JOIN audits ON audits.id = concerns.audit_id"
        " WHERE audits.demo = ? ORDER BY concerns.raised_at, concerns.id",
        (int(demo),),
    ).fetchall()


def delivered(conn: sqlite3.Connection, target: str) -> dict[str, set[str]]:
    """For each concern, the parts ``target`` confirmed."""
    sent: dict[str, set[str]] = {}
    for concern_id, what in conn.execute(
        "SELECT concern_id, what FROM concern_delivery WHERE target = ?", (target,)
    ):
        sent.setdefault(concern_id, set()).add(what)
    return sent


def parts_of(row: sqlite3.Row) -> list[str]:
    """What there is to send of a concern: itself, its acknowledgement, its response."""
    return [p for p in PARTS if _has(row, p)]


def _has(row: sqlite3.Row, part: str) -> bool:
    if part == "acknowledged":
        return row["acknowledged_at"] is not None
    if part == "response":
        return row["responded_at"] is not None
    return True


def mark_delivered(
    conn: sqlite3.Connection, target: str, parts: Sequence[tuple[str, str]], at: str
) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO concern_delivery (concern_id, target, what, sent_at)"
        " VALUES (?, ?, ?, ?)",
        [(concern_id, target, what, at) for concern_id, what in parts],
    )
