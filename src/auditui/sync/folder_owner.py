"""A folder hub as its records' owner sees it when syncing: what it holds, what was completed.

The owner's sync asks two things of the hub: which of this machine's
revisions are there, whole and signed by this machine (``held``: anything
missing, damaged or forged is sent again), and which of this machine's
actions a team manager completed (``action_states``), believed by the same
rules every reader applies (``folder_judge``), so a file dropped on the share
never reaches the owner's own database.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from auditui.errors import HubError
from auditui.sync.facts import ActionRecord, merge_action
from auditui.sync.folder_judge import action_problem, open_action, open_result, record_of_state
from auditui.sync.outbox import HubActionState
from auditui.sync.trust import read_trust

if TYPE_CHECKING:
    from auditui.sync.folder import FolderHub

OwnAudit = tuple[str, dict[str, str | None], str]
"""(team, agreed date per action id, the audit's start date)."""


def names(hub: FolderHub, directory: Path) -> list[str]:
    try:
        with os.scandir(directory) as entries:
            return [e.name for e in entries]
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise HubError(f"Cannot read the folder hub {hub.root} ({exc.strerror}).") from None


def held(hub: FolderHub, audit_ids: Sequence[str]) -> dict[str, int]:
    """See ``FolderHub.held``. A file this machine already verified as its own is not read
    again while its size, times and inode are unchanged (kept in the reader's index: a
    replaced or edited file changes its change time, which no user can set)."""
    from auditui.sync.folder import RESULT_NAME

    wanted = set(audit_ids)
    revisions: dict[str, dict[int, tuple[re.Match[str], Stamp]]] = {}
    for name, stamp in _stamped(hub, hub.root):
        match = RESULT_NAME.match(name)
        if match is not None and match.group(1) in wanted:
            revisions.setdefault(match.group(1), {})[int(match.group(2))] = (match, stamp)
    mine = hub.key.public_hex
    index = hub.open_index()
    try:
        known = {r[0]: tuple(r[1:]) for r in index.conn.execute("SELECT * FROM mine")}
        verified: list[tuple[str, int, int, int, int]] = []
        out: dict[str, int] = {}
        for audit_id, found in revisions.items():
            n = 0
            while (n + 1) in found:
                match, stamp = found[n + 1]
                if known.get(match.group(0)) != stamp:
                    opened = open_result(hub.root / match.group(0), match, hub.demo)
                    if isinstance(opened, str) or opened[1] != mine:
                        break
                    verified.append((match.group(0), *stamp))
                n += 1
            if n:
                out[audit_id] = n
        if verified:
            with index.conn:  # one transaction, not a commit per file
                index.conn.execute("BEGIN IMMEDIATE")
                index.conn.executemany(
                    "INSERT OR REPLACE INTO mine VALUES (?, ?, ?, ?, ?)", verified
                )
    finally:
        index.close()
    return out


def remember_mine(hub: FolderHub, written: list[tuple[str, int]]) -> None:
    """Files this machine just wrote are its own while they keep the inode it wrote (a
    replaced file has another), so the next sync's ``held`` need not read them again."""
    rows = []
    for name, inode in written:
        try:
            st = os.stat(hub.root / name, follow_symlinks=False)
        except OSError:
            continue
        if st.st_ino == inode:
            rows.append((name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    index = hub.open_index()
    try:
        with index.conn:
            index.conn.execute("BEGIN IMMEDIATE")
            index.conn.executemany("INSERT OR REPLACE INTO mine VALUES (?, ?, ?, ?, ?)", rows)
    finally:
        index.close()


Stamp = tuple[int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode) of a file."""


def _stamped(hub: FolderHub, directory: Path) -> list[tuple[str, Stamp]]:
    out = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                out.append((entry.name, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)))
    except OSError as exc:
        raise HubError(f"Cannot read the folder hub {hub.root} ({exc.strerror}).") from None
    return out


def action_states(hub: FolderHub, action_ids: Sequence[str]) -> dict[str, HubActionState]:
    from auditui.sync.folder import ACTION_NAME, ACTIONS_DIR

    wanted = set(action_ids)
    hub.refused = []
    trust = read_trust(hub.root, hub.pinned_lead())
    mine = hub.key.public_hex
    audits: dict[str, OwnAudit | None] = {}
    records: dict[str, list[ActionRecord]] = {}
    today = dt.datetime.now(dt.UTC).date()
    for name in names(hub, hub.root / ACTIONS_DIR):
        match = ACTION_NAME.match(name)
        if match is None or match.group(1) not in wanted:
            continue
        opened = open_action(hub.root / ACTIONS_DIR / name, match)
        if isinstance(opened, str):
            hub.refused.append((f"{ACTIONS_DIR}/{name}", opened))
            continue
        state, signer = opened
        if state.audit_id not in audits:
            audits[state.audit_id] = _own_audit(hub, state.audit_id, mine)
        known = audits[state.audit_id]
        if known is None:
            continue  # not an audit of this machine's on this hub
        team, agreed, started = known
        if state.agreed_on is not None and state.source == "owner":
            agreed_on: str | None = state.agreed_on.isoformat()
        else:
            agreed_on = agreed.get(state.action_id) or started
        problem = action_problem(state, signer, mine, team, trust, agreed_on, today)
        if problem is not None:
            hub.refused.append((f"{ACTIONS_DIR}/{name}", problem))
            continue
        records.setdefault(state.action_id, []).append(record_of_state(state))
    out = {}
    for action_id, found in records.items():
        merged = merge_action(found)
        if merged.status != "open":
            out[action_id] = HubActionState(merged.status, merged.completed_on, merged.evidence)
    return out


def _own_audit(hub: FolderHub, audit_id: str, mine: str) -> OwnAudit | None:
    """From this machine's latest believed result of the audit on the hub, or None."""
    from auditui.sync.folder import RESULT_NAME

    revisions = sorted(
        (int(m.group(2)), m)
        for m in map(RESULT_NAME.match, names(hub, hub.root))
        if m is not None and m.group(1) == audit_id
    )
    for _, match in reversed(revisions):
        opened = open_result(hub.root / match.group(0), match, hub.demo)
        if not isinstance(opened, str) and opened[1] == mine:
            result = opened[0]
            agreed = {
                a.id: a.agreed_on.isoformat() if a.agreed_on else None for a in result.actions
            }
            return result.team, agreed, result.started_on.isoformat()
    return None
