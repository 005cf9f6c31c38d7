"""Add or edit one follow-up action: owner, what needs doing, and when it is due.

The due date arrives pre-filled (completion + the tool's working days) and
is read back as "due Tue 20 Jan 2027, 20 working days" as it is typed, so
the auditor and practitioner agree the date, not just a number of days.
The service's refusal is shown beside the field it names.

Enter moves on only from a field that is right: an empty Action box used to
pass Enter on to the date box, so the text meant for one went into the
other ("31/02/2027" became an action). The owner and the action's text are
required, and an action's text that is only a date is refused.

The line under the due date applies the service's rules as it is typed (a
working day, not before the audit ended or today, not years away), so it
never reads "due Thu 1 Jan 2026, -232 working days" for a date saving will
refuse; a due date left as it was (an overdue action being edited) reads as
overdue. Days are written one way, ``Thu 1 Jan 2026``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from auditui.domain.records import checked_action_text, parse_date
from auditui.domain.uk_dates import format_day
from auditui.domain.working_days import (
    describe_due,
    format_due,
    is_working_day,
    working_calendar,
)
from auditui.errors import AuditUIError, InvalidAnswerError
from auditui.services.actions import DUE_YEARS_AHEAD
from auditui.tui.feedback import show_error
from auditui.tui.widgets.key_bar import KeyBar

FIELDS = {"Owner": "owner", "Action": "text", "Due date": "due"}


SaveAction = Callable[[str, str, str], None]
"""Called with (owner, text, due as typed); raises ``AuditUIError`` to refuse."""


class ActionFormScreen(ModalScreen[bool]):
    """Returns True once the action is saved, False if the user backed out."""

    DEFAULT_CSS = """
    ActionFormScreen { align: center middle; }
    ActionFormScreen > Vertical {
        width: 90%; max-width: 96; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ActionFormScreen .form-row { height: auto; }
    ActionFormScreen .form-label { width: 10; padding: 1 1 0 0; }
    ActionFormScreen .form-row Input { width: 1fr; }
    ActionFormScreen .form-error { color: $error; height: auto; padding-left: 10; }
    ActionFormScreen #due-words { color: $text-muted; padding-left: 10; }
    """
    HELP_TITLE = "Action"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the action.", id="action_form.save"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Back out; nothing is saved.",
            id="action_form.cancel",
        ),
    ]

    def __init__(
        self,
        title: str,
        save: SaveAction,
        *,
        owner: str,
        text: str,
        due: dt.date,
        start: dt.date,
        calendar: str,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.save = save
        self.values = {"owner": owner, "text": text, "due": f"{due:%d/%m/%Y}"}  # as typed in the UK
        self.due = due
        self.start = start
        self.calendar = calendar

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.title_text}[/b]")
            for label, name in FIELDS.items():
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(self.values[name], id=f"action-{name}")
                yield Static("", id=f"action-{name}-error", classes="form-error")
            yield Static("", id="due-words")
            yield Static(
                "[dim]Enter moves on once a box is right, and saves from the last; "
                "Escape cancels.[/dim]"
            )
        yield KeyBar()  # this window's keys, not those of the screen beneath

    def on_mount(self) -> None:
        self._show_due(self.values["due"])
        self.query_one(
            "#action-owner" if not self.values["owner"] else "#action-text", Input
        ).focus()

    @on(Input.Changed, "#action-due")
    def _due_changed(self, event: Input.Changed) -> None:
        self.query_one("#action-due-error", Static).update("")  # the line below says it now
        self._show_due(event.value)

    def _show_due(self, text: str) -> None:
        try:
            day = parse_date(text, "Due date")
        except AuditUIError:
            words = "a date as DD/MM/YYYY or YYYY-MM-DD"
        else:
            problem = self.due_problem(day)
            if problem is not None:
                words = f"[b $error]{problem.removeprefix('Due date: ')}[/]"
            elif day == self.due and day < self.start:  # left as it was: say how late
                words = f"due {format_day(day)}, {describe_due(day, self.start, self.calendar)}"
            else:
                words = format_due(day, self.start, self.calendar)
        self.query_one("#due-words", Static).update(words)

    def due_problem(self, day: dt.date) -> str | None:
        """Why the service will refuse ``day`` as a newly chosen due date, in the same
        words, or None (a due date left as it was is not checked again)."""
        if day == self.due:
            return None
        if day < self.start:
            return (
                f"Due date: {format_day(day)} is before {format_day(self.start)}; an action "
                "cannot be due before it is agreed."
            )
        if day.year > self.start.year + DUE_YEARS_AHEAD:
            return f"Due date: {format_day(day)} is more than {DUE_YEARS_AHEAD} years away."
        if not is_working_day(day, self.calendar):
            after = working_calendar(self.calendar).add_working_days(day, 0)
            return (
                f"Due date: {format_day(day)} is not a working day; the next one is "
                f"{format_day(after)}."
            )
        return None

    def field_problem(self, name: str, value: str) -> str | None:
        """Why ``value`` cannot stand in the field ``name`` (the form's own checks; the
        service checks again on save), or None."""
        if name == "owner" and not value.strip():
            return "Owner: say who will do this action."
        if name == "text":
            try:
                checked_action_text(value)
            except InvalidAnswerError as error:
                return error.message
        if name == "due":
            try:
                return self.due_problem(parse_date(value, "Due date"))
            except InvalidAnswerError as error:
                return error.message
        return None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = (event.input.id or "").removeprefix("action-")
        if name == "due":
            self.action_save()
            return
        problem = self.field_problem(name, event.value)
        self.query_one(f"#action-{name}-error", Static).update(problem or "")
        if problem is None:
            self.focus_next()

    def action_save(self) -> None:
        for error in self.query(".form-error"):
            if isinstance(error, Static):
                error.update("")
        owner = self.query_one("#action-owner", Input).value
        text = self.query_one("#action-text", Input).value
        due = self.query_one("#action-due", Input).value
        for name, value in (("owner", owner), ("text", text), ("due", due)):
            problem = self.field_problem(name, value)
            if problem is not None:
                self.query_one(f"#action-{name}-error", Static).update(problem)
                self.query_one(f"#action-{name}", Input).focus()
                if name == "due":
                    self.query_one("#due-words", Static).update("")  # said once, not twice
                return
        try:
            self.save(owner, text, due)
        except InvalidAnswerError as error:
            for words, name in FIELDS.items():
                if error.message.startswith(words + ":"):
                    self.query_one(f"#action-{name}-error", Static).update(error.message)
                    self.query_one(f"#action-{name}", Input).focus()
                    return
            show_error(self, error)
            return
        except AuditUIError as error:
            show_error(self, error)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
