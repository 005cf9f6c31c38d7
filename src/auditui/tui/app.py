"""The terminal app: one Workspace, a stack of screens, the keys every screen shares.

Kept small on purpose: each task lives in its own screen under ``screens/``,
and the app only owns what is global (quit, help, the command palette, the
start-up warnings from the store, a worker that fails unexpectedly, a
terminal too small to use).
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import WorkerFailed

from auditui.config import config_file_hint
from auditui.errors import AuditUIError
from auditui.services.workspace import Workspace
from auditui.tui.commands import ScreenActionsProvider
from auditui.tui.error_log import log_unexpected, unexpected_sentence
from auditui.tui.feedback import show_error
from auditui.tui.keymap import checked_keymap
from auditui.tui.screens.help import HelpScreen
from auditui.tui.screens.home import HomeScreen
from auditui.tui.screens.too_small import MIN_SIZE, TooSmallScreen


class AuditApp(App[None]):
    """auditui in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "auditui"
    COMMANDS = App.COMMANDS | {ScreenActionsProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (120, "-wider")]
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
        # Textual's ctrl+c only says "press ctrl+q"; everything is saved as it is typed, so
        # it quits, as users expect. In a box with text selected it still copies first.
        Binding(
            "ctrl+c",
            "quit",
            "Quit",
            show=False,
            tooltip="Leave auditui. Every answer is already saved.",
            id="app.quit_ctrl_c",
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

    def __init__(self, workspace: Workspace, error_log_dir: Path | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.error_log_dir = error_log_dir
        """Where unexpected errors are logged; None: the per-user log folder."""
        self.unexpected_errors: list[BaseException] = []
        """Worker failures the app survived this session (the tests read these)."""
        self.user_keymap = checked_keymap(workspace.config.keys.keymap, str(config_file_hint()))
        """The user's ``[keys]`` (binding id -> keys), shown in help; refused by name at start."""
        if self.user_keymap:
            self.set_keymap(self.user_keymap)

    def get_default_screen(self) -> Screen[None]:
        return HomeScreen(self.workspace)

    def on_mount(self) -> None:
        for warning in self.workspace.store.warnings:
            self.notify(warning, title="Database", severity="warning", timeout=15, markup=False)

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
            self.run_worker(self._load_tools, thread=True)  # a failure reaches worker_failed

    def _load_tools(self) -> None:
        """The tools, read while the user takes in the home screen, so `n` or opening an
        audit does not wait for them (``Workspace.library`` makes a key wait only if
        it comes first)."""
        self.workspace.library  # noqa: B018 - loading is the point

    def _handle_exception(self, error: Exception) -> None:
        """A worker that fails leaves the app up; anything else ends it, as Textual does.

        Textual 8.2.8 sends every worker started with ``exit_on_error`` (the
        default) here as a ``WorkerFailed``, whichever screen started it, so
        this is the one place that catches them all (``Worker.StateChanged``
        only reaches the node that ran the worker). A screen that waits on its
        worker also watches its state, to stop waiting.
        """
        if isinstance(error, WorkerFailed) and isinstance(error.error, Exception):
            self.worker_failed(error.error)
            return
        super()._handle_exception(error)

    def worker_failed(self, error: Exception) -> None:
        """Show an ``AuditUIError`` in its own words; log anything else and say one sentence."""
        if isinstance(error, AuditUIError):
            show_error(self, error)
            return
        self.unexpected_errors.append(error)
        log = log_unexpected(error, f"the {type(self.screen).__name__}", self.error_log_dir)
        self.notify(
            unexpected_sentence(log),
            title="Unexpected error",
            severity="error",
            timeout=20,
            markup=False,  # a path is words, not markup
        )

    def on_resize(self, event: events.Resize) -> None:
        """Below the smallest supported size, say so instead of drawing a screen cut short."""
        width, height = event.size
        if (width < MIN_SIZE[0] or height < MIN_SIZE[1]) and not isinstance(
            self.screen, TooSmallScreen
        ):
            self.push_screen(TooSmallScreen())

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen | TooSmallScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        """Save any typed text still in a field, then leave."""
        for screen in reversed(self.screen_stack):
            save = getattr(screen, "save_pending", None)
            if save is not None:
                save()
        self.exit()
