"""The agreed grade of a moderated audit, and why: what `moderation agree` records.

A small window over the side-by-side comparison: the grade (from the
tool's scale, the moderator's own overall grade offered first) and the
reason. Returns (grade, reason), or None when backed out; the refusals
(an empty reason, an audit already agreed) are the service's, shown by the
comparison screen.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from auditui.tui.widgets.key_bar import KeyBar


class AgreeGradeScreen(ModalScreen[tuple[str, str] | None]):
    """Ask for the agreed grade and the reason."""

    DEFAULT_CSS = """
    AgreeGradeScreen { align: center middle; }
    AgreeGradeScreen > Vertical {
        width: 80%; max-width: 90; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    AgreeGradeScreen Select { margin-bottom: 1; }
    AgreeGradeScreen #agree-error { color: $error; height: auto; }
    AgreeGradeScreen #agree-hint { color: $text-muted; margin-top: 1; }
    """
    HELP_TITLE = "Agreed grade"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Back out; nothing is recorded.",
            id="agree.cancel",
        ),
    ]

    def __init__(self, grades: list[tuple[str, str]], offered: str | None) -> None:
        super().__init__()
        self.grades = grades
        """(grade id, its words), best first."""
        self.offered = offered

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Record the agreed grade[/b]")
            yield Static("The grade both auditors agreed at moderation:")
            ids = [g for g, _ in self.grades]
            yield Select(
                [(label, grade) for grade, label in self.grades],
                value=self.offered if self.offered in ids else ids[0],
                allow_blank=False,
                id="agree-grade",
            )
            yield Static("Why (what the moderation found):")
            yield Input(id="agree-reason")
            yield Static("", id="agree-error")
            yield Static("Enter records it, Escape cancels.", id="agree-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#agree-reason", Input).focus()

    @on(Input.Submitted, "#agree-reason")
    def _submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.query_one("#agree-error", Static).update("Please say why first.")
            return
        grade = self.query_one("#agree-grade", Select).value
        self.dismiss((str(grade), reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
