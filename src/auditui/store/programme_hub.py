"""What the programme's hub step reads from and writes to the local database.

The QA lead's sync reads every plan item and allocation to publish them;
an auditor's sync writes the items and allocations the hub holds for them,
and the agreed grades it hears back. An item the hub has given to someone
else leaves the old auditor's list only while nothing was started for it;
one that holds their audit stays, and a row already linked to an audit keeps
its link.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from auditui.store.db import Store


def plan_items_to_publish(store: Store) -> list[sqlite3.Row]:
    return store.query(
        """
        SELECT p.id, p.plan_id, p.month, p.case_ref, p.case_type, p.team, p.practitioner,
               p.tool_id, p.kind, p.auditor, l.planned_by
        FROM plan_items AS p JOIN plans AS l ON l.id = p.plan_id
        ORDER BY p.month, p.id
        """
    )


def allocations_to_publish(store: Store) -> list[sqlite3.Row]:
    return store.query("SELECT * FROM moderations ORDER BY month, id")


def agreed_by(store: Store, user: str) -> list[sqlite3.Row]:
    """Agreements recorded on this machine by ``user``: the results its sync sends."""
    return store.query(
        "SELECT * FROM moderations WHERE agreed_grade IS NOT NULL AND agreed_by = ? ORDER BY id",
        (user,),
    )


def receive_plan_item(
    conn: sqlite3.Connection, item: Mapping[str, Any], planned_by: str, now: str
) -> bool:
    """Add a plan item from the hub (and a row for its plan); re-allocate it when it is
    here already and not started. True when anything changed."""
    conn.execute(
        "INSERT OR IGNORE INTO plans (id, month, tool_id, kind, per_team, case_types, auditors,"
        " seed, not_within_months, planned_by, created_at)"
        " VALUES (?, ?, ?, ?, 0, '[]', '[]', '', 0, ?, ?)",
        (item["plan_id"], item["month"], item["tool_id"], item["kind"], planned_by, now),
    )
    cursor = conn.execute(
        "INSERT OR IGNORE INTO plan_items (id, plan_id, position, month, case_ref, case_type,"
        " team, practitioner, tool_id, kind, auditor, created_at, updated_at)"
        " VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item["id"],
            item["plan_id"],
            item["month"],
            item["case_ref"],
            item["case_type"],
            item["team"],
            item["practitioner"],
            item["tool_id"],
            item["kind"],
            item["auditor"],
            now,
            now,
        ),
    )
    if cursor.rowcount:
        return True
    cursor = conn.execute(
        "UPDATE plan_items SET auditor = ?, updated_at = ?"
        " WHERE id = ? AND audit_id IS NULL AND auditor <> ?",
        (item["auditor"], now, item["id"], item["auditor"]),
    )
    return cursor.rowcount > 0


def receive_allocation(conn: sqlite3.Connection, row: Mapping[str, Any]) -> bool:
    """Add a moderation allocation from the hub; True when it was new here, or when the
    case details of one drawn here from the hub's results (held without them) arrived."""
    columns = list(row)
    cursor = conn.execute(
        f"INSERT OR IGNORE INTO moderations ({', '.join(columns)})"
        f" VALUES ({', '.join('?' for _ in columns)})",
        [row[c] for c in columns],
    )
    if cursor.rowcount > 0:
        return True
    # Held without details: no practitioner (every audit names one; an audit of a
    # practitioner's own file has no case reference, so that cannot be the sign).
    if not row["practitioner"]:
        return False
    cursor = conn.execute(
        "UPDATE moderations SET case_ref = ?, case_type = ?, practitioner = ?,"
        " practitioner_present = ?, tool_version = ?, original_grades = ?, updated_at = ?"
        " WHERE id = ? AND practitioner = '' AND moderation_audit_id IS NULL AND audit_id = ?",
        (
            row["case_ref"],
            row["case_type"],
            row["practitioner"],
            row["practitioner_present"],
            row["tool_version"],
            row["original_grades"],
            row["updated_at"],
            row["id"],
            row["audit_id"],
        ),
    )
    return cursor.rowcount > 0


def receive_agreement(
    conn: sqlite3.Connection, allocation_id: str, grade: str, by: str, reason: str, at: str
) -> bool:
    """Record an agreed grade heard from the hub on an allocation that has none yet."""
    cursor = conn.execute(
        "UPDATE moderations SET agreed_grade = ?, agreed_by = ?, agreed_reason = ?,"
        " agreed_at = ?, updated_at = ? WHERE id = ? AND agreed_grade IS NULL",
        (grade, by, reason, at, at, allocation_id),
    )
    return cursor.rowcount > 0


def audit_case(conn: sqlite3.Connection, audit_id: str) -> sqlite3.Row | None:
    """The case details of an audit held here (real audits only), or None."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT case_ref, case_type, practitioner, practitioner_present, tool_version"
        " FROM audits WHERE id = ? AND demo = 0",
        (audit_id,),
    ).fetchone()
    return row


def reaudits_to_send(store: Store, moderator: str) -> list[sqlite3.Row]:
    """This moderator's allocations whose blind re-audit has ended: the links the hub's
    moderation report pairs an audit with its re-audit by."""
    return store.query(
        """
        SELECT m.id, m.audit_id, m.moderation_audit_id
        FROM moderations AS m JOIN audits AS r ON r.id = m.moderation_audit_id
        WHERE m.moderator = ? AND r.status IN ('finalised', 'closed_incomplete')
        ORDER BY m.id
        """,
        (moderator,),
    )


def progress_to_send(store: Store, user: str) -> list[sqlite3.Row]:
    """This user's real audits linked to plan items: what their sync tells the QA lead
    (the item, the audit, its status and dates)."""
    return store.query(
        """
        SELECT p.id AS item_id, a.id AS audit_id, a.auditor, a.status, a.started_on, a.ended_on
        FROM plan_items AS p JOIN audits AS a ON a.id = p.audit_id
        WHERE trim(a.auditor) = trim(?) COLLATE NOCASE AND a.demo = 0
        ORDER BY p.id
        """,
        (user,),
    )


def receive_progress(conn: sqlite3.Connection, heard: Mapping[str, Any], now: str) -> bool:
    """Keep what the hub says of a plan item held here and linked to no audit here; True
        when that changed anything (the hub holds each item's latest report: a reopened audit
    is a draft again)."""
    cursor = conn.execute(
        """
        INSERT INTO plan_item_progress
            (item_id, audit_id, audit_status, started_on, ended_on, heard_at)
        SELECT p.id, :audit_id, :status, :started_on, :ended_on, :now
        FROM plan_items AS p WHERE p.id = :item_id AND p.audit_id IS NULL
        ON CONFLICT (item_id) DO UPDATE SET
            audit_id = excluded.audit_id, audit_status = excluded.audit_status,
            started_on = excluded.started_on, ended_on = excluded.ended_on,
            heard_at = excluded.heard_at
        WHERE (plan_item_progress.audit_id, plan_item_progress.audit_status,
               plan_item_progress.started_on, coalesce(plan_item_progress.ended_on, ''))
              IS NOT (excluded.audit_id, excluded.audit_status, excluded.started_on,
                      coalesce(excluded.ended_on, ''))
        """,
        {**heard, "now": now},
    )
    return cursor.rowcount > 0


def item_ids_of(store: Store, auditor: str) -> list[str]:
    """The plan items held here for ``auditor``: those a hub may since have re-allocated."""
    return [
        r["id"]
        for r in store.query(
            "SELECT id FROM plan_items WHERE trim(auditor) = trim(?) COLLATE NOCASE", (auditor,)
        )
    ]


def drop_reallocated(conn: sqlite3.Connection, item_id: str, auditor: str) -> str | None:
    """The hub gives ``item_id`` to someone else: remove it from ``auditor``'s list here when
    not started ("removed"); one already started is kept with its audit ("kept"); None when
    this machine holds no such item of theirs."""
    row = conn.execute(
        "SELECT audit_id FROM plan_items WHERE id = ? AND trim(auditor) = trim(?) COLLATE NOCASE",
        (item_id, auditor),
    ).fetchone()
    if row is None:
        return None
    if row["audit_id"] is not None:
        return "kept"
    conn.execute("DELETE FROM plan_item_progress WHERE item_id = ?", (item_id,))
    conn.execute("DELETE FROM plan_items WHERE id = ? AND audit_id IS NULL", (item_id,))
    return "removed"
