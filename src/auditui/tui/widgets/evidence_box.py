"""The evidence note under each question, saved the moment the auditor leaves it.

Enter or Escape hand the keys back to the question (Enter also moves on),
because an auditor beside a practitioner writes a line and goes on; ctrl+j
(the terminal's own newline key) starts a new line when a note needs one.
Leaving by any route posts the text with the question it belongs to, so
the walker can save it even if the question on screen has already changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea


class EvidenceBox(TextArea):
    """A soft-wrapped note; Enter finishes it instead of adding a line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "finish(True)",
            "Save, go on",
            tooltip="Save the note and go to the next question.",
            id="evidence.done",
        ),
        Binding(
            "escape",
            "finish(False)",
            "Save",
            tooltip="Save the note and stay on this question.",
            id="evidence.leave",
        ),
        Binding(
            "ctrl+j",
            "new_line",
            "New line",
            tooltip="Start a new line in the note (Enter saves it).",
            id="evidence.new_line",
        ),
    ]

    @dataclass
    class Left(Message):
        """The auditor left the box (blur, Enter or Escape)."""

        question_id: str
        text: str
        advance: bool = False
        """True when they pressed Enter: done with this question."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self.question_id = ""

    def load_note(self, question_id: str, text: str) -> None:
        self.question_id = question_id
        if self.text != text:
            self.load_text(text)

    def action_new_line(self) -> None:
        self.insert("\n")

    def action_finish(self, advance: bool) -> None:
        self.post_message(self.Left(self.question_id, self.text, advance=advance))
        self.screen.set_focus(None)

    async def _on_key(self, event: events.Key) -> None:
        # TextArea would insert a newline for Enter before any binding ran.
        if event.key in ("enter", "escape"):
            event.stop()
            event.prevent_default()
            self.action_finish(event.key == "enter")
            return
        if event.key == "ctrl+j":
            event.stop()
            event.prevent_default()
            self.action_new_line()
            return
        await super()._on_key(event)

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self.post_message(self.Left(self.question_id, self.text))
