"""The local side of sync: what has ended, what each hub has acknowledged, marking it.

Graded results wait in ``outbox`` (one row per ended revision, written by
finalise and close); action changes made after an audit ended wait in
``action_outbox`` (queued by triggers). Delivery is recorded **per hub**
(``outbox_delivery``, ``action_delivery``, keyed by the hub's id), only
after that hub confirmed it, so a new hub is offered everything and a crash
at any moment leaves a revision to be sent again, never lost.
``outbox.sent_at`` says "sent to some hub" (re-finalising clears it).

Demo audits (``audits.demo``) are kept apart: a real hub is offered only
real audits, a demo hub only demo ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from auditui.store.db import Store, storage_errors

CHUNK = 500
"""Ids per ``IN (...)`` list, well under SQLite's variable limit."""


@dataclass(frozen=True)
class PendingResult:
    audit_id: str
    revision: int
    created_at: str
    row: int = 0
    """The outbox row's rowid, to read its payload back by index."""
    sent_at: str | None = None
    """When it was last sent to any hub; None when (re)queued."""


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
    created_on: str = ""


@dataclass(frozen=True)
class LocalActionState:
    action_id: str
    audit_id: str
    status: str
    completed_on: str | None
    updated_at: str
    created_on: str = ""


def ended_revisions(store: Store, demo: bool) -> list[PendingResult]:
    """Every ended revision of real (or, with ``demo``, demo) audits, oldest first."""
    rows = store.query(
        "SELECT o.audit_id, o.revision, o.created_at, o.rowid, o.sent_at FROM outbox o"
        " JOIN audits a ON a.id = o.audit_id WHERE a.demo = ?"
        " ORDER BY o.created_at, o.audit_id, o.revision",
        (int(demo),),
    )
    return [PendingResult(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def held_back(store: Store, demo: bool) -> int:
    """How many ended revisions are of the other kind (demo, for a real hub) and stay here."""
    row = store.one(
        "SELECT count(*) FROM outbox o JOIN audits a ON a.id = o.audit_id WHERE a.demo != ?",
        (int(demo),),
    )
    return int(row[0]) if row else 0


def delivered(store: Store, target: str) -> set[tuple[str, int]]:
    """(audit id, revision) of every revision ``target`` has acknowledged."""
    rows = store.query("SELECT audit_id, revision FROM outbox_delivery WHERE target = ?", (target,))
    return {(r[0], r[1]) for r in rows}


def payloads(store: Store, pending: Sequence[PendingResult]) -> dict[tuple[str, int], str]:
    """The snapshot JSON of each pending revision, by (audit id, revision)."""
    out: dict[tuple[str, int], str] = {}
    with storage_errors():
        for start in range(0, len(pending), CHUNK):
            chunk = pending[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in store.conn.execute(
                f"SELECT audit_id, revision, payload FROM outbox WHERE rowid IN ({marks})",
                [p.row for p in chunk],
            ):
                out[(row[0], row[1])] = row[2]
    return out


def mark_results_sent(store: Store, target: str, sent: Iterable[PendingResult], when: str) -> int:
    """Record that ``target`` holds these revisions; a revision re-queued since it was read
    stays pending (its ``created_at`` no longer matches)."""
    items = list(sent)
    with store.transaction() as conn:
        before = conn.total_changes
        conn.executemany(
            "UPDATE outbox SET sent_at = ? WHERE audit_id = ? AND revision = ? AND created_at = ?"
            " AND sent_at IS NULL",
            [(when, p.audit_id, p.revision, p.created_at) for p in items],
        )
        changed = conn.total_changes - before
        conn.executemany(
            "INSERT INTO outbox_delivery (target, audit_id, revision, sent_at)"
            " SELECT ?, audit_id, revision, ? FROM outbox"
            " WHERE audit_id = ? AND revision = ? AND created_at = ?"
            " ON CONFLICT (target, audit_id, revision) DO UPDATE SET sent_at = excluded.sent_at",
            [(target, when, p.audit_id, p.revision, p.created_at) for p in items],
        )
        return changed


def forget_deliveries(store: Store, target: str, revisions: Iterable[tuple[str, int]]) -> None:
    """The hub no longer holds these (lost or damaged): offer them again."""
    with store.transaction() as conn:
        conn.executemany(
            "DELETE FROM outbox_delivery WHERE target = ? AND audit_id = ? AND revision = ?",
            [(target, a, r) for a, r in revisions],
        )


_ACTION_COLUMNS = (
    "q.action_id, a.audit_id, q.queued_at, a.owner, a.text, a.due, a.status,"
    " a.completed_on, a.evidence, a.updated_at, a.created_on"
)


def pending_actions(store: Store, target: str, demo: bool) -> list[PendingAction]:
    """Action changes ``target`` has not acknowledged (as they stand now), oldest first."""
    rows = store.query(
        f"SELECT {_ACTION_COLUMNS} FROM action_outbox q"
        " JOIN actions a ON a.id = q.action_id JOIN audits au ON au.id = a.audit_id"
        " WHERE au.demo = ? AND (q.sent_at IS NULL OR NOT EXISTS (SELECT 1 FROM action_delivery d"
        "  WHERE d.target = ? AND d.action_id = q.action_id AND d.queued_at = q.queued_at))"
        " ORDER BY q.queued_at",
        (int(demo), target),
    )
    return [PendingAction(*r) for r in rows]


def mark_actions_sent(store: Store, target: str, sent: Iterable[PendingAction], when: str) -> None:
    items = list(sent)
    with store.transaction() as conn:
        conn.executemany(
            "UPDATE action_outbox SET sent_at = ? WHERE action_id = ? AND queued_at = ?"
            " AND sent_at IS NULL",
            [(when, p.action_id, p.queued_at) for p in items],
        )
        conn.executemany(
            "INSERT INTO action_delivery (target, action_id, queued_at, sent_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (target, action_id) DO UPDATE SET"
            " queued_at = excluded.queued_at, sent_at = excluded.sent_at",
            [(target, p.action_id, p.queued_at, when) for p in items],
        )


_LOCAL_COLUMNS = "a.id, a.audit_id, a.status, a.completed_on, a.updated_at, a.created_on"


def actions_to_check(store: Store, target: str, also: Iterable[str] = ()) -> list[LocalActionState]:
    """Open actions of audits ``target`` holds, plus ``also``: what a manager may have done."""
    rows = store.query(
        f"SELECT {_LOCAL_COLUMNS} FROM actions a WHERE a.status = 'open' AND EXISTS"
        " (SELECT 1 FROM outbox_delivery d WHERE d.target = ? AND d.audit_id = a.audit_id)",
        (target,),
    )
    found = {r[0]: LocalActionState(*r) for r in rows}
    extra = [i for i in also if i not in found]
    with storage_errors():
        for start in range(0, len(extra), CHUNK):
            chunk = extra[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for r in store.conn.execute(
                f"SELECT {_LOCAL_COLUMNS} FROM actions a WHERE a.id IN ({marks})", chunk
            ):
                found[r[0]] = LocalActionState(*r)
    return list(found.values())


@dataclass(frozen=True)
class ActionChange:
    """A completion recorded over a hub, to be written into the local store."""

    action_id: str
    status: str
    completed_on: str | None
    evidence: str | None


def apply_hub_changes(store: Store, target: str, changes: Sequence[ActionChange], when: str) -> int:
    """Record completions made over the hub in the local store, as the hub has them.

    The queue entry the change makes (a trigger) is marked delivered to this hub
    at once: the hub already holds this state.
    """
    if not changes:
        return 0
    applied = 0
    with store.transaction() as conn:
        for change in changes:
            cursor = conn.execute(
                "UPDATE actions SET status = ?, completed_on = ?,"
                " evidence = coalesce(evidence, ?), updated_at = ?"
                " WHERE id = ? AND (status IS NOT ? OR completed_on IS NOT ?)",
                (
                    change.status,
                    change.completed_on,
                    change.evidence,
                    when,
                    change.action_id,
                    change.status,
                    change.completed_on,
                ),
            )
            applied += cursor.rowcount
            conn.execute(
                "UPDATE action_outbox SET sent_at = ? WHERE action_id = ? AND queued_at = ?"
                " AND sent_at IS NULL",
                (when, change.action_id, when),
            )
            conn.execute(
                "INSERT INTO action_delivery (target, action_id, queued_at, sent_at)"
                " SELECT ?, action_id, queued_at, ? FROM action_outbox"
                " WHERE action_id = ? AND queued_at = ?"
                " ON CONFLICT (target, action_id) DO UPDATE SET"
                " queued_at = excluded.queued_at, sent_at = excluded.sent_at",
                (target, when, change.action_id, when),
            )
    return applied
