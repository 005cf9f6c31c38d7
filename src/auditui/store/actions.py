"""SQL for follow-up actions; the caller owns the transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from auditui.domain.records import Action
from auditui.errors import NotFoundError

_SELECT = (
    "SELECT actions.*, audits.team AS team, audits.case_ref AS case_ref"
    " FROM actions JOIN audits ON audits.id = actions.audit_id"
)


def insert_action(conn: sqlite3.Connection, row: Mapping[str, Any]) -> None:
    conn.execute(
        "INSERT INTO actions (id, audit_id, owner, text, due, due_is_default, status, created_on,"
        " updated_at) VALUES (:id, :audit_id, :owner, :text, :due, :due_is_default, 'open',"
        " :created_on, :updated_at)",
        dict(row),
    )


def get_action(conn: sqlite3.Connection, action_id: str) -> Action:
    row = conn.execute(f"{_SELECT} WHERE actions.id = ?", (action_id,)).fetchone()
    if row is None and len(action_id) >= 6:
        rows = conn.execute(
            f"{_SELECT} WHERE actions.id >= ? AND actions.id < ? LIMIT 2",
            (action_id, action_id + "\uffff"),
        ).fetchall()
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise NotFoundError(f"There is no action '{action_id}'.")
    return Action.from_row(row)


def update_action(conn: sqlite3.Connection, action_id: str, changes: Mapping[str, Any]) -> None:
    sets = ", ".join(f"{name} = :{name}" for name in changes)
    conn.execute(f"UPDATE actions SET {sets} WHERE id = :id", {**changes, "id": action_id})


def actions_of(conn: sqlite3.Connection, audit_id: str) -> list[Action]:
    rows = conn.execute(
        f"{_SELECT} WHERE actions.audit_id = ? ORDER BY actions.due, actions.id", (audit_id,)
    )
    return [Action.from_row(r) for r in rows]


def redate_default_actions(conn: sqlite3.Connection, audit_id: str, due: str, when: str) -> None:
    """Open actions agreed during the audit take their due date from its completion."""
    conn.execute(
        "UPDATE actions SET due = ?, updated_at = ? WHERE audit_id = ? AND status = 'open'"
        " AND due_is_default = 1",
        (due, when, audit_id),
    )


def list_actions(
    conn: sqlite3.Connection,
    status: str | None = None,
    team: str | None = None,
    owner: str | None = None,
    due_before: str | None = None,
    limit: int | None = None,
) -> list[Action]:
    clauses: list[str] = []
    params: list[Any] = []
    if status:
        clauses.append("actions.status = ?")
        params.append(status)
    if team:
        clauses.append("audits.team = ?")
        params.append(team)
    if owner:
        clauses.append("actions.owner = ?")
        params.append(owner)
    if due_before:
        clauses.append("actions.due <= ?")
        params.append(due_before)
    sql = _SELECT + (" WHERE " + " AND ".join(clauses) if clauses else "")
    sql += " ORDER BY actions.due, actions.id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [Action.from_row(r) for r in conn.execute(sql, params)]
