"""Options for a `multi` question: a cursor, Space to tick, Enter to save.

Digits tick options too (the walker binds them), so the auditor can stay on
the home row; nothing is stored until Enter or leaving the question.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import SelectionList


class MultiChoice(SelectionList[str]):
    """Ticks the options of one multi question."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "save",
            "Save ticks",
            tooltip="Save the ticked options and move on.",
            id="multi.save",
        ),
    ]

    class Save(Message):
        """Enter pressed: store the ticked options."""

    def action_save(self) -> None:
        self.post_message(self.Save())
