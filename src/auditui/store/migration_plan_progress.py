"""Schema V9: what the QA lead's machine has heard of the auditors' planned audits.

An auditor starts and ends a planned audit at their own machine; the lead's
machine never holds that audit. Each auditor's sync publishes, per linked
plan item, the audit's id, status and dates (signed); the lead's sync keeps
the newest it believes here, one row per item, and an item's status is
derived from it when no audit held here is linked (``store.programme``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

V9 = """
CREATE TABLE plan_item_progress (
    item_id TEXT PRIMARY KEY,
    audit_id TEXT NOT NULL,
    audit_status TEXT NOT NULL
        CHECK (audit_status IN ('draft', 'finalised', 'closed_incomplete')),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    heard_at TEXT NOT NULL
) WITHOUT ROWID
"""


def migrate_v9(db: Database) -> None:
    db.conn.execute(V9)
