"""The board's first lines: open safeguarding concerns, above every action.

A concern found during an audit is about a child who may be unsafe now, so
on the team manager's board it comes before any action: how old it is in
working days, whether it was acknowledged the same working day, and `c`
(or Enter on it) to acknowledge it or close it with an outcome, here or on
the hub, refused where ``auditui concern`` refuses. The team filter applies;
the owner filter is for actions only.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from auditui.domain.working_days import working_calendar
from auditui.errors import AuditUIError
from auditui.services import concerns
from auditui.services.concerns import ConcernView
from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported
from auditui.tui.palette import OVERDUE
from auditui.tui.widgets.action_rows import ActionColumn
from auditui.tui.widgets.concern_rows import (
    LATE,
    acknowledgement,
    concern_cells,
    concern_columns,
    concern_detail,
)
from auditui.tui.widgets.side_panel import plural


class BoardConcerns(Screen[None]):
    """The concerns panel of the actions board (the board screen builds on it)."""

    workspace: Workspace
    hub: str | None
    reading: bool
    open_concerns: list[ConcernView]
    hub_concerns: list[ConcernView] | str
    """The hub's open concerns at the last read, or why they could not be read."""
    concern_table_columns: list[ActionColumn]

    def compose_concerns(self) -> ComposeResult:
        yield Static("", id="concern-summary")
        yield DataTable(id="concerns", cursor_type="row")

    def team_filter(self) -> str | None:
        raise NotImplementedError

    def show_action_detail(self) -> None:
        raise NotImplementedError

    def read_hub(self) -> Any:
        raise NotImplementedError

    def load_concerns(self) -> None:
        """Show this machine's open concerns, or the hub's from its last read."""
        team = self.team_filter()
        if self.hub is not None:
            found = self.hub_concerns
            if isinstance(found, str):
                self.show_concerns([], problem=found)
                return
        else:
            found = []
            with reported(self):
                found = concerns.list_concerns(self.workspace, open_only=True)
        self.show_concerns([c for c in found if team is None or c.team == team])

    def show_concerns(self, found: list[ConcernView], problem: str = "") -> None:
        self.open_concerns = sorted(found, key=lambda c: (c.raised_at, c.id))
        table = self.query_one("#concerns", DataTable)
        row = table.cursor_row if table.row_count else 0
        columns = concern_columns(max(self.size.width - 2, 40))
        if columns != self.concern_table_columns:
            table.clear(columns=True)
            for column in columns:
                table.add_column(column.title, key=column.key, width=column.width)
            self.concern_table_columns = columns
        else:
            table.clear()
        today, calendar = self.workspace.today(), self.workspace.config.organisation.calendar
        for concern in self.open_concerns:
            table.add_row(*concern_cells(concern, columns, today, calendar), key=concern.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        table.display = bool(self.open_concerns)
        summary = self.query_one("#concern-summary", Static)
        where = "" if self.hub is None else "On the hub: "
        if problem:
            summary.update(f"[{OVERDUE}]Concerns not read from the hub:[/] {problem}")
        elif self.open_concerns:
            late = sum(
                1
                for c in self.open_concerns
                if acknowledgement(c, today, working_calendar(calendar)).plain in LATE
            )
            words = f", {late} not acknowledged in time" if late else ""
            summary.update(
                f"{where}[{OVERDUE}]{plural(len(self.open_concerns), 'open safeguarding concern')}"
                f"{words}[/]: c to acknowledge or close"
            )
        else:
            summary.update(f"[dim]{where}No open safeguarding concerns.[/dim]")
        if self.focused is table and not table.row_count:
            self.query_one("#board", DataTable).focus()
        self.show_detail()

    @property
    def current_concern(self) -> ConcernView | None:
        table = self.query_one("#concerns", DataTable)
        if not table.row_count or not self.open_concerns:
            return None
        return self.open_concerns[min(table.cursor_row, len(self.open_concerns) - 1)]

    def show_detail(self) -> None:
        """The highlighted concern in full while the concerns have focus, else the action."""
        concern = self.current_concern
        if concern is not None and self.focused is self.query_one("#concerns", DataTable):
            detail = concern_detail(
                concern, self.workspace.today(), self.workspace.config.organisation.calendar
            )
            self.query_one("#board-detail", Static).update(detail)
            return
        self.show_action_detail()

    @on(DataTable.RowHighlighted, "#concerns")
    def _concern_moved(self) -> None:
        self.show_detail()

    def on_descendant_focus(self) -> None:
        self.show_detail()

    @on(DataTable.RowSelected, "#concerns")
    def _concern_chosen(self) -> None:
        self.action_concern()

    def action_concern(self) -> None:
        """Acknowledge the highlighted concern or close it with an outcome."""
        from auditui.tui.screens.concern_respond import ConcernRespondScreen

        concern = self.current_concern
        if concern is None or self.reading:
            if concern is None:
                self.notify("There are no open safeguarding concerns here.", timeout=3)
            return
        hub = self.hub
        where = "on this machine" if hub is None else "on the hub; the auditor's sync brings it"

        def chosen(response: tuple[str, str] | None) -> None:
            if response is None:
                return
            kind, outcome = response
            with reported(self):
                if kind == "ack":
                    concerns.acknowledge(self.workspace, concern.id, hub)
                    self.notify("Concern acknowledged.", timeout=4)
                else:
                    concerns.respond(self.workspace, concern.id, outcome, hub)
                    self.notify("Concern closed with its outcome.", timeout=4)
            self.after_response()

        self.app.push_screen(
            ConcernRespondScreen(
                concern,
                self.workspace.today(),
                self.workspace.config.organisation.calendar,
                where,
            ),
            chosen,
        )

    def after_response(self) -> None:
        if self.hub is None:
            self.load_concerns()
        else:
            self.read_hub()

    def check_concern(self) -> bool | None:
        """`c` is dimmed while there is no open concern (or the hub is being read)."""
        return None if (not self.open_concerns or self.reading) else True


def hub_concerns_or_reason(workspace: Workspace, hub: str) -> list[ConcernView] | str:
    """Every open concern the hub holds for this reader, or why it could not be read (the
    actions still show: an older hub that takes no concerns is not an empty board)."""
    try:
        return concerns.list_concerns(workspace, open_only=True, hub=hub)
    except AuditUIError as error:
        return error.message
