"""Home: paged, filtered as you type, tabs by status; help and the palette from the bindings."""

from __future__ import annotations

import os
from typing import Any

from textual import events
from textual.command import CommandPalette
from textual.widgets import Input
from tui_support import SIZE, SMALL, run

from auditui.config import load_config
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary
from auditui.tui.app import AuditApp
from auditui.tui.commands import ScreenActionsProvider
from auditui.tui.run import make_app
from auditui.tui.screens.help import HelpScreen
from auditui.tui.screens.home import HomeScreen
from auditui.tui.widgets.audit_table import FIRST_PAGE, PAGE, AuditTable
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
