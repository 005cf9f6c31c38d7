"""`a`: the team manager's board of open actions, soonest due first.

Every action must be done within 20 working days of its audit, and "actions
on time" is a measure the service reports on, so the board shows overdue
actions in red and those due within five working days in amber, and lets
a manager mark one done with its evidence right there.

A team manager's own machine holds only their own audits; every team's
actions live on the hub. `h` switches the board between this machine and
the configured hub (read in a worker, so a slow share or server never
freezes the screen); marking done there records it on the hub, and the
auditor's next sync brings it home.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static
from textual.worker import Worker, WorkerState

from auditui.domain.working_days import format_day
from auditui.errors import AuditUIError, NotFoundError
from auditui.services import actions
from auditui.services.actions import ActionView
from auditui.services.sync import complete_hub_action, hub_actions
from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported, show_error
from auditui.tui.palette import AMBER, OVERDUE
from auditui.tui.screens.confirm import ConfirmScreen
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.side_panel import due_style
from auditui.tui.widgets.title_bar import TitleBar

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
    """Open actions across every audit on this machine, or every team's on the hub."""

    DEFAULT_CSS = """
    ActionsBoardScreen #board-summary { height: auto; padding: 1 2; }
    ActionsBoardScreen #board-filters { height: auto; padding: 0 1; }
    ActionsBoardScreen #board-filters Select { width: 1fr; margin-right: 1; }
    ActionsBoardScreen #board { height: 1fr; margin: 0 1; }
    """

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
            "h",
            "switch_source",
            "Hub / here",
            tooltip="Switch between this machine's actions and every team's on the hub.",
            id="board.source",
        ),
        Binding(
            "enter",
            "open_audit",
            "Open audit",
            tooltip="Open the audit the highlighted action belongs to.",
            id="board.open",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the list of audits.", id="board.back"),
    ]

    def __init__(self, workspace: Workspace, hub: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.hub = hub
        """Where the board reads from: None for this machine, else a hub target."""
        self.views: list[ActionView] = []
        self.hub_views: list[ActionView] = []
        """Every open action the hub gave at the last read; filters apply to these."""
        self.reading = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="board-filters"):
            yield Select([], prompt="every team", id="team-filter")
            yield Select([], prompt="every owner", id="owner-filter")
        yield Static("", id="board-summary")
        yield DataTable(id="board", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Due", key="due")
        table.add_column("Days", key="left")
        table.add_column("Action", key="text")
        table.add_column("Owner", key="owner")
        table.add_column("Team", key="team")
        table.add_column("Case", key="case")
        self.switch_to(self.hub)
        table.focus()

    @property
    def source_name(self) -> str:
        return "this machine" if self.hub is None else f"the hub ({self.hub})"

    def switch_to(self, hub: str | None) -> None:
        """Read the board from ``hub`` (None: this machine) and offer its teams and owners."""
        self.hub = hub
        self.sub_title = f"Actions board: {self.source_name}"
        if hub is None:
            with reported(self):
                self._offer_filters(actions.list_actions(self.workspace, status="open"))
            self.load()
        else:
            self.read_hub()

    def _offer_filters(self, everyone: list[ActionView]) -> None:
        config_teams = self.workspace.config.organisation.teams
        teams = [t for t in (config_teams or sorted({v.action.team for v in everyone})) if t]
        owners = sorted({v.action.owner for v in everyone})
        with self.prevent(Select.Changed):
            self.query_one("#team-filter", Select).set_options([(t, t) for t in teams])
            self.query_one("#owner-filter", Select).set_options([(o, o) for o in owners])

    def _filter(self, widget_id: str) -> str | None:
        value = self.query_one(widget_id, Select).value
        return value if isinstance(value, str) else None

    def load(self) -> None:
        """Show the board from the current source with the current filters."""
        team, owner = self._filter("#team-filter"), self._filter("#owner-filter")
        if self.hub is not None:
            self.show(
                [
                    v
                    for v in self.hub_views
                    if (team is None or v.action.team == team)
                    and (owner is None or v.action.owner == owner)
                ][:SHOWN]
            )
            return
        with reported(self):
            self.show(
                actions.list_actions(
                    self.workspace, status="open", team=team, owner=owner, limit=SHOWN
                )
            )

    @work(thread=True, exclusive=True, group="hub-board")
    def read_hub(self) -> None:
        """Read every open action on the hub, off the screen's thread."""
        hub = self.hub
        if hub is None:
            return
        self.app.call_from_thread(self._reading, hub)
        try:
            found = hub_actions(self.workspace, hub, status="open")
        except AuditUIError as error:
            self.app.call_from_thread(self._hub_failed, error)
            return
        self.app.call_from_thread(self._hub_read, hub, found)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected failure is the app's to announce; the board goes back to this machine."""
        if event.state == WorkerState.ERROR and self.reading:
            self.reading = False
            self.switch_to(None)

    def _reading(self, hub: str) -> None:
        self.reading = True
        self.query_one("#board-summary", Static).update(f"Reading the hub ({hub})...")

    def _hub_read(self, hub: str, found: list[ActionView]) -> None:
        self.reading = False
        if hub != self.hub:
            return
        self.hub_views = found
        self._offer_filters(found)
        self.load()

    def _hub_failed(self, error: AuditUIError) -> None:
        self.reading = False
        show_error(self, error)
        self.switch_to(None)

    def show(self, views: list[ActionView]) -> None:
        self.views = views
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
                # On a hub, action text stays local unless the organisation shares it.
                action.text or Text("(kept local)", style="dim"),
                action.owner,
                action.team,
                action.case_ref or Text("-", style="dim"),
                key=action.id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        more = f" (the first {SHOWN} by due date)" if len(self.views) == SHOWN else ""
        where = "" if self.hub is None else "On the hub (case references stay with auditors): "
        self.query_one("#board-summary", Static).update(
            f"{where}[b]{len(self.views)} open actions[/b]{more}: "
            f"[{OVERDUE}]{overdue} overdue[/], [{AMBER}]{soon} due within 5 working days[/]"
            if self.views
            else f"{where}No open actions match."
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

    def action_switch_source(self) -> None:
        self.switch_to(self.workspace.config.sync.resolved_target() if self.hub is None else None)

    def action_done(self) -> None:
        view = self.current
        if view is None or self.reading:
            return
        what = view.action.text or "this action"
        if self.hub is not None:
            self._done_on_hub(self.hub, view)
            return

        def done(evidence: str | None) -> None:
            if evidence is None:
                return
            with reported(self):
                actions.complete_action(self.workspace, view.action.id, evidence=evidence)
                self.notify(f"Done: {what}", timeout=3)
            self.load()

        self.app.push_screen(ReasonScreen("Action done", f"Evidence that '{what}' was done:"), done)

    def _done_on_hub(self, hub: str, view: ActionView) -> None:
        """Record the completion on the hub; the evidence goes only where the organisation allows."""
        what = (
            view.action.text
            or f"the action for {view.action.owner} due {format_day(view.action.due)}"
        )

        def record(evidence: str | None) -> None:
            with reported(self):
                complete_hub_action(self.workspace, hub, view.action.id, evidence=evidence)
                self.notify(
                    f"Done on the hub: {what}. The auditor's next sync records it.", timeout=5
                )
            self.read_hub()

        if self.workspace.config.sync.share_evidence_text:

            def with_evidence(evidence: str | None) -> None:
                if evidence is not None:
                    record(evidence)

            self.app.push_screen(
                ReasonScreen("Action done (on the hub)", f"Evidence that '{what}' was done:"),
                with_evidence,
            )
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                record(None)

        self.app.push_screen(
            ConfirmScreen(
                "Action done (on the hub)",
                f"Mark '{what}' done today on the hub?\n"
                "This organisation keeps evidence text off the hub: record the evidence "
                "in the case file.",
            ),
            confirmed,
        )

    def action_open_audit(self) -> None:
        from auditui.tui.screens.walker import WalkerScreen

        view = self.current
        if view is None:
            return
        with reported(self):
            try:
                walker = WalkerScreen(self.workspace, view.action.audit_id)
            except NotFoundError:
                if self.hub is None:
                    raise
                self.notify(
                    "That audit is not on this machine: its auditor holds it. "
                    "The hub keeps only its graded result.",
                    title="Not on this machine",
                    timeout=6,
                )
                return
            self.app.push_screen(walker)

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.query(DataTable) and self.hub is None:
            self.load()

    def action_back(self) -> None:
        self.dismiss(None)
