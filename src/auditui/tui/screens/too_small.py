"""Shown over everything while the terminal is smaller than auditui can be used in.

Every screen is laid out for 80x24 and up. Smaller, the walker scrolled the
answer options off the bottom and the tables lost their columns without a
word; this says what is wrong and how to fix it, and goes away by itself
once the window is large enough. Nothing underneath is touched meanwhile.
A modal screen hides the app's keys, so this one quits on q, ctrl+q and
ctrl+c itself (everything is saved as it is typed).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_SIZE = (80, 24)
"""The smallest terminal (columns, rows) every screen is made to work in."""


def too_small_words(width: int, height: int) -> str:
    return (
        f"This terminal is {width}x{height}; auditui needs at least "
        f"{MIN_SIZE[0]}x{MIN_SIZE[1]}. Make the window larger (or the font smaller) "
        "and your work comes back as it was. q or ctrl+c quits; everything is saved."
    )


class TooSmallScreen(ModalScreen[None]):
    """One sentence, centred, until the terminal is large enough again."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen #too-small { width: 1fr; height: auto; padding: 0 2; text-align: center; }
    """
    HELP_TITLE = "Terminal too small"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "q,ctrl+q,ctrl+c",
            "app.quit",
            "Quit",
            show=False,
            priority=True,
            tooltip="Leave auditui. Every answer is already saved.",
            id="too_small.quit",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Static(too_small_words(*self.app.size), id="too-small")

    def on_resize(self, event: events.Resize) -> None:
        self._check(*event.size)

    def on_screen_resume(self) -> None:
        self._check(*self.app.size)

    def _check(self, width: int, height: int) -> None:
        if width >= MIN_SIZE[0] and height >= MIN_SIZE[1]:
            if self.is_current:
                self.dismiss(None)
            return
        self.query_one("#too-small", Static).update(too_small_words(width, height))
