"""`A`: the follow-up actions agreed in one audit.

Actions are what "closes the loop on learning": each has an owner, what
needs doing and a due date 20 working days after the audit ends. They can
be added while the audit is a draft or after it is finalised.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from auditui.domain.working_days import describe_due
from auditui.services import actions, audits
from auditui.services.actions import ActionView
from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported
from auditui.tui.screens.action_form import ActionFormScreen
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.side_panel import due_style
from auditui.tui.widgets.title_bar import TitleBar

STATUS_WORDS = {"open": "open", "done": "done", "cancelled": "cancelled"}


class AuditActionsScreen(Screen[None]):
    """This audit's actions: add, edit, complete, cancel."""

    DEFAULT_CSS = """
    AuditActionsScreen #audit-actions-title { height: auto; padding: 1 2; }
    AuditActionsScreen #audit-actions { height: auto; max-height: 1fr; margin: 0 2; }
    AuditActionsScreen #audit-actions-empty { height: auto; padding: 1 2; color: $text-muted; }
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
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"Actions · {self.audit.case_ref}"
        table = self.query_one(DataTable)
        table.add_columns("Owner", "Action", "Due", "Status")
        self.load()
        table.focus()

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
        table.clear()
        for view in self.views:
            action = view.action
            if action.status == "open":
                due = Text(
                    describe_due(action.due, today, self.calendar),
                    style=due_style(view.working_days_left),
                )
            else:
                due = Text(action.due.isoformat(), style="dim")
            status = STATUS_WORDS.get(action.status, action.status)
            if action.completed_on:
                status += f" {action.completed_on.isoformat()}"
            table.add_row(action.owner, action.text, due, status, key=action.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.query_one("#audit-actions-title", Static).update(
            f"[b]Actions[/b] for {self.audit.case_ref} ({self.audit.practitioner}, "
            f"{self.audit.team})"
        )
        self.query_one("#audit-actions-empty", Static).update(
            "" if self.views else "No actions yet. Press a to add one."
        )

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
                chosen = None if due.strip() == default.isoformat() else due
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
            new_due = None if due.strip() == action.due.isoformat() else due
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
