"""A yes/no question before something that cannot be taken back from here.

Used where there is nothing to type but the step still leaves this machine,
such as marking an action done on the hub when the organisation keeps
evidence text off it. Returns True for yes, False for no or Escape.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from auditui.tui.widgets.key_bar import KeyBar


class ConfirmScreen(ModalScreen[bool]):
    """Ask one question; `y` or Enter says yes, `n` or Escape says no."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 80%; max-width: 90; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ConfirmScreen #confirm-hint { color: $text-muted; margin-top: 1; }
    """
    HELP_TITLE = "Confirm"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", tooltip="Nothing is changed.", id="confirm.no"),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.title_text = title
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.title_text}[/b]", id="confirm-title")
            yield Static(self.question, id="confirm-question")
            yield Static("y or Enter: yes.  n or Escape: no, nothing changes.", id="confirm-hint")
        yield KeyBar()  # this window's keys, not those of the screen beneath

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
