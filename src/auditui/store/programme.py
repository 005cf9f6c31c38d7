"""Monthly plans and their items in the local database.

An item row carries a copy of its case's details (type, team, worker) as
they were when planned, so a later case list that drops the case does not
change the plan, and an item can travel to a hub on its own. The item's
status is not a column: readers get the linked audit's status alongside
(``audit_status``) and derive it (``domain.plan_items.item_status``); an item
linked to no audit held here takes the status its auditor's machine reported
through the hub (``plan_item_progress``), so the QA lead's progress follows
audits done at other machines.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from auditui.store.db import Store

_ITEM_COLUMNS = (
    "id",
    "plan_id",
    "position",
    "month",
    "case_ref",
    "case_type",
    "team",
    "practitioner",
    "tool_id",
    "kind",
    "auditor",
    "created_at",
    "updated_at",
)

_HEARD = """
LEFT JOIN audits AS a ON a.id = p.audit_id
LEFT JOIN plan_item_progress AS h ON h.item_id = p.id AND p.audit_id IS NULL
"""
"""An item's audit: the one linked here, else the one its auditor's machine reported
through the hub (the QA lead's machine holds none of the auditors' audits)."""

_SELECT_ITEMS = f"""
SELECT p.id, p.plan_id, p.month, p.case_ref, p.case_type, p.team, p.practitioner,
       p.tool_id, p.kind, p.auditor, coalesce(p.audit_id, h.audit_id) AS audit_id,
       coalesce(a.status, h.audit_status) AS audit_status
FROM plan_items AS p {_HEARD}
"""


def insert_plan(conn: sqlite3.Connection, plan: Mapping[str, Any]) -> None:
    columns = list(plan)
    conn.execute(
        f"INSERT INTO plans ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [plan[c] for c in columns],
    )


def insert_items(conn: sqlite3.Connection, items: Iterable[Mapping[str, Any]]) -> None:
    conn.executemany(
        f"INSERT INTO plan_items ({', '.join(_ITEM_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in _ITEM_COLUMNS)})",
        ([item[c] for c in _ITEM_COLUMNS] for item in items),
    )


def items(
    store: Store,
    month: str | None = None,
    auditor: str | None = None,
    months: tuple[str, str] | None = None,
) -> list[sqlite3.Row]:
    """Plan items (with ``audit_status``) by month, team and draw order."""
    where, params = _filters(month, auditor, months)
    return store.query(
        _SELECT_ITEMS + where + " ORDER BY p.month, p.team, p.plan_id, p.position", params
    )


def _filters(
    month: str | None, auditor: str | None, months: tuple[str, str] | None
) -> tuple[str, tuple[Any, ...]]:
    clauses: list[str] = []
    params: list[Any] = []
    if month is not None:
        clauses.append("p.month = ?")
        params.append(month)
    if months is not None:
        clauses.append("p.month BETWEEN ? AND ?")
        params += list(months)
    if auditor is not None:
        clauses.append("trim(p.auditor) = trim(?) COLLATE NOCASE")  # as same_name, for ASCII
        params.append(auditor)
    return (" WHERE " + " AND ".join(clauses) if clauses else "", tuple(params))


def items_by_prefix(conn: sqlite3.Connection | Store, prefix: str) -> list[sqlite3.Row]:
    """Items whose id starts with ``prefix`` (at most two: enough to say it is ambiguous)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    sql = _SELECT_ITEMS + " WHERE p.id LIKE ? ESCAPE '\\' ORDER BY p.id LIMIT 2"
    params = (escaped + "%",)
    if isinstance(conn, Store):
        return conn.query(sql, params)
    return conn.execute(sql, params).fetchall()


def assign(conn: sqlite3.Connection, item_id: str, auditor: str, now: str) -> None:
    conn.execute(
        "UPDATE plan_items SET auditor = ?, updated_at = ? WHERE id = ?", (auditor, now, item_id)
    )


def link_audit(conn: sqlite3.Connection, item_id: str, audit_id: str, now: str) -> bool:
    """Link ``audit_id`` to an item that has none; False if another audit got there first."""
    cursor = conn.execute(
        "UPDATE plan_items SET audit_id = ?, updated_at = ? WHERE id = ? AND audit_id IS NULL",
        (audit_id, now, item_id),
    )
    return cursor.rowcount == 1


def unlinked_draft(
    conn: sqlite3.Connection, case_ref: str, tool_id: str, auditor: str, since: str
) -> str | None:
    """A draft audit of this case, tool and auditor started since ``since`` that no plan item
    holds: what a ``start_planned_audit`` interrupted between its two steps left behind."""
    row = conn.execute(
        """
        SELECT a.id FROM audits AS a
        WHERE a.case_ref = ? AND a.tool_id = ? AND a.auditor = ? AND a.status = 'draft'
          AND a.started_on >= ?
          AND NOT EXISTS (SELECT 1 FROM plan_items AS p WHERE p.audit_id = a.id)
        ORDER BY a.created_at LIMIT 1
        """,
        (case_ref, tool_id, auditor, since),
    ).fetchone()
    return None if row is None else str(row["id"])


def holds_audit(store: Store, audit_id: str) -> bool:
    """Whether the audit is on this machine (a plan item's audit may be known only from a
    progress record the hub brought)."""
    return store.one("SELECT 1 AS found FROM audits WHERE id = ?", (audit_id,)) is not None


def plan_count(store: Store, month: str) -> int:
    row = store.one("SELECT count(*) AS n FROM plan_items WHERE month = ?", (month,))
    return int(row["n"]) if row is not None else 0


GROUPABLE = ("team", "auditor")


def status_counts(store: Store, month: str | None, by: str | None) -> list[sqlite3.Row]:
    """How many items there are per (month, group, linked audit's status): few rows, from
    which ``item_status`` derives the counts without reading every item into Python."""
    if by is not None and by not in GROUPABLE:
        raise ValueError(f"by must be one of {GROUPABLE}")
    group = f"p.{by}" if by is not None else "''"
    where, params = _filters(month, None, None)
    return store.query(
        f"""
        SELECT p.month AS month, {group} AS grp,
               coalesce(a.status, h.audit_status) AS audit_status, count(*) AS n
        FROM plan_items AS p {_HEARD}
        {where} GROUP BY 1, 2, 3
        """,
        params,
    )


def progress_baseline(store: Store, months: Sequence[str], this_month: str) -> list[sqlite3.Row]:
    """The same counts as ``services.programme_progress.progress`` straight from SQL, by team
    (spec/cli.md's meanings: missed is a month over and not ended, started or not; and
    ``missed_under_way``, those of them whose audit is still open): the benchmark's baseline
    (``bench/programme.py``), and a cross-check in the tests."""
    marks = ", ".join("?" for _ in months)
    return store.query(
        f"""
        SELECT grp, count(*) AS planned,
          sum(open_audit AND month >= ?) AS started,
          sum(s IS NOT NULL AND NOT open_audit) AS ended,
          sum(NOT (s IS NOT NULL AND NOT open_audit) AND month < ?) AS missed,
          sum(open_audit AND month < ?) AS missed_under_way
        FROM (
          SELECT p.team AS grp, p.month AS month, coalesce(a.status, h.audit_status) AS s,
                 coalesce(coalesce(a.status, h.audit_status)
                          NOT IN ('finalised', 'closed_incomplete'), 0) AS open_audit
          FROM plan_items AS p {_HEARD}
          WHERE p.month IN ({marks})
        )
        GROUP BY grp ORDER BY grp
        """,
        (this_month, this_month, this_month, *months),
    )
