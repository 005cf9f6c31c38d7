"""The local side of sync: what is waiting to go, and marking it gone.

Graded results wait in ``outbox`` (one row per ended revision, written by
finalise and close); action changes made after an audit ended wait in
``action_outbox`` (queued by triggers, schema v2). A row is marked sent only
after the hub has confirmed it, and only if it has not changed meanwhile,
so a crash at any moment leaves it to be sent again, never lost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from auditui.store.db import Store, storage_errors


@dataclass(frozen=True)
class PendingResult:
    audit_id: str
    revision: int
    created_at: str
    row: int = 0
    """The outbox row's rowid, to read its payload back by index."""


@dataclass(frozen=True)
class PendingAction:
    action_id: str
    audit_id: str
    queued_at: str
    owner: str
    text: str
    due: str
    status: str
    completed_on: str | None
    evidence: str | None
    updated_at: str


@dataclass(frozen=True)
class LocalActionState:
    action_id: str
    audit_id: str
    status: str
    completed_on: str | None
    updated_at: str


def pending_results(store: Store) -> list[PendingResult]:
    """Every unsent revision, oldest first."""
    rows = store.query(
        "SELECT audit_id, revision, created_at, rowid FROM outbox WHERE sent_at IS NULL"
        " ORDER BY created_at, audit_id, revision"
    )
    return [PendingResult(r[0], r[1], r[2], r[3]) for r in rows]


def payloads(store: Store, pending: Sequence[PendingResult]) -> dict[tuple[str, int], str]:
    """The snapshot JSON of each pending revision, by (audit id, revision)."""
    out: dict[tuple[str, int], str] = {}
    with storage_errors():
        for start in range(0, len(pending), 500):
            chunk = pending[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in store.conn.execute(
                f"SELECT audit_id, revision, payload FROM outbox WHERE rowid IN ({marks})",
                [p.row for p in chunk],
            ):
                out[(row[0], row[1])] = row[2]
    return out


def mark_results_sent(store: Store, sent: Iterable[PendingResult], when: str) -> int:
    """Record delivery; a revision re-queued since it was read stays pending."""
    rows = [(when, p.audit_id, p.revision, p.created_at) for p in sent]
    with store.transaction() as conn:
        before = conn.total_changes
        conn.executemany(
            "UPDATE outbox SET sent_at = ? WHERE audit_id = ? AND revision = ? AND created_at = ?"
            " AND sent_at IS NULL",
            rows,
        )
        return conn.total_changes - before


def pending_actions(store: Store) -> list[PendingAction]:
    rows = store.query(
        "SELECT q.action_id, a.audit_id, q.queued_at, a.owner, a.text, a.due, a.status,"
        " a.completed_on, a.evidence, a.updated_at FROM action_outbox q"
        " JOIN actions a ON a.id = q.action_id WHERE q.sent_at IS NULL ORDER BY q.queued_at"
    )
    return [PendingAction(*r) for r in rows]


def mark_actions_sent(store: Store, sent: Iterable[PendingAction], when: str) -> None:
    with store.transaction() as conn:
        conn.executemany(
            "UPDATE action_outbox SET sent_at = ? WHERE action_id = ? AND queued_at = ?"
            " AND sent_at IS NULL",
            [(when, p.action_id, p.queued_at) for p in sent],
        )


def actions_to_check(store: Store, also: Iterable[str] = ()) -> list[LocalActionState]:
    """Open actions of audits the hub has, plus ``also``: what a team manager may have completed."""
    rows = store.query(
        "SELECT a.id, a.audit_id, a.status, a.completed_on, a.updated_at FROM actions a"
        " WHERE a.status = 'open' AND EXISTS"
        " (SELECT 1 FROM outbox o WHERE o.audit_id = a.audit_id AND o.sent_at IS NOT NULL)"
    )
    found = {r[0]: LocalActionState(*r) for r in rows}
    extra = [i for i in also if i not in found]
    with storage_errors():
        for start in range(0, len(extra), 500):
            chunk = extra[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in store.conn.execute(
                "SELECT id, audit_id, status, completed_on, updated_at FROM actions"
                f" WHERE id IN ({marks})",
                chunk,
            ):
                found[r[0]] = LocalActionState(*r)
    return list(found.values())


@dataclass(frozen=True)
class HubActionState:
    """Where the hub says an action stands."""

    status: str
    completed_on: str | None
    evidence: str | None = None


def apply_hub_states(store: Store, changes: dict[str, HubActionState], when: str) -> int:
    """Record completions made over the hub in the local store, as the hub has them.

    The queue entry the change makes (a trigger) is marked sent at once:
    the hub already holds this state.
    """
    if not changes:
        return 0
    with store.transaction() as conn:
        applied = 0
        for action_id, state in changes.items():
            applied += _apply_one(conn, action_id, state, when)
            conn.execute(
                "UPDATE action_outbox SET sent_at = ? WHERE action_id = ? AND queued_at = ?"
                " AND sent_at IS NULL",
                (when, action_id, when),
            )
    return applied


def _apply_one(conn: sqlite3.Connection, action_id: str, state: HubActionState, when: str) -> int:
    cursor = conn.execute(
        "UPDATE actions SET status = ?, completed_on = ?, evidence = coalesce(evidence, ?),"
        " updated_at = ? WHERE id = ? AND (status IS NOT ? OR completed_on IS NOT ?)",
        (
            state.status,
            state.completed_on,
            state.evidence,
            when,
            action_id,
            state.status,
            state.completed_on,
        ),
    )
    return cursor.rowcount
