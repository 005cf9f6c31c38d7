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
from auditui.sync.folder_judge import action_problem, open_action, open_result
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
    from auditui.sync.folder import RESULT_NAME

    wanted = set(audit_ids)
    revisions: dict[str, dict[int, re.Match[str]]] = {}
    for name in names(hub, hub.root):
        match = RESULT_NAME.match(name)
        if match is not None and match.group(1) in wanted:
            revisions.setdefault(match.group(1), {})[int(match.group(2))] = match
    mine = hub.key.public_hex
    out: dict[str, int] = {}
    for audit_id, found in revisions.items():
        n = 0
        while (n + 1) in found:
            opened = open_result(hub.root / found[n + 1].group(0), found[n + 1], hub.demo)
            if isinstance(opened, str) or opened[1] != mine:
                break
            n += 1
        if n:
            out[audit_id] = n
    return out


def action_states(hub: FolderHub, action_ids: Sequence[str]) -> dict[str, HubActionState]:
    from auditui.sync.folder import ACTION_NAME, ACTIONS_DIR, record_of_state

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
