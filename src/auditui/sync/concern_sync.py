"""An owner's sync of safeguarding concerns with a folder hub: send, then hear the response.

Runs at the end of every sync (``engine``): each concern this machine recorded,
and each acknowledgement or response recorded here, that this hub has not
been sent is written signed; then what the hub believes about this
machine's own concerns (an acknowledgement or response by the team manager,
judged by ``concern_records``) is recorded in the local store, so the
auditor sees the outcome. A demo audit's concern goes to a demo hub only.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditui.store import concerns as rows
from auditui.sync.concern_records import (
    ConcernRecord,
    ConcernReply,
    HubConcern,
    read_concerns,
    write_records,
)

if TYPE_CHECKING:
    from auditui.store.db import Store
    from auditui.sync.folder import FolderHub


@dataclass
class ConcernSync:
    sent: int = 0
    """Concerns written to the hub this time."""
    heard: list[str] = field(default_factory=list)
    """One sentence per response or acknowledgement heard back and recorded here."""
    refused: list[str] = field(default_factory=list)
    """Concern files in the hub not believed, with the reason."""


def sync_concerns(store: Store, hub: FolderHub, target: str, now: str) -> ConcernSync:
    out = ConcernSync()
    when = dt.datetime.fromisoformat(now)
    mine = hub.key.public_hex
    before = read_concerns(hub, when)
    with store.transaction() as conn:
        local = rows.concerns_of(conn, hub.demo)
        sent = rows.delivered(conn, target)
    concerns, replies, parts = [], [], []
    for row in local:
        held = before.concerns.get(row["id"])
        for part in rows.parts_of(row):
            if part in sent.get(row["id"], set()) and _holds(held, mine, part):
                continue
            if part == "concern":
                concerns.append(record_of(row, hub.demo))
            else:
                replies.append(reply_of(row, part, hub.user_name))
            parts.append((row["id"], part))
    write_records(hub, concerns, replies)
    if parts:
        with store.transaction() as conn:
            rows.mark_delivered(conn, target, parts, now)
    out.sent = len(concerns)
    seen = read_concerns(hub, when) if parts else before
    with store.transaction() as conn:
        ours = {r["id"] for r in rows.list_concerns(conn)}
        refusals = dict.fromkeys(before.refused + seen.refused)  # before: what was repaired
        out.refused = [f"{name}: {why}" for name, why in refusals if _concern_of(name) in ours]
        for row in rows.list_concerns(conn, open_only=True):
            found = seen.concerns.get(row["id"])
            if found is None or found.signer != mine:
                continue
            short = row["id"][:8]
            if found.acknowledged_at is not None and row["acknowledged_at"] is None:
                at = found.acknowledged_at.isoformat(timespec="seconds")
                rows.acknowledge(conn, row["id"], at)
                rows.mark_delivered(conn, target, [(row["id"], "acknowledged")], now)
                if found.responded_at is None:
                    out.heard.append(f"Safeguarding concern {short} was acknowledged ({at}).")
            if found.responded_at is not None and found.outcome is not None:
                at = found.responded_at.isoformat(timespec="seconds")
                by = found.responded_by or ""
                if rows.respond(conn, row["id"], found.outcome, by, at):
                    rows.mark_delivered(conn, target, [(row["id"], "response")], now)
                    out.heard.append(
                        f"Safeguarding concern {short}: {by} responded ({at}): "
                        f"{found.outcome[:200]}"
                    )
    return out


def record_of(row: sqlite3.Row, demo: bool) -> ConcernRecord:
    return ConcernRecord(
        concern_id=row["id"],
        audit_id=row["audit_id"],
        team=row["team"],
        text=row["text"],
        raised_with=row["raised_with"],
        raised_by=row["raised_by"],
        raised_at=dt.datetime.fromisoformat(row["raised_at"]),
        demo=demo,
    )


def reply_of(row: sqlite3.Row, part: str, user: str) -> ConcernReply:
    if part == "acknowledged":
        return ConcernReply(
            concern_id=row["id"],
            kind="ack",
            at=dt.datetime.fromisoformat(row["acknowledged_at"]),
            by=row["responded_by"] or user or row["raised_by"],
        )
    return ConcernReply(
        concern_id=row["id"],
        kind="response",
        at=dt.datetime.fromisoformat(row["responded_at"]),
        by=row["responded_by"],
        outcome=row["outcome"],
    )


def _concern_of(name: str) -> str:
    """The concern id a file in ``concerns/`` names (what comes before its first dot)."""
    return name.rpartition("/")[2].split(".", 1)[0]


def _holds(held: HubConcern | None, mine: str, part: str) -> bool:
    """Whether the hub holds, and this reader believes, this part of our own concern
    (a lost, damaged or forged copy is sent again)."""
    if held is None or held.signer != mine:
        return False
    if part == "acknowledged":
        return held.acknowledged_at is not None
    if part == "response":
        return held.responded_at is not None
    return True
