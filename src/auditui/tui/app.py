"""The terminal app: one Workspace, a stack of screens, the keys every screen shares.

Kept small on purpose: each task lives in its own screen under ``screens/``,
and the app only owns what is global (quit, help, the command palette, the
start-up warnings from the store).
"""

from __future__ import annotations

import gc
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from auditui.services.workspace import Workspace
from auditui.tui.commands import ScreenActionsProvider
from auditui.tui.screens.help import HelpScreen
from auditui.tui.screens.home import HomeScreen


class AuditApp(App[None]):
    """auditui in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "auditui"
    COMMANDS = App.COMMANDS | {ScreenActionsProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "q",
            "quit",
            "Quit",
            show=False,
            tooltip="Leave auditui. Every answer is already saved.",
            id="app.quit",
        ),
        Binding(
            "question_mark",
            "help",
            "Help",
            key_display="?",
            tooltip="List the keys of this screen.",
            id="app.help",
        ),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def get_default_screen(self) -> Screen[None]:
        return HomeScreen(self.workspace)

    def on_mount(self) -> None:
        for warning in self.workspace.store.warnings:
            self.notify(warning, title="Database", severity="warning", timeout=15)

    def on_ready(self) -> None:
        """The first frame is up: keep start-up's objects out of every later GC pass,
        and load the tools in the background.

        The CLI holds the cyclic GC while the app starts (``cli.main``); frozen
        objects are never scanned again, so later collections (mid-audit) stay
        short too. Started any other way (the tests), the GC is left alone.
        """
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        if not self.workspace.library_loaded:
            self.run_worker(self._load_tools, thread=True, exit_on_error=False)

    def _load_tools(self) -> None:
        """The tools, read while the user takes in the home screen, so `n` or opening an
        audit does not wait for them (``Workspace.library`` makes a key wait only if
        it comes first)."""
        self.workspace.library  # noqa: B018 - loading is the point

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        """Save any typed text still in a field, then leave."""
        for screen in reversed(self.screen_stack):
            save = getattr(screen, "save_pending", None)
            if save is not None:
                save()
        self.exit()
