"""`a`: the team manager's board of open actions, soonest due first.

Every action must be done within 20 working days of its audit, and "actions
on time" is a measure the service reports on, so the board shows overdue
actions in red and those due within five working days in amber, and lets
a manager mark one done with its evidence right there.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Header, Select, Static

from auditui.domain.working_days import format_day
from auditui.services import actions
from auditui.services.actions import ActionView
from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.side_panel import due_style

SHOWN = 500
"""Rows shown at once; the board is sorted by due date, so these are the most urgent."""


def short_day(day: dt.date, today: dt.date) -> str:
    """``Wed 25 Feb``, with the year only when it is not this year."""
    words = format_day(day)
    return words.rsplit(" ", 1)[0] if day.year == today.year else words


def days_left_text(left: int | None) -> Text:
    if left is None:
        return Text("")
    if left < 0:
        words = f"{-left} overdue"
    elif left == 0:
        words = "today"
    else:
        words = f"{left} left"
    return Text(words, style=due_style(left), justify="right")


class ActionsBoardScreen(Screen[None]):
    """Open actions across every audit on this machine."""

    HELP_TITLE = "Actions board"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "d",
            "done",
            "Done",
            tooltip="Mark the highlighted action done, with the evidence.",
            id="board.done",
        ),
        Binding("t", "focus_team", "Team", tooltip="Filter by team.", id="board.team"),
        Binding("o", "focus_owner", "Owner", tooltip="Filter by owner.", id="board.owner"),
        Binding(
            "enter",
            "open_audit",
            "Open audit",
            tooltip="Open the audit the highlighted action belongs to.",
            id="board.open",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the list of audits.", id="board.back"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.views: list[ActionView] = []
        everyone = actions.list_actions(workspace, status="open")
        teams = workspace.config.organisation.teams or sorted({v.action.team for v in everyone})
        self.teams = [t for t in teams if t]
        self.owners = sorted({v.action.owner for v in everyone})

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="board-filters"):
            yield Select([(t, t) for t in self.teams], prompt="every team", id="team-filter")
            yield Select([(o, o) for o in self.owners], prompt="every owner", id="owner-filter")
        yield Static("", id="board-summary")
        yield DataTable(id="board", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Actions board"
        table = self.query_one(DataTable)
        table.add_column("Due", key="due")
        table.add_column("Days", key="left")
        table.add_column("Action", key="text")
        table.add_column("Owner", key="owner")
        table.add_column("Team", key="team")
        table.add_column("Case", key="case")
        self.load()
        table.focus()

    def _filter(self, widget_id: str) -> str | None:
        value = self.query_one(widget_id, Select).value
        return value if isinstance(value, str) else None

    def load(self) -> None:
        with reported(self):
            self.views = actions.list_actions(
                self.workspace,
                status="open",
                team=self._filter("#team-filter"),
                owner=self._filter("#owner-filter"),
                limit=SHOWN,
            )
        table = self.query_one(DataTable)
        row = table.cursor_row if table.row_count else 0
        table.clear()
        overdue = soon = 0
        today = self.workspace.today()
        for view in self.views:
            action = view.action
            left = view.working_days_left
            style = due_style(left)
            if left is not None and left < 0:
                overdue += 1
            elif style:
                soon += 1
            table.add_row(
                Text(short_day(action.due, today), style=style),
                days_left_text(left),
                action.text,
                action.owner,
                action.team,
                action.case_ref,
                key=action.id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        more = f" (the first {SHOWN} by due date)" if len(self.views) == SHOWN else ""
        self.query_one("#board-summary", Static).update(
            f"[b]{len(self.views)} open actions[/b]{more}: "
            f"[bold red]{overdue} overdue[/], [dark_orange]{soon} due within 5 working days[/]"
            if self.views
            else "No open actions match."
        )

    @on(Select.Changed)
    def _filtered(self) -> None:
        self.load()

    @on(DataTable.RowSelected, "#board")
    def _row_chosen(self) -> None:
        self.action_open_audit()

    @property
    def current(self) -> ActionView | None:
        table = self.query_one(DataTable)
        return self.views[table.cursor_row] if table.row_count else None

    def action_focus_team(self) -> None:
        self.query_one("#team-filter", Select).focus()

    def action_focus_owner(self) -> None:
        self.query_one("#owner-filter", Select).focus()

    def action_done(self) -> None:
        view = self.current
        if view is None:
            return

        def done(evidence: str | None) -> None:
            if evidence is None:
                return
            with reported(self):
                actions.complete_action(self.workspace, view.action.id, evidence=evidence)
                self.notify(f"Done: {view.action.text}", timeout=3)
            self.load()

        self.app.push_screen(
            ReasonScreen("Action done", f"Evidence that '{view.action.text}' was done:"),
            done,
        )

    def action_open_audit(self) -> None:
        from auditui.tui.screens.walker import WalkerScreen

        view = self.current
        if view is None:
            return
        with reported(self):
            self.app.push_screen(WalkerScreen(self.workspace, view.action.audit_id))

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.query(DataTable):
            self.load()

    def action_back(self) -> None:
        self.dismiss(None)
