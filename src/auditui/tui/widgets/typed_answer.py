"""The box for a text, number or date answer in the walker.

Single keys answer yes/no questions; a typed answer needs a real input, but
the auditor must still be able to leave it (Escape) and move on (Up/Down)
the way they do everywhere else in the walker.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from auditui.tui.walker_keys import MOVE


class TypedAnswer(Input):
    """A text, number or date answer; Escape hands the keys back to the walker.

    Up and Down still move between questions (saving what was typed), as they
    do everywhere else in the walker.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "leave",
            "Done typing",
            tooltip="Stop typing; single keys work again.",
            id="typed.leave",
        ),
        Binding(
            "down",
            "screen.move(1)",
            "Next",
            group=MOVE,
            tooltip="Save what is typed and go to the next question.",
            id="typed.next",
        ),
        Binding(
            "up",
            "screen.move(-1)",
            "Previous",
            group=MOVE,
            tooltip="Save what is typed and go to the previous question.",
            id="typed.previous",
        ),
    ]

    def action_leave(self) -> None:
        self.screen.set_focus(None)
