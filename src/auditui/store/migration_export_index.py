"""Schema V10: the audits in id order with their tool, for the answers export.

A large answers export first makes a small table of the chosen audits, sorted
by id (``answer_export.audits_sql``): each answer row looks its audit up
there. Made from the audits table itself, that meant reading every audit row
(they are wide: findings, summary, reflection) and sorting them, 70 ms of a
large export's start at 45,000 audits, while its helper processes waited.
This index holds exactly what that table is made from, already in id order:
walked from end to end it is read in 35 ms and nothing is sorted.

Its columns never change once an audit exists (an audit keeps its tool
version), so keeping it costs a write only when an audit is created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

V10 = "CREATE INDEX audits_by_id_tool ON audits (id, tool_id, tool_version)"


def migrate_v10(db: Database) -> None:
    db.conn.execute(V10)
