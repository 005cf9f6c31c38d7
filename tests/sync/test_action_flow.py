"""Actions after the audit: completions travel both ways and both sides end up agreeing.

An auditor completes an action after finalising (it must reach the hub); a
team manager completes one over the hub (it must reach the auditor's
local store on their next sync); when both complete the same action, the
first completion recorded wins on both sides.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sync_support import finished_audit, person, trust_for_completions

from auditui.errors import InvalidAnswerError, NotFoundError, StateError
from auditui.services import actions
from auditui.services.sync import complete_hub_action, hub_actions, run_sync
from auditui.services.workspace import Workspace


def _local(ws: Workspace) -> dict[str, tuple[str, Any]]:
    return {v.action.id: (v.action.status, v.action.completed_on) for v in actions.list_actions(ws)}


def _board(manager: Workspace, hub: str) -> dict[str, tuple[str, Any]]:
    return {
        v.action.id: (v.action.status, v.action.completed_on) for v in hub_actions(manager, hub)
    }


def test_completions_flow_both_ways_and_both_sides_agree(
    workspace: Workspace, hub_urls: tuple[str, str], tmp_path: Path
) -> None:
    submit, manage = hub_urls
    manager = person(tmp_path, "Team Manager")
    audit_id = finished_audit(workspace, "CIN-1", "note")
    first, second, third = (
        actions.add_action(workspace, audit_id, owner="Sam Taylor", text=f"Action {n}")
        for n in range(3)
    )
    run_sync(workspace, submit)
    trust_for_completions(manage, manager, ["North Locality"])
    wednesday = dt.date(2026, 3, 4)  # the completions below are in the past by then
    workspace.today = lambda: wednesday
    manager.today = lambda: wednesday
    board = _board(manager, manage)
    assert set(board) == {first, second, third}
    assert {s for s, _ in board.values()} == {"open"}
    assert all(v.action.team == "North Locality" for v in hub_actions(manager, manage))

    # The auditor completes one locally, after finalising: it reaches the hub.
    monday = dt.date(2026, 3, 2)
    actions.complete_action(workspace, first, on=monday)
    assert run_sync(workspace, submit).actions_sent == 1
    assert _board(manager, manage)[first] == ("done", monday)

    # The team manager completes another over the hub: the auditor's next sync records it.
    tuesday = dt.date(2026, 3, 3)
    done = complete_hub_action(manager, manage, second[:8], on=tuesday)
    assert done.action.id == second and done.action.status == "done"
    with pytest.raises(StateError, match="already done"):
        complete_hub_action(manager, manage, second, on=tuesday)
    with pytest.raises(NotFoundError):
        complete_hub_action(manager, manage, "no-such-action", on=tuesday)
    with pytest.raises(InvalidAnswerError, match="share_evidence_text"):
        complete_hub_action(manager, manage, third, on=tuesday, evidence="Seen the plan")
    assert _local(workspace)[second] == ("open", None)
    received = run_sync(workspace, submit)
    assert received.completions_received == 1
    assert _local(workspace)[second] == ("done", tuesday)

    # Both complete the third: the manager's (recorded first) stands everywhere.
    complete_hub_action(manager, manage, third, on=monday)
    actions.complete_action(workspace, third, on=tuesday)
    run_sync(workspace, submit)
    assert _local(workspace)[third] == ("done", monday)
    assert _board(manager, manage) == _local(workspace)

    # An action agreed after the audit ended appears on the board at the next sync.
    late = actions.add_action(
        workspace, audit_id, owner="Team manager", text="Review in supervision"
    )
    assert run_sync(workspace, submit).actions_sent == 1
    assert _board(manager, manage) == _local(workspace)
    assert _board(manager, manage)[late][0] == "open"
    assert run_sync(workspace, submit).summary().startswith("Nothing to send")
    overdue = hub_actions(manager, manage, overdue=True)
    assert all(v.action.status == "open" for v in overdue)
    manager.close()
