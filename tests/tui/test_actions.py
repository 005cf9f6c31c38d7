"""Actions: agreed in the audit with a pre-filled due date, and the manager's board."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable
from tui_support import SIZE, TODAY, run

from auditui.services import actions
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.palette import AMBER, OVERDUE
from auditui.tui.screens.action_form import ActionFormScreen
from auditui.tui.screens.actions_board import ActionsBoardScreen
from auditui.tui.screens.audit_actions import AuditActionsScreen


def test_an_action_is_agreed_in_the_audit_with_its_due_date_read_back(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "A")
            assert isinstance(app.screen, AuditActionsScreen)
            await pilot.press("a")
            form = app.screen
            assert isinstance(form, ActionFormScreen)
            words = str(form.query_one("#due-words").render())
            assert words == "due Mon 30 Mar 2026, 20 working days"
            await pilot.press(*"Add dates", "enter", "enter")
            assert isinstance(app.screen, AuditActionsScreen)
            assert app.screen.query_one(DataTable).row_count == 1

    run(scenario())
    (view,) = actions.list_actions(workspace, audit_id=audit_id)
    assert (view.action.owner, view.action.text) == ("Sam Taylor", "Add dates")
    assert view.action.due.isoformat() == "2026-03-30"


def test_the_board_shows_urgency_filters_by_team_and_marks_actions_done(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    north = new_audit("NL/1")
    south = new_audit("SL/1", team="South Locality", practitioner="Alex Morgan")
    actions.add_action(workspace, north, "Sam Taylor", "Record the contingency", "2026-02-25")
    actions.add_action(workspace, south, "Alex Morgan", "See the child alone", "2026-03-04")
    actions.add_action(workspace, north, "Sam Taylor", "Update the chronology", "2026-03-30")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a")
            board = app.screen
            assert isinstance(board, ActionsBoardScreen)
            table = board.query_one(DataTable)
            texts = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
            assert texts == [
                "Record the contingency",
                "See the child alone",
                "Update the chronology",
            ]
            days = [table.get_row_at(i)[1] for i in range(3)]
            assert isinstance(days[0], Text) and days[0].plain == "3 overdue"
            assert days[0].style == OVERDUE
            assert isinstance(days[1], Text) and days[1].plain == "2 left"
            assert days[1].style == AMBER  # one Textual draws: test_palette.py
            assert isinstance(days[2], Text) and days[2].style == ""
            await pilot.press("t", "enter", "down", "down", "enter")  # South Locality
            await pilot.pause()
            assert table.row_count == 1
            table.focus()
            await pilot.press("d", *"Seen at school", "enter")
            await pilot.pause()
            assert table.row_count == 0

    run(scenario())
    (done,) = actions.list_actions(workspace, status="done")
    assert done.action.text == "See the child alone"
    assert done.action.evidence == "Seen at school"
    assert done.action.completed_on == TODAY
