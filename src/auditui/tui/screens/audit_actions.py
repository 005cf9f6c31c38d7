"""`A`: the follow-up actions agreed in one audit.

Actions are what "closes the loop on learning": each has an owner, what
needs doing and a due date 20 working days after the audit ends. They can
be added while the audit is a draft or after it is finalised.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from auditui.domain.records import parse_date
from auditui.errors import AuditUIError
from auditui.services import actions, audits
from auditui.services.actions import ActionView
from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported
from auditui.tui.screens.action_form import ActionFormScreen
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.widgets.action_rows import (
    ActionColumn,
    action_cells,
    action_detail,
    audit_action_columns,
)
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar


def _changed(typed: str, before: dt.date) -> str | None:
    """The typed due date if it is not ``before`` (which keeps a default due date following
    the audit's completion); anything unreadable goes on, for the service to refuse."""
    try:
        return None if parse_date(typed, "Due date") == before else typed
    except AuditUIError:
        return typed


class AuditActionsScreen(Screen[None]):
    """This audit's actions: add, edit, complete, cancel."""

    DEFAULT_CSS = """
    AuditActionsScreen #audit-actions-title { height: auto; padding: 1 2; }
    AuditActionsScreen #audit-actions { height: auto; max-height: 1fr; margin: 0 1; }
    AuditActionsScreen #audit-actions-empty { height: auto; padding: 1 2; color: $text-muted; }
    AuditActionsScreen #audit-action-detail { height: auto; max-height: 7; padding: 1 2 0 2; }
    """

    HELP_TITLE = "Audit actions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "add",
            "Add",
            tooltip="Agree a new action (due date pre-filled).",
            id="audit_actions.add",
        ),
        Binding(
            "enter",
            "edit",
            "Edit",
            priority=True,
            tooltip="Change the highlighted open action's owner, text or due date.",
            id="audit_actions.edit",
        ),
        Binding(
            "d",
            "done",
            "Done",
            tooltip="Mark the highlighted action done, with evidence.",
            id="audit_actions.done",
        ),
        Binding(
            "c",
            "cancel_action",
            "Cancel action",
            tooltip="Cancel the highlighted action, with the reason.",
            id="audit_actions.cancel",
        ),
        Binding(
            "escape", "back", "Back", tooltip="Back to the questions.", id="audit_actions.back"
        ),
    ]

    def __init__(self, workspace: Workspace, audit_id: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.audit_id = audit_id
        self.audit = audits.load(workspace, audit_id).audit
        self.views: list[ActionView] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="audit-actions-title")
        yield DataTable(id="audit-actions", cursor_type="row")
        yield Static("", id="audit-actions-empty")
        yield Static("", id="audit-action-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"Actions · {self.audit.case_ref}"
        self.columns: list[ActionColumn] = []
        self.load()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self.columns and audit_action_columns(self._table_width()) != self.columns:
            self.load()

    def _table_width(self) -> int:
        return max(self.size.width - 2, 40)  # the table's margin, one cell each side

    @property
    def calendar(self) -> str:
        return self.workspace.config.organisation.calendar

    def load(self) -> None:
        with reported(self):
            self.audit = audits.load(self.workspace, self.audit_id).audit
            self.views = actions.list_actions(self.workspace, audit_id=self.audit_id)
        today = self.workspace.today()
        table = self.query_one(DataTable)
        row = table.cursor_row if table.row_count else 0
        columns = audit_action_columns(self._table_width())
        if columns != self.columns:
            table.clear(columns=True)
            for column in columns:
                table.add_column(column.title, key=column.key, width=column.width)
            self.columns = columns
        else:
            table.clear()
        for view in self.views:
            table.add_row(*action_cells(view, columns, today), key=view.action.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.query_one("#audit-actions-title", Static).update(
            f"[b]Actions[/b] for {self.audit.case_ref} ({self.audit.practitioner}, "
            f"{self.audit.team})"
        )
        self.query_one("#audit-actions-empty", Static).update(
            "" if self.views else "No actions yet. Press a to add one."
        )
        self._show_detail()

    def _show_detail(self) -> None:
        detail = action_detail(self.current, self.workspace.today(), self.calendar)
        self.query_one("#audit-action-detail", Static).update(detail)

    @on(DataTable.RowHighlighted, "#audit-actions")
    def _row_moved(self) -> None:
        self._show_detail()

    @property
    def current(self) -> ActionView | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.views[table.cursor_row]

    def _start(self) -> dt.date:
        return self.audit.ended_on or self.workspace.today()

    def action_add(self) -> None:
        with reported(self):
            default = actions.default_due(self.workspace, self.audit_id)

            def save(owner: str, text: str, due: str) -> None:
                chosen = _changed(due, default)
                actions.add_action(self.workspace, self.audit_id, owner, text, chosen)

            self.app.push_screen(
                ActionFormScreen(
                    "New action",
                    save,
                    owner=self.audit.practitioner,
                    text="",
                    due=default,
                    start=self._start(),
                    calendar=self.calendar,
                ),
                lambda saved: self.load() if saved else None,
            )

    def action_edit(self) -> None:
        view = self.current
        if view is None:
            return
        action = view.action
        if action.status != "open":
            self.notify(f"This action is {action.status}; only open actions can be edited.")
            return

        def save(owner: str, text: str, due: str) -> None:
            new_due = _changed(due, action.due)
            actions.edit_action(self.workspace, action.id, owner, text, new_due)

        self.app.push_screen(
            ActionFormScreen(
                "Edit action",
                save,
                owner=action.owner,
                text=action.text,
                due=action.due,
                start=self._start(),
                calendar=self.calendar,
            ),
            lambda saved: self.load() if saved else None,
        )

    def action_done(self) -> None:
        view = self.current
        if view is None:
            return

        def done(evidence: str | None) -> None:
            if evidence is None:
                return
            with reported(self):
                actions.complete_action(self.workspace, view.action.id, evidence=evidence)
                self.notify("Action marked done.", timeout=2)
            self.load()

        self.app.push_screen(
            ReasonScreen(
                "Action done",
                f"Evidence that '{view.action.text}' was done (optional):",
                required=False,
            ),
            done,
        )

    def action_cancel_action(self) -> None:
        view = self.current
        if view is None:
            return

        def cancel(reason: str | None) -> None:
            if reason is None:
                return
            with reported(self):
                actions.cancel_action(self.workspace, view.action.id, reason)
                self.notify("Action cancelled.", timeout=2)
            self.load()

        self.app.push_screen(
            ReasonScreen("Cancel action", f"Why is '{view.action.text}' no longer needed?"),
            cancel,
        )

    def action_back(self) -> None:
        self.dismiss(None)
