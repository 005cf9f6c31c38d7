"""Safeguarding concerns in the TUI: `!` in the walker records one at once; the board shows them."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Select, Static
from tui_support import SMALL, open_hub_board, run, sync_to_a_team_hub, ticking_clock

from auditui.services import actions, concerns
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.actions_board import ActionsBoardScreen
from auditui.tui.screens.concern_form import ConcernFormScreen
from auditui.tui.screens.concern_respond import ConcernRespondScreen
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.key_bar import KeyBar


def test_the_concern_key_records_at_once_and_says_where_it_goes(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    notes: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            assert "! Concern" in str(walker.query_one(KeyBar).render())
            original = app.notify
            app.notify = lambda message, **kw: notes.append(str(message)) or original(message, **kw)
            await pilot.press("exclamation_mark")
            assert isinstance(app.screen, ConcernFormScreen)
            await pilot.press(*"Bruise on arm, no explanation", "tab", *"Jo Manager", "enter")
            assert app.screen is walker
            # recorded before the audit ends: the audit is still a draft
            assert [c.text for c in concerns.list_concerns(workspace)] == [
                "Bruise on arm, no explanation"
            ]

    run(scenario())
    (concern,) = concerns.list_concerns(workspace)
    assert (concern.audit_id, concern.raised_with, concern.team, concern.status) == (
        audit_id,
        "Jo Manager",
        "North Locality",
        "open",
    )
    assert any("goes to the team manager on the next sync" in n for n in notes), notes


def test_escape_records_nothing_and_an_empty_concern_is_refused(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "exclamation_mark", *"typed then cancelled", "escape")
            assert isinstance(app.screen, WalkerScreen)
            await pilot.press("exclamation_mark", " ", "ctrl+s")
            form = app.screen
            assert isinstance(form, ConcernFormScreen), "refused: the form stays"
            said = str(form.query_one("#concern-text-error", Static).render())
            assert said == "What the concern is: say what the concern is; nothing was recorded."
            await pilot.press("escape")
            assert isinstance(app.screen, WalkerScreen)

    run(scenario())
    assert concerns.list_concerns(workspace) == []


def _raise_on(workspace: Workspace, audit_id: str, when: dt.datetime, text: str) -> str:
    """A concern raised at ``when`` (the service stamps it with the workspace's clock)."""
    before = workspace.now
    workspace.now = ticking_clock(when)
    try:
        return concerns.raise_concern(workspace, audit_id, text, "Duty manager").id
    finally:
        workspace.now = before


def _ack_on(workspace: Workspace, concern_id: str, when: dt.datetime) -> None:
    before = workspace.now
    workspace.now = ticking_clock(when)
    try:
        concerns.acknowledge(workspace, concern_id)
    finally:
        workspace.now = before


def test_the_board_shows_open_concerns_above_every_action_and_answers_them(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    north = new_audit("NL/1")
    actions.add_action(workspace, north, "Sam Taylor", "Update the chronology", "2026-03-30")
    south = new_audit("SL/1", team="South Locality", practitioner="Alex Morgan")
    actions.add_action(workspace, south, "Alex Morgan", "Record the child's views", "2026-03-30")
    # raised last Wednesday and never acknowledged: late; one acknowledged the next day: late;
    # one raised this morning: due today
    old = _raise_on(workspace, north, dt.datetime(2026, 2, 25, 10, tzinfo=dt.UTC), "Old one")
    acked = _raise_on(workspace, south, dt.datetime(2026, 2, 26, 10, tzinfo=dt.UTC), "Acked late")
    _ack_on(workspace, acked, dt.datetime(2026, 2, 27, 9, tzinfo=dt.UTC))
    new = _raise_on(workspace, north, dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC), "Bruising")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("a")
            board = app.screen
            assert isinstance(board, ActionsBoardScreen)
            panel = board.query_one("#concerns", DataTable)
            actions_table = board.query_one("#board", DataTable)
            assert panel.region.bottom <= actions_table.region.y, "concerns above every action"
            assert board.focused is panel, "the most urgent first"
            summary = str(board.query_one("#concern-summary").render())
            assert summary.startswith("3 open safeguarding concerns, 2 not acknowledged in time")
            rows = [[str(c) for c in panel.get_row_at(r)] for r in range(panel.row_count)]
            assert [r[1:3] for r in rows] == [
                ["3 working days", "not yet: late"],
                ["2 working days", "late"],
                ["today", "due today"],
            ]
            assert [r[3] for r in rows] == ["Old one", "Acked late", "Bruising"]
            detail = str(board.query_one("#board-detail").render())
            assert "Old one" in detail and "with Duty manager" in detail
            # acknowledge the first, then close it with its outcome
            await pilot.press("c")
            assert isinstance(app.screen, ConcernRespondScreen)
            await pilot.press("a")
            assert app.screen is board
            assert [str(c) for c in panel.get_row_at(0)][2] == "late"
            await pilot.press("c", "o", *"Strategy discussion held", "enter")
            assert app.screen is board
            assert panel.row_count == 2
            # closed behind the board's back (the CLI, another manager): refused, in words
            await pilot.press("c")
            concerns.respond(workspace, acked, "Closed elsewhere")
            await pilot.press("o", *"Too late", "enter")
            await pilot.pause()
            said = [n.message for n in app._notifications]
            assert any("already has a response; it is closed" in m for m in said), said
            assert panel.row_count == 1
            # the team filter applies to concerns as well (South's was closed above)
            board.query_one("#team-filter", Select).value = "South Locality"
            await pilot.pause()
            assert not panel.display
            assert str(board.query_one("#concern-summary").render()) == (
                "No open safeguarding concerns."
            )

    run(scenario())
    closed = {c.id: c for c in concerns.list_concerns(workspace)}
    assert closed[old].outcome == "Strategy discussion held" and closed[old].status == "closed"
    assert closed[acked].outcome == "Closed elsewhere"
    assert closed[new].status == "open"


def test_the_hub_board_shows_every_teams_concerns_and_closes_them_on_the_hub(
    app: AuditApp, workspace: Workspace, isolated_env, new_audit
) -> None:
    from auditui.services.sync import run_sync

    hub = sync_to_a_team_hub(workspace, isolated_env)
    audit_id = new_audit("NL/1")
    concern_id = concerns.raise_concern(workspace, audit_id, "Child not seen", "Jo Smith").id
    run_sync(workspace)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            board = await open_hub_board(app, pilot)
            panel = board.query_one("#concerns", DataTable)
            assert panel.row_count == 1
            assert board.focused is panel
            await pilot.press("c", "o", *"Visit made today; child seen alone", "enter")
            await board.workers.wait_for_complete()
            await pilot.pause()
            assert board.hub is not None and panel.row_count == 0

    run(scenario())
    (on_hub,) = concerns.list_concerns(workspace, hub=str(hub))
    assert (on_hub.id, on_hub.status) == (concern_id, "closed")
    assert on_hub.outcome == "Visit made today; child seen alone"
