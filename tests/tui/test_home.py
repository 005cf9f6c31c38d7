"""Home: paged, filtered as you type, tabs by status; help and the palette from the bindings."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from textual import events
from textual.command import CommandPalette
from textual.widgets import Input
from tui_support import MEDIUM, SIZE, SMALL, TODAY, answer_all, on_day, run, sample_audits

from auditui.config import load_config
from auditui.services import actions, audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary
from auditui.tui.app import AuditApp
from auditui.tui.commands import ScreenActionsProvider
from auditui.tui.run import make_app
from auditui.tui.screens.help import HelpScreen
from auditui.tui.screens.home import HomeScreen
from auditui.tui.widgets.audit_table import FIRST_PAGE, PAGE, AuditTable
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.side_panel import SidePanel
from auditui.tui.widgets.status_tabs import StatusTabs


def test_the_table_reads_a_page_at_a_time_and_filters_as_you_type(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    for n in range(PAGE + 30):
        new_audit(f"NL/{n:04d}")
    new_audit("SL/9999", team="South Locality")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            table = app.screen.query_one(AuditTable)
            assert table.total == PAGE + 31
            assert table.row_count == FIRST_PAGE
            assert table.cells(0)[0] == "SL/9999"  # newest first
            await pilot.press("end")
            await pilot.pause()
            assert table.row_count == PAGE + 31
            await pilot.press("slash", *"South")
            assert table.total == 1 and table.row_count == 1
            await pilot.press("enter")  # back to the table
            assert app.screen.focused is table
            await pilot.press("t")  # Finalised: none yet
            assert table.total == 0
            assert "No audits match" in str(app.screen.query_one("#home-empty").render())

    run(scenario())


def test_help_and_the_palette_list_this_screens_actions(app: AuditApp) -> None:
    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("question_mark")
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            table = " ".join(" ".join(row) for row in help_screen.rows)
            for words in ("New audit", "Choose an audit tool", "Filter", "Actions", "Quit"):
                assert words in table
            await pilot.press("escape")
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("ctrl+p")
            assert isinstance(app.screen, CommandPalette)
            provider = ScreenActionsProvider(app.screen_stack[-2])
            titles = [hit.text async for hit in provider.discover()]
            assert "New audit (n)" in titles
            await pilot.press(*"new audit", "enter")
            await pilot.pause()
            assert type(app.screen).__name__ == "ToolChooserScreen"

    run(scenario())


def test_a_database_others_can_read_is_reported_at_start(
    isolated_env: Any, library: ToolLibrary
) -> None:
    Workspace.open(isolated_env.db, library=library).close()
    os.chmod(isolated_env.db, 0o644)
    workspace = Workspace.open(isolated_env.db, library=library, config=load_config())
    app = make_app(workspace)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            (note,) = list(app._notifications)
            assert note.title == "Database"
            assert "can be read by other users" in note.message

    run(scenario())
    workspace.close()


def test_the_status_tabs_name_the_key_that_switches_them(app: AuditApp) -> None:
    (key,) = [b.key for b in HomeScreen.BINDINGS if getattr(b, "action", "") == "next_status"]

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            tabs = app.screen.query_one(StatusTabs)
            assert f"({key} switches)" in str(tabs.render())
            before = tabs.value
            await pilot.press(key)
            assert tabs.value != before

    run(scenario())


def test_a_burst_of_keys_after_slash_all_go_into_the_filter(app: AuditApp, new_audit) -> None:
    """A quick typist's "/nl" arrives at once: nothing is lost and "n" opens no new audit."""
    new_audit("NL/1001")
    new_audit("SL/2002")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            home = app.screen
            assert isinstance(home, HomeScreen)
            assert not home.query_one("#filter", Input).display  # a one-line hint until `/`
            for key, char in (("slash", "/"), ("n", "n"), ("l", "l")):
                app.post_message(events.Key(key, char))
            await pilot.pause()
            await pilot.pause()
            assert app.screen is home
            search = home.query_one("#filter", Input)
            assert search.display and app.focused is search
            assert search.value == "nl"
            assert home.query_one(AuditTable).total == 1
            await pilot.press("backspace", "backspace", "escape")
            assert not search.display and home.query_one("#filter-hint").display

    run(scenario())


def test_the_side_panel_counts_overdue_and_due_soon_apart_with_plurals(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    with on_day(workspace, TODAY - dt.timedelta(days=28)):
        old = new_audit("NL/0001")
        for n in range(7):  # seven overdue: more than the panel lists
            actions.add_action(workspace, old, "Sam Taylor", f"Overdue task {n}", "2026-02-20")
    soon = new_audit("NL/0002")
    actions.add_action(workspace, soon, "Sam Taylor", "Visit the child", "2026-03-04")
    new_audit("NL/0003")  # a third draft with no action

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            side = str(app.screen.query_one(SidePanel).render())
            assert "7 overdue\n" in side and "1 due soon\n" in side
            assert "(within 5 working days)" in side
            assert "actions due soon" not in side and "+" not in side
            assert "6 overdue" in side  # the first listed: 6 working days past Fri 20 Feb
            count = str(app.screen.query_one("#home-count").render())
            assert count == "3 of 3 shown · 3 drafts · 7 overdue, 1 due soon (a)"

    async def narrow() -> None:
        async with make_app(workspace).run_test(size=SMALL) as pilot:
            await pilot.pause()
            count = str(pilot.app.screen.query_one("#home-count").render())
            assert count == "3 of 3 shown · 3 drafts · 7 overdue, 1 due soon (a)"

    run(scenario())
    run(narrow())


def test_one_of_each_is_singular(app: AuditApp, workspace: Workspace, new_audit) -> None:
    audit_id = new_audit("NL/0001")
    actions.add_action(workspace, audit_id, "Sam Taylor", "Visit the child", "2026-03-04")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            count = str(app.screen.query_one("#home-count").render())
            assert count == "1 of 1 shown · 1 draft · 1 due soon (a)"
            await pilot.press("a")
            summary = str(app.screen.query_one("#board-summary").render())
            assert summary == "1 open action: 1 due within 5 working days"

    run(scenario())


def test_every_column_and_whole_grades_show_at_80_and_100_columns(
    workspace: Workspace, new_audit
) -> None:
    sample_audits(workspace)
    weak = new_audit("NL/1003")
    answer_all(
        workspace,
        weak,
        specific="no",
        measurable="no",
        achievable="partly",
        realistic="partly",
        timely="no",
    )
    assert audits.load(workspace, weak).audit.overall_grade == "requires_improvement"

    async def scenario(size: tuple[int, int], grade: str) -> None:
        app = make_app(workspace)
        async with app.run_test(size=size) as pilot:
            await pilot.press("t", "t")  # All: the status column too
            table = app.screen.query_one(AuditTable)
            header = table.render_line(0).text
            for title in ("Case ref", "Tool", "Team", "Status", "Done", "Grade", "Changed"):
                assert title in header, (size, header)
            lines = [table.render_line(y).text for y in range(1, table.row_count + 1)]
            (row,) = [line for line in lines if "NL/1003" in line]
            assert f" {grade} " in row, row
            assert table.render_line(0).cell_length == table.size.width

    run(scenario(MEDIUM, "Req. improv."))  # beside the side panel
    run(scenario(SMALL, "Req. improvement"))  # the side panel gives way under 100 columns
    run(scenario(SIZE, "Req. improvement"))


def test_the_status_column_shows_only_on_the_all_tab(app: AuditApp, new_audit) -> None:
    new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            table = app.screen.query_one(AuditTable)
            assert "Status" not in table.render_line(0).text  # the Drafts tab says it
            await pilot.press("t", "t")
            assert "Status" in table.render_line(0).text

    run(scenario())


def test_the_home_footer_shows_every_key_at_80_and_100_columns(workspace: Workspace) -> None:
    """Export, and the planned / progress / moderation keys once only in `?`, on two lines."""

    async def scenario(size: tuple[int, int]) -> None:
        app = make_app(workspace)
        async with app.run_test(size=size):
            bar = app.screen.query_one(KeyBar)
            lines = [bar.render_line(n).text for n in range(bar.size.height)]
            assert len(lines) == 2, lines
            text = " ".join(lines)
            for words in ("n New", "/ Filter", "r Reports", "s Sync", "e Export", "a Actions"):
                assert words in text, (size, text)
            for words in ("p Planned", "P Programme", "m Moderation", "? Help"):
                assert words in text, (size, text)
            assert all(len(line.rstrip()) <= size[0] for line in lines)

    run(scenario(SMALL))
    run(scenario(MEDIUM))


def test_demo_audits_are_marked_demo_on_the_home_screen(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    from auditui.services.demo import generate_demo

    generate_demo(workspace, 3, seed=1)
    new_audit("NL/REAL")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("t", "t")  # All
            table = app.screen.query_one(AuditTable)
            refs = [table.cells(i)[0] for i in range(table.row_count)]
            assert "NL/REAL" in refs
            marked = [ref for ref in refs if ref.startswith("*")]
            assert len(marked) == 3 and len(refs) == 4
            count = str(app.screen.query_one("#home-count").render())
            assert count.startswith("4 of 4 shown (3 demo, marked *)")

    run(scenario())


def test_with_nothing_planned_p_says_so_and_the_audits_keep_the_keys(
    app: AuditApp, new_audit
) -> None:
    """No plan item: no panel, no table mounted for it, and `p` says why nothing moved."""
    new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            panel = app.screen.query_one("#planned-panel")
            assert not panel.display and not panel.query("#planned")
            await pilot.press("p")
            await pilot.pause()
            assert app.screen.focused is app.screen.query_one(AuditTable)
            assert any("Nothing is planned for you" in str(n.message) for n in app._notifications)

    run(scenario())


def test_a_drafts_grade_on_the_home_list_reads_so_far(workspace: Workspace, new_audit) -> None:
    """Issue 13 item 9: one answer and a chosen overall grade is no result yet."""
    audit_id = new_audit("NL/7")
    audits.answer(workspace, audit_id, "specific", "yes")
    audits.set_grade(workspace, audit_id, "overall", "good", "Chosen early, on purpose.")

    async def scenario(size: tuple[int, int]) -> None:
        app = make_app(workspace)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            table = app.screen.query_one(AuditTable)
            line = table._line(table.cells(0), table._widths[1])  # noqa: SLF001
            assert "Good so far" in line or "Good?" in line, (size, line)
            assert "Good " not in line.replace("Good so far", ""), (size, line)

    run(scenario(SMALL))
    run(scenario(MEDIUM))
