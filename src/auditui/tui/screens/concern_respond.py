"""`c` on the board: the team manager answers one safeguarding concern.

The concern is shown in full; `a` acknowledges it (to be done the same
working day it was raised) and `o` asks for the outcome, which closes it,
as ``auditui concern acknowledge`` and ``concern respond --outcome`` do.
The modal only says what the manager chose; the board records it (here or
on the hub) and shows any refusal in the service's own words.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from auditui.services.concerns import ConcernView
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.widgets.concern_rows import concern_detail
from auditui.tui.widgets.key_bar import KeyBar

Response = tuple[str, str]
"""``("ack", "")`` or ``("close", outcome)``."""


class ConcernRespondScreen(ModalScreen[Response | None]):
    """Returns what the manager chose, or None (nothing changed)."""

    DEFAULT_CSS = """
    ConcernRespondScreen { align: center middle; }
    ConcernRespondScreen > Vertical {
        width: 90%; max-width: 96; height: auto; max-height: 100%; padding: 1 2;
        border: thick $error; background: $surface;
    }
    ConcernRespondScreen #respond-hint { color: $text-muted; margin-top: 1; }
    """
    HELP_TITLE = "Respond to a concern"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "acknowledge",
            "Acknowledge",
            tooltip="Say you have seen the concern (due the same working day it was raised).",
            id="concern_respond.acknowledge",
        ),
        Binding(
            "o",
            "outcome",
            "Outcome",
            tooltip="Say what was done; this closes the concern.",
            id="concern_respond.outcome",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Back out; nothing is recorded.",
            id="concern_respond.cancel",
        ),
    ]

    def __init__(self, concern: ConcernView, today: dt.date, calendar: str, where: str) -> None:
        super().__init__()
        self.concern = concern
        self.today = today
        self.calendar = calendar
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(concern_detail(self.concern, self.today, self.calendar))
            hint = "o: the outcome (closes it)  ·  Escape: back"
            if self.concern.acknowledged_at is None:
                hint = "a: acknowledge  ·  " + hint
            yield Static(f"{hint}. Recorded {self.where}.", id="respond-hint")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "acknowledge" and self.concern.acknowledged_at is not None)

    def action_acknowledge(self) -> None:
        self.dismiss(("ack", ""))

    def action_outcome(self) -> None:
        def typed(outcome: str | None) -> None:
            if outcome is not None:
                self.dismiss(("close", outcome))

        self.app.push_screen(
            ReasonScreen("Close the concern", "What was done (the outcome)?"), typed
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
