"""`!` in the walker: a safeguarding concern, recorded the moment it is saved.

An auditor who finds that a child may be unsafe acts at once, not at
finalise: this small form takes what the concern is and who it was raised
with, and ``services.concerns.raise_concern`` records it straight away
(whatever the audit's state). The next sync takes it to the team manager.
Escape backs out with nothing recorded; an empty concern is refused beside
the box, in the form's own words.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from auditui.domain.records import checked_name, checked_note
from auditui.errors import AuditUIError, InvalidAnswerError
from auditui.services.concerns import ConcernView, raise_concern
from auditui.services.workspace import Workspace
from auditui.tui.feedback import show_error
from auditui.tui.widgets.key_bar import KeyBar

TEXT_FIELD = "What the concern is"
WITH_FIELD = "Raised with"


class ConcernFormScreen(ModalScreen[ConcernView | None]):
    """Returns the recorded concern, or None when the auditor backed out."""

    DEFAULT_CSS = """
    ConcernFormScreen { align: center middle; }
    ConcernFormScreen > Vertical {
        width: 90%; max-width: 96; height: auto; max-height: 100%; padding: 0 2;
        border: thick $error; background: $surface;
    }
    ConcernFormScreen .concern-label { text-style: bold; margin-top: 1; }
    ConcernFormScreen #concern-text { height: 6; }
    ConcernFormScreen .form-error { color: $error; height: auto; display: none; }
    ConcernFormScreen .form-error.-shown { display: block; }
    ConcernFormScreen #concern-hint { color: $text-muted; height: auto; }
    """
    HELP_TITLE = "Safeguarding concern"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Record",
            tooltip="Record the concern now; the next sync takes it to the team manager.",
            id="concern_form.save",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Back out; nothing is recorded.",
            id="concern_form.cancel",
        ),
    ]

    def __init__(self, workspace: Workspace, audit_id: str, case_ref: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.audit_id = audit_id
        self.case_ref = case_ref

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]Safeguarding concern[/b] about {escape(self.case_ref)}")
            yield Label(TEXT_FIELD, classes="concern-label")
            yield TextArea(id="concern-text", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="concern-text-error", classes="form-error", markup=False)
            yield Label(f"{WITH_FIELD} (who you told: a name or role)", classes="concern-label")
            yield Input(id="concern-with")
            yield Static("", id="concern-with-error", classes="form-error", markup=False)
            yield Static(
                "Ctrl+S, or Enter in the last box, records it at once. Escape cancels.",
                id="concern-hint",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#concern-text", TextArea).focus()

    @on(Input.Submitted, "#concern-with")
    def _submitted(self) -> None:
        self.action_save()

    def _problem(self, text: str, raised_with: str) -> tuple[str, str] | None:
        """The form's own checks (the service checks again): (field id, sentence)."""
        try:
            if not checked_note(text, TEXT_FIELD):
                return "text", f"{TEXT_FIELD}: say what the concern is; nothing was recorded."
        except InvalidAnswerError as error:
            return "text", error.message
        try:
            checked_name(raised_with, WITH_FIELD)
        except InvalidAnswerError as error:
            return "with", error.message
        return None

    def action_save(self) -> None:
        text = self.query_one("#concern-text", TextArea).text
        raised_with = self.query_one("#concern-with", Input).value
        for name in ("text", "with"):
            self._say(name, "")
        problem = self._problem(text, raised_with)
        if problem is not None:
            name, sentence = problem
            self._say(name, sentence)
            self.query_one(f"#concern-{name}").focus()
            return
        try:
            concern = raise_concern(self.workspace, self.audit_id, text, raised_with)
        except AuditUIError as error:
            show_error(self, error)
            return
        self.dismiss(concern)

    def _say(self, name: str, sentence: str) -> None:
        box = self.query_one(f"#concern-{name}-error", Static)
        box.update(sentence)
        box.set_class(bool(sentence), "-shown")

    def action_cancel(self) -> None:
        self.dismiss(None)


def recorded_words(concern: ConcernView, hub: str | None) -> str:
    """What the walker says once a concern is recorded, in plain words."""
    told = f" You raised it with {concern.raised_with}." if concern.raised_with else ""
    if hub:
        return (
            f"Safeguarding concern recorded for {concern.team}.{told} It goes to the team "
            "manager on the next sync (sync now to send it at once)."
        )
    return (
        f"Safeguarding concern recorded for {concern.team}.{told} It goes to the team manager "
        "on the next sync, but no hub is set up here: tell the team manager yourself."
    )
