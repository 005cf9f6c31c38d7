"""The actions board reading a hub: a team manager sees every team's actions and marks one done.

The manager's machine holds none of the audits; `h` on the board reads the
configured hub (a folder or PostgreSQL), `d` records a completion there,
and the auditor's next sync brings it home. An unreachable hub is said in
one sentence and the board goes back to this machine.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from rich.text import Text
from sync_support import finished_audit, make_config, open_workspace, person, trust_for_completions
from textual.widgets import DataTable, Static

from auditui.services import actions
from auditui.services.sync import hub_actions, run_sync
from auditui.services.workspace import Workspace
from auditui.tui.run import make_app
from auditui.tui.screens.actions_board import ActionsBoardScreen
from auditui.tui.screens.confirm import ConfirmScreen


def _manager(tmp_path: Path, target: str) -> Workspace:
    """The team manager at their own machine (their own data folder and signing key)."""
    return person(tmp_path, "Team Manager", target=target)


def _cells(table: DataTable[object], column: int | str) -> list[str]:
    """A column's cells, by position or by the column's key."""
    if isinstance(column, str):
        column = [str(k.value) for k in table.columns].index(column)
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


def test_the_board_reads_the_hub_and_marks_an_action_done_there(
    workspace: Workspace, hub_urls: tuple[str, str], tmp_path: Path
) -> None:
    submit, manage = hub_urls
    audit_id = finished_audit(workspace, "CIN-1", "note")
    today = workspace.today()
    soon = actions.add_action(
        workspace, audit_id, "Sam Taylor", "See the child alone", today + dt.timedelta(days=2)
    )
    later = actions.add_action(workspace, audit_id, "Sam Taylor", "Update the chronology")
    run_sync(workspace, submit)
    manager = _manager(tmp_path, manage)
    trust_for_completions(manage, manager, ["North Locality"])

    async def scenario() -> None:
        app = make_app(manager)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("a")
            board = app.screen
            assert isinstance(board, ActionsBoardScreen)
            table = board.query_one("#board", DataTable)
            assert table.row_count == 0  # the manager's own machine has no audits
            await pilot.press("h")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert board.hub == manage
            assert [str(k.value) for k in table.rows] == [soon, later]
            assert _cells(table, "team") == ["North Locality"] * 2
            # Action text travels by default: the manager must know what is to be done.
            assert [v.action.text for v in board.views] == [
                "See the child alone",
                "Update the chronology",
            ]
            left = table.get_row_at(0)[1]
            assert isinstance(left, Text) and left.plain == "2 left"
            summary = str(board.query_one("#board-summary", Static).render())
            assert summary.startswith("On the hub") and "2 open" in summary
            assert _cells(table, "case") == ["-"] * 2

            await pilot.press("enter")  # the audit is not on this machine
            await pilot.pause()
            assert app.screen is board

            await pilot.press("d")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")  # no: nothing changes
            assert app.screen is board
            await pilot.press("d", "y")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert [str(k.value) for k in table.rows] == [later]

            await pilot.press("h")  # back to this machine
            await pilot.pause()
            assert board.hub is None and table.row_count == 0

    asyncio.run(scenario())
    on_hub = {v.action.id: v.action.status for v in hub_actions(manager, manage)}
    assert on_hub == {soon: "done", later: "open"}
    assert run_sync(workspace, submit).completions_received == 1
    local = {v.action.id: v.action.status for v in actions.list_actions(workspace)}
    assert local == {soon: "done", later: "open"}
    manager.close()


def test_an_unreachable_hub_is_said_and_the_board_stays_on_this_machine(
    tmp_path: Path,
) -> None:
    manager = _manager(tmp_path, str(tmp_path / "unmounted" / "share"))
    messages: list[str] = []

    async def scenario() -> None:
        app = make_app(manager)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("a", "h")
            await app.workers.wait_for_complete()
            await pilot.pause()
            board = app.screen
            assert isinstance(board, ActionsBoardScreen)
            assert board.hub is None
            assert board.sub_title == "Actions board: this machine"
            messages.extend(n.message for n in app._notifications)

    asyncio.run(scenario())
    assert any("cannot be reached" in m for m in messages), messages
    manager.close()


def test_action_text_stays_local_when_the_organisation_says_so(
    tmp_path: Path, hub_urls: tuple[str, str]
) -> None:
    from dataclasses import replace

    submit, manage = hub_urls
    config = make_config(tmp_path / "private")
    config = replace(config, sync=replace(config.sync, share_action_text=False))
    (tmp_path / "private").mkdir()
    auditor = open_workspace(tmp_path / "private" / "auditor.db", config)
    audit_id = finished_audit(auditor, "CIN-9", "note")
    actions.add_action(auditor, audit_id, "Sam Taylor", "Speak to the child's school")
    run_sync(auditor, submit)
    board = hub_actions(_manager(tmp_path, manage), manage)
    assert [v.action.text for v in board] == [""]
    assert (
        "Speak to the child"
        not in "".join(
            p.read_text() for p in Path(submit).rglob("*.json") if not submit.startswith("postgres")
        )
        if not submit.startswith("postgres")
        else True
    )
    auditor.close()
