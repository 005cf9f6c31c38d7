"""Sync and the hub's actions board, as the faces call them: a workspace in, plain results out.

``auditui.sync`` does the work and knows nothing of workspaces; these
wrappers pass it the workspace's store, config, clock and tool library, and
give hub actions the same ``ActionView`` shape the local actions board uses,
so the CLI and the TUI show a hub's actions with the code that shows local ones.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from auditui.domain.records import Action, checked_note, parse_date
from auditui.errors import InvalidAnswerError
from auditui.services.actions import ActionView, resolve_filter
from auditui.services.workspace import Workspace
from auditui.sync.build import ToolLookup
from auditui.sync.engine import BATCH_SIZE, Progress, SyncReport, sync
from auditui.sync.hub import BoardAction, Hub, open_hub

if TYPE_CHECKING:
    from auditui.sync.folder import FolderHub


def tool_lookup(ws: Workspace) -> ToolLookup:
    return lambda tool_id, version: ws.library.tools.get((tool_id, version))


def run_sync(
    ws: Workspace,
    target: str | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    demo_hub: bool = False,
) -> SyncReport:
    """Send this machine's outbox to ``target`` (default: the configured hub; none
    configured is a ``ConfigError`` saying where to set it)."""
    return sync(
        ws.store,
        ws.config,
        target,
        tools=tool_lookup(ws),
        progress=progress,
        batch_size=batch_size,
        now=ws.now,
        demo_hub=demo_hub,
    )


def check_demo_hub(target: str) -> None:
    """Refuse, before any demo audit is made, a ``--hub`` that cannot be a demo hub."""
    from auditui.errors import HubError
    from auditui.sync.hub import is_postgres
    from auditui.sync.hub_marker import is_empty, not_a_hub, read_marker, usable_path

    if not target.strip():
        raise not_a_hub(target)
    if is_postgres(target):
        raise HubError("Demo audits go only to a folder demo hub, never to a PostgreSQL hub.")
    root = usable_path(Path(target))
    if not root.is_dir():
        if root.exists():
            raise HubError(f"{root} is a file, not a folder; nothing was added.")
        return
    marker = read_marker(root)
    if marker is None and not is_empty(root):
        raise not_a_hub(root)
    if marker is not None and not marker.demo:
        raise HubError(f"{root} is a real hub: demo audits go only to a demo hub.")


def hub_actions(
    ws: Workspace,
    hub: str,
    status: str | None = None,
    due_within: int | None = None,
    overdue: bool = False,
    team: str | None = None,
    owner: str | None = None,
    index_path: Path | None = None,
) -> list[ActionView]:
    """Every team's actions on a hub, filtered as ``services.actions.list_actions`` filters."""
    status, due_before = resolve_filter(ws, status, due_within, overdue)
    today = ws.today()
    cal = ws.calendar
    board = _open(ws, hub, index_path)
    try:
        found = board.board()
    finally:
        board.close()
    return [
        _view(a, cal.working_days_between(today, a.due) if a.status == "open" else None)
        for a in found
        if (status is None or a.status == status)
        and (team is None or a.team == team)
        and (owner is None or a.owner == owner)
        and (due_before is None or a.due <= due_before)
    ]


def complete_hub_action(
    ws: Workspace,
    hub: str,
    action_id: str,
    on: dt.date | str | None = None,
    evidence: str | None = None,
    index_path: Path | None = None,
) -> ActionView:
    """A team manager marks an action done over the hub; the owner's next sync records it too.

    Evidence text is refused unless the organisation shares evidence with
    the hub (``sync.share_evidence_text``): it would otherwise leave this
    machine against the organisation's settings.
    """
    day = parse_date(on, "Completed on") if on is not None else ws.today()
    if day > ws.today():
        raise InvalidAnswerError(
            f"Completed on: {day:%d/%m/%Y} is in the future; record an action done once it is done."
        )
    note = checked_note(evidence or "", "Evidence") or None
    if note is not None and not ws.config.sync.share_evidence_text:
        raise InvalidAnswerError(
            "Evidence: this organisation keeps evidence text off the hub "
            "(sync.share_evidence_text is off); record the evidence in the case file "
            "and mark the action done without --evidence."
        )
    hub_ = _open(ws, hub, index_path)
    try:
        done = hub_.complete_action(action_id, day, note, ws.now())
    finally:
        hub_.close()
    return _view(done, None)


def _open(ws: Workspace, hub: str, index_path: Path | None) -> Hub:
    """A hub to read (or to complete an action on): a folder must already be a hub."""
    settings = ws.config.sync
    return open_hub(
        hub,
        settings.small_group_threshold,
        index_path=index_path,
        signing_key=settings.resolved_signing_key_file(),
        user_name=ws.config.user.name,
    )


def open_folder_hub(ws: Workspace, target: str) -> FolderHub:
    """The folder hub at ``target``, opened as this user with their signing key (a folder
    must already be a hub); the caller closes it."""
    from auditui.sync.folder import FolderHub

    settings = ws.config.sync
    opened = open_hub(
        target,
        settings.small_group_threshold,
        signing_key=settings.resolved_signing_key_file(),
        user_name=ws.user,
    )
    assert isinstance(opened, FolderHub)
    return opened


def _view(a: BoardAction, days_left: int | None) -> ActionView:
    action = Action(
        id=a.action_id,
        audit_id=a.audit_id,
        owner=a.owner,
        text=a.text or "",
        due=a.due,
        status=a.status,
        created_on=dt.date.min,
        completed_on=a.completed_on,
        evidence=None,
        team=a.team,
        case_ref="",
    )
    return ActionView(action, days_left)
