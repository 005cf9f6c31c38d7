"""A short piece of writing the audit needs before it goes on: a rationale or a reason.

Used for a grade unlike the suggestion, closing an audit as incomplete,
reopening an ended one, and the evidence an action was done. Returns the
text, or None when the auditor backs out (nothing is changed then).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from auditui.tui.widgets.key_bar import KeyBar


class ReasonScreen(ModalScreen[str | None]):
    """Ask for one line of text."""

    DEFAULT_CSS = """
    ReasonScreen { align: center middle; }
    ReasonScreen > Vertical {
        width: 80%; max-width: 90; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ReasonScreen #reason-prompt { margin-bottom: 1; }
    ReasonScreen #reason-error { color: $error; height: auto; }
    ReasonScreen #reason-hint { color: $text-muted; margin-top: 1; }
    """
    HELP_TITLE = "Reason"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Back out; nothing is changed.",
            id="reason.cancel",
        ),
    ]

    def __init__(self, title: str, prompt: str, *, required: bool = True, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.required = required
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.title_text}[/b]", id="reason-title")
            yield Static(self.prompt, id="reason-prompt")
            yield Input(value=self.value, id="reason-input")
            yield Static("", id="reason-error")
            hint = "Enter saves, Escape cancels."
            if not self.required:
                hint = "Enter saves (it may be left empty), Escape cancels."
            yield Static(hint, id="reason-hint")
        yield KeyBar()  # this window's keys, not those of the screen beneath

    @on(Input.Submitted, "#reason-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self.query_one("#reason-error", Static).update("Please write something first.")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
