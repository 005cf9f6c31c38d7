"""Actions: agreed in the audit with a pre-filled due date, and the manager's board."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input
from tui_support import (
    MEDIUM,
    SIZE,
    SMALL,
    TODAY,
    on_day,
    open_hub_board,
    run,
    sample_audits,
    sync_to_a_team_hub,
)

from auditui.services import actions
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.palette import AMBER, OVERDUE
from auditui.tui.screens.action_form import ActionFormScreen
from auditui.tui.screens.actions_board import ActionsBoardScreen, hub_label
from auditui.tui.screens.audit_actions import AuditActionsScreen
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.widgets.key_bar import KeyBar


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


def _board_data(workspace: Workspace, new_audit) -> None:
    """Three actions: one overdue (agreed in an audit of a month ago), one due soon, one later."""
    with on_day(workspace, TODAY - dt.timedelta(days=28)):
        north = new_audit("NL/1")
        actions.add_action(workspace, north, "Sam Taylor", "Record the contingency", "2026-02-25")
    south = new_audit("SL/1", team="South Locality", practitioner="Alex Morgan")
    actions.add_action(workspace, south, "Alex Morgan", LONG_ACTION, "2026-03-04")
    actions.add_action(workspace, north, "Sam Taylor", "Update the chronology", "2026-03-30")


LONG_ACTION = (
    "See the child alone at school and record their wishes and feelings in their own words, "
    "then share them with the family"
)


def _column(table: DataTable[object], key: str) -> list[object]:
    return [
        table.get_cell_at(Coordinate(row, table.get_column_index(key)))
        for row in range(table.row_count)
    ]


def test_the_board_shows_urgency_filters_by_team_and_marks_actions_done(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    _board_data(workspace, new_audit)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a")
            board = app.screen
            assert isinstance(board, ActionsBoardScreen)
            table = board.query_one("#board", DataTable)
            texts = [str(t) for t in _column(table, "text")]
            assert texts[0] == "Record the contingency" and texts[2] == "Update the chronology"
            assert texts[1].startswith("See the child alone") and texts[1].endswith("…")
            days = _column(table, "left")
            assert isinstance(days[0], Text) and days[0].plain == "3 overdue"
            assert days[0].style == OVERDUE
            assert isinstance(days[1], Text) and days[1].plain == "2 left"
            assert days[1].style == AMBER  # one Textual draws: test_palette.py
            assert isinstance(days[2], Text) and days[2].style == ""
            summary = str(board.query_one("#board-summary").render())
            assert summary == "3 open actions: 1 overdue, 1 due within 5 working days"
            await pilot.press("t", "enter", "down", "down", "enter")  # South Locality
            await pilot.pause()
            assert table.row_count == 1
            assert str(board.query_one("#board-summary").render()).startswith("1 open action:")
            table.focus()
            await pilot.press("d", *"Seen at school", "enter")
            await pilot.pause()
            assert table.row_count == 0

    run(scenario())
    (done,) = actions.list_actions(workspace, status="done")
    assert done.action.text == LONG_ACTION
    assert done.action.evidence == "Seen at school"
    assert done.action.completed_on == TODAY


def test_the_board_fits_80_columns_and_shows_the_whole_action_below(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    _board_data(workspace, new_audit)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("a")
            board = app.screen
            assert isinstance(board, ActionsBoardScreen)
            table = board.query_one("#board", DataTable)
            keys = [column.key.value for column in table.ordered_columns]
            assert keys == ["due", "left", "owner", "text"]
            assert sum(c.get_render_width(table) for c in table.ordered_columns) <= SMALL[0] - 4
            await pilot.press("down")
            detail = str(board.query_one("#board-detail").render())
            assert LONG_ACTION.replace(" ", "") in detail.replace(" ", "").replace("\n", "")
            assert "due in 2 working days" in detail and "Alex Morgan" in detail
            assert "South Locality" in detail and "case SL/1" in detail
            await pilot.resize_terminal(*MEDIUM)
            await pilot.pause()
            keys = [column.key.value for column in table.ordered_columns]
            assert keys == ["due", "left", "owner", "text", "team"]
            await pilot.resize_terminal(*SIZE)
            await pilot.pause()
            keys = [column.key.value for column in table.ordered_columns]
            assert keys == ["due", "left", "owner", "text", "team", "case"]
            assert table.cursor_row == 1  # the same action still highlighted

    run(scenario())


def test_the_board_sorts_by_owner_and_team(app: AuditApp, workspace: Workspace, new_audit) -> None:
    _board_data(workspace, new_audit)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a")
            board = app.screen
            assert isinstance(board, ActionsBoardScreen)
            table = board.query_one("#board", DataTable)
            await pilot.press("s")  # by owner, then due date
            assert [str(o) for o in _column(table, "owner")] == [
                "Alex Morgan",
                "Sam Taylor",
                "Sam Taylor",
            ]
            assert "by owner" in str(board.query_one("#board-summary").render())
            await pilot.press("s")  # by team
            assert [str(t) for t in _column(table, "team")] == [
                "North Locality",
                "North Locality",
                "South Locality",
            ]
            await pilot.press("s")  # back to due date
            assert str(_column(table, "text")[0]) == "Record the contingency"

    run(scenario())


def test_enter_moves_on_only_from_a_right_field_and_a_date_is_not_an_action(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "A", "a")
            form = app.screen
            assert isinstance(form, ActionFormScreen)
            text_box = form.query_one("#action-text", Input)
            assert form.focused is text_box
            await pilot.press("enter")  # empty: stays, and says why
            assert form.focused is text_box
            error = str(form.query_one("#action-text-error").render())
            assert error == "Action: say what needs to be done."
            await pilot.press(*"31/02/2027", "enter")  # a date, and not even a real one
            assert form.focused is text_box
            assert "that is a date" in str(form.query_one("#action-text-error").render())
            await pilot.press("ctrl+s")  # saving is refused the same way
            assert app.screen is form and form.focused is text_box
            await pilot.press("ctrl+a", "ctrl+k", *"Add the dates of birth", "enter")
            assert form.focused is form.query_one("#action-due", Input)
            assert str(form.query_one("#action-text-error").render()) == ""
            await pilot.press("enter")  # saves with the suggested due date
            assert isinstance(app.screen, AuditActionsScreen)

    run(scenario())
    (view,) = actions.list_actions(workspace, audit_id=audit_id)
    assert view.action.text == "Add the dates of birth"


def test_an_empty_owner_keeps_enter_in_the_owner_box(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "A", "a")
            form = app.screen
            assert isinstance(form, ActionFormScreen)
            owner = form.query_one("#action-owner", Input)
            owner.focus()
            await pilot.press("ctrl+a", "ctrl+k", "enter")
            assert form.focused is owner
            assert "Owner: say who" in str(form.query_one("#action-owner-error").render())

    run(scenario())


def test_pop_ups_show_their_own_keys_not_the_lists(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    actions.add_action(workspace, new_audit(), "Sam Taylor", "Add the dates")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "A")
            assert isinstance(app.screen, AuditActionsScreen)
            await pilot.press("a")
            form = app.screen
            assert isinstance(form, ActionFormScreen)
            line = form.query_one(KeyBar).render_line(0).text
            assert "Save" in line and "Cancel" in line
            assert "Done" not in line and "Add" not in line  # the list's keys underneath
            await pilot.press("escape")
            await pilot.press("d")  # the reason pop-up for "done"
            reason = app.screen
            assert isinstance(reason, ReasonScreen)
            assert "Cancel" in reason.query_one(KeyBar).render_line(0).text

    run(scenario())


def test_an_audits_actions_show_their_status_at_80_and_100_columns(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    first = actions.add_action(workspace, audit_id, "Sam Taylor", LONG_ACTION)
    actions.add_action(workspace, audit_id, "Sam Taylor", "Update the chronology")
    actions.complete_action(workspace, first, evidence="Seen at school on Monday")

    async def scenario() -> None:
        async with app.run_test(size=MEDIUM) as pilot:
            await pilot.press("enter", "A")
            screen = app.screen
            assert isinstance(screen, AuditActionsScreen)
            table = screen.query_one(DataTable)
            for size in (MEDIUM, SMALL):
                await pilot.resize_terminal(*size)
                await pilot.pause()
                keys = [column.key.value for column in table.ordered_columns]
                assert keys[:4] == ["due", "status", "owner", "text"], (size, keys)
                widths = sum(c.get_render_width(table) for c in table.ordered_columns)
                assert widths <= size[0] - 4, (size, widths)
                assert sorted(str(s) for s in _column(table, "status")) == ["done 2 Mar", "open"]
            table.move_cursor(row=[str(s) for s in _column(table, "status")].index("done 2 Mar"))
            await pilot.pause()
            detail = str(screen.query_one("#audit-action-detail").render())
            assert "Evidence: Seen at school on Monday" in detail
            assert LONG_ACTION.replace(" ", "") in detail.replace(" ", "").replace("\n", "")

    run(scenario())


def test_the_hub_board_fits_80_columns_too(
    app: AuditApp, workspace: Workspace, isolated_env, new_audit
) -> None:
    from auditui.services.sync import run_sync

    sync_to_a_team_hub(workspace, isolated_env)
    sample_audits(workspace)
    run_sync(workspace)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            board = await open_hub_board(app, pilot)
            table = board.query_one("#board", DataTable)
            assert table.row_count == 3
            keys = [column.key.value for column in table.ordered_columns]
            assert keys == ["due", "left", "owner", "text"]
            summary = str(board.query_one("#board-summary").render())
            assert summary == "On the hub: 3 open actions: 1 overdue, 1 due within 5 working days"
            detail = str(board.query_one("#board-detail").render())
            assert "Jordan Lee" in detail and "North Locality" in detail
            assert "NL/1002" not in detail  # the hub holds a pseudonym, not the reference

    run(scenario())


def test_the_board_never_shows_a_hub_password() -> None:
    assert hub_label("postgresql://ann:s3cret@db.example.org:5432/auditui") == (
        "db.example.org/auditui"
    )
    assert hub_label("/srv/share/team-hub/") == "team-hub"


def test_h_with_no_hub_configured_says_where_to_set_one_and_stays_local(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    _board_data(workspace, new_audit)
    assert workspace.config.sync.target is None

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a")
            board = app.screen
            assert isinstance(board, ActionsBoardScreen)
            await pilot.press("h")
            await pilot.pause()
            assert board.hub is None
            (note,) = [n.message for n in app._notifications]
            assert note.startswith("No hub is configured") and "[sync]" in note
            assert board.query_one("#board", DataTable).row_count == 3

    run(scenario())


def test_the_board_footer_says_enter_opens_the_audit(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    _board_data(workspace, new_audit)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("a")
            assert isinstance(app.screen, ActionsBoardScreen)
            await pilot.pause()
            bar = app.screen.query_one(KeyBar)
            assert "Open" in " ".join(bar.render_line(n).text for n in range(bar.size.height))
            assert any(d.startswith("Open") for _, d, _ in bar.keys())

    run(scenario())
