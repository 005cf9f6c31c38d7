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

Open safeguarding concerns come first, above every action
(``board_concerns``); marking an action done is ``board_done``.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar
from urllib.parse import urlsplit

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, Static
from textual.worker import Worker, WorkerState

from auditui.errors import AuditUIError, ConfigError, NotFoundError
from auditui.services import actions
from auditui.services.actions import ActionView
from auditui.services.concerns import ConcernView
from auditui.services.sync import hub_actions
from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported, show_error
from auditui.tui.screens.board_concerns import hub_concerns_or_reason
from auditui.tui.screens.board_done import BoardDone
from auditui.tui.widgets.action_rows import (
    ActionColumn,
    BoardTable,
    action_cells,
    action_detail,
    board_columns,
)
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.side_panel import count_due, plural
from auditui.tui.widgets.title_bar import TitleBar

SHOWN = 500
"""Rows shown at once; the board is sorted by due date, so these are the most urgent."""


def hub_label(target: str) -> str:
    """A hub as the title names it: a server's host and database (never the login or
    password a URL may hold), or a folder hub's folder name."""
    if "://" in target:
        url = urlsplit(target)
        return f"{url.hostname or 'localhost'}{url.path}"
    return PurePath(target).name or target


SORTS = {
    "due": ("due date", lambda v: (v.action.due, v.action.id)),
    "owner": ("owner", lambda v: (v.action.owner.casefold(), v.action.due, v.action.id)),
    "team": ("team", lambda v: (v.action.team.casefold(), v.action.due, v.action.id)),
}
"""The board's orders, `s` cycling through them; due date first, as a manager reads it."""


class ActionsBoardScreen(BoardDone):
    """Open concerns, then open actions, across every audit on this machine, or every
    team's on the hub."""

    DEFAULT_CSS = """
    ActionsBoardScreen #board-summary { height: 1; padding: 0 2; }
    ActionsBoardScreen #board-filters { height: auto; padding: 0 1; }
    ActionsBoardScreen #board-filters Select { width: 1fr; margin-right: 1; }
    ActionsBoardScreen #board { height: 1fr; margin: 0 1; }
    ActionsBoardScreen #concern-summary { height: auto; padding: 0 2; }
    ActionsBoardScreen #concerns { height: auto; max-height: 7; margin: 0 1; }
    ActionsBoardScreen.-short #concerns { max-height: 4; }
    ActionsBoardScreen #board-detail {
        height: auto; max-height: 7; padding: 0 2; border-top: solid $primary 40%;
    }
    ActionsBoardScreen.-short #board-detail { max-height: 5; }
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
        Binding(
            "c",
            "concern",
            "Concern",
            tooltip="Acknowledge the highlighted safeguarding concern, or close it with "
            "its outcome.",
            id="board.concern",
        ),
        Binding("t", "focus_team", "Team", tooltip="Filter by team.", id="board.team"),
        Binding("o", "focus_owner", "Owner", tooltip="Filter by owner.", id="board.owner"),
        Binding(
            "s",
            "next_sort",
            "Sort",
            tooltip="Order the board by due date, owner or team (each then by due date).",
            id="board.sort",
        ),
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
        self.sort = "due"
        self.columns: list[ActionColumn] = []
        self.open_concerns: list[ConcernView] = []
        self.hub_concerns: list[ConcernView] | str = []
        self.concern_table_columns: list[ActionColumn] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="board-filters"):
            yield Select([], prompt="every team", id="team-filter")
            yield Select([], prompt="every owner", id="owner-filter")
        yield from self.compose_concerns()
        yield Static("", id="board-summary")
        yield BoardTable(id="board", cursor_type="row", zebra_stripes=True)
        yield Static("", id="board-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.switch_to(self.hub)
        self.focus_first()

    def focus_first(self) -> None:
        """The concerns first when there are any: they are the most urgent."""
        self.query_one("#concerns" if self.open_concerns else "#board", DataTable).focus()

    def on_resize(self) -> None:
        """Columns come and go with the width (team at about 100 columns, case at 120)."""
        if self.columns and board_columns(self._table_width()) != self.columns:
            self.show(self.views)
            self.show_concerns(self.open_concerns)

    def _table_width(self) -> int:
        return max(self.size.width - 2, 40)  # the table's margin, one cell each side

    @property
    def source_name(self) -> str:
        return "this machine" if self.hub is None else f"the hub ({hub_label(self.hub)})"

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

    def team_filter(self) -> str | None:
        return self._filter("#team-filter")

    def _filter(self, widget_id: str) -> str | None:
        value = self.query_one(widget_id, Select).value
        return value if isinstance(value, str) else None

    def load(self) -> None:
        """Show the board from the current source with the current filters."""
        team, owner = self._filter("#team-filter"), self._filter("#owner-filter")
        self.load_concerns()
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
        raised = hub_concerns_or_reason(self.workspace, hub)
        self.app.call_from_thread(self._hub_read, hub, found, raised)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected failure is the app's to announce; the board goes back to this machine."""
        if event.state == WorkerState.ERROR and self.reading:
            self.reading = False
            self.switch_to(None)

    def _reading(self, hub: str) -> None:
        self.reading = True
        self.query_one("#board-summary", Static).update(
            f"Reading the hub ({hub_label(hub)})...", layout=False
        )

    def _hub_read(self, hub: str, found: list[ActionView], raised: list[ConcernView] | str) -> None:
        self.reading = False
        if hub != self.hub:
            return
        self.hub_views, self.hub_concerns = found, raised
        self._offer_filters(found)
        self.load()
        if self.focused is None or self.focused is self.query_one("#board"):
            self.focus_first()

    def _hub_failed(self, error: AuditUIError) -> None:
        self.reading = False
        show_error(self, error)
        self.switch_to(None)

    def show(self, views: list[ActionView]) -> None:
        self.views = sorted(views, key=SORTS[self.sort][1])
        table = self.query_one("#board", DataTable)
        row = table.cursor_row if table.row_count else 0
        columns = board_columns(self._table_width())
        if columns != self.columns:
            table.clear(columns=True)
            for column in columns:
                table.add_column(column.title, key=column.key, width=column.width)
            self.columns = columns
        else:
            table.clear()
        today = self.workspace.today()
        for view in self.views:
            table.add_row(*action_cells(view, columns, today), key=view.action.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.show_detail()
        counts = count_due(self.views)
        more = f" (the first {SHOWN} by due date)" if len(self.views) == SHOWN else ""
        where = "" if self.hub is None else "On the hub: "
        order = "" if self.sort == "due" else f", by {SORTS[self.sort][0]}"
        urgent = ", ".join(f"[{style}]{words}[/]" for words, style in counts.phrases())
        self.query_one("#board-summary", Static).update(
            f"{where}[b]{plural(len(self.views), 'open action')}[/b]{more}{order}"
            + (f": {urgent}" if urgent else "")
            if self.views
            else f"{where}No open actions match."
        )

    def show_action_detail(self) -> None:
        detail = action_detail(
            self.current, self.workspace.today(), self.workspace.config.organisation.calendar
        )
        self.query_one("#board-detail", Static).update(detail)

    @on(DataTable.RowHighlighted, "#board")
    def _row_moved(self) -> None:
        self.show_detail()

    def action_next_sort(self) -> None:
        names = list(SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self.show(self.views)

    @on(Select.Changed)
    def _filtered(self) -> None:
        self.load()

    @on(DataTable.RowSelected, "#board")
    def _row_chosen(self) -> None:
        self.action_open_audit()

    @property
    def current(self) -> ActionView | None:
        table = self.query_one("#board", DataTable)
        return self.views[table.cursor_row] if table.row_count else None

    def action_focus_team(self) -> None:
        self.query_one("#team-filter", Select).focus()

    def action_focus_owner(self) -> None:
        self.query_one("#owner-filter", Select).focus()

    def action_switch_source(self) -> None:
        if self.hub is not None:
            self.switch_to(None)
            return
        try:
            self.switch_to(self.workspace.config.sync.hub_to_read())
        except ConfigError as exc:
            self.notify(exc.message, title=exc.title, severity="warning", markup=False)

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.check_concern() if action == "concern" else True

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.query(DataTable) and self.hub is None:
            self.load()

    def action_back(self) -> None:
        self.dismiss(None)
