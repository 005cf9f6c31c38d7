"""`m` on home: the audits picked for moderation that are yours to moderate.

Each is allocated (Enter starts the blind re-audit, as ``audit new
--moderate``), started (Enter carries on with it), ended (Enter shows both
audits side by side) or agreed. Nothing of the original's answers or grades
is on this list: only the case, who audited it, the team and the tool. An
audit drawn from the hub whose case details have not arrived yet shows "to
come" for its case (Enter says whose machine sends them). The status comes
right after the month and case, so 80 columns never cut it; months are
written the UK way (``Nov 2026``). `o` shows every moderation this machine
holds (the QA lead's view), not only yours.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from auditui.domain.plurals import counted
from auditui.domain.uk_dates import month_label
from auditui.errors import AuditUIError
from auditui.services import moderation
from auditui.services.moderation import Allocation
from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported, show_error
from auditui.tui.programme_actions import open_comparison, open_walker
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar

STATUS_WORDS = {
    "allocated": "to start",
    "started": "started",
    "ended": "ended",
    "agreed": "agreed",
}


class ModerationsScreen(Screen[None]):
    """The moderations allocated to the user (or every one, with `o`)."""

    HELP_TITLE = "Moderations"
    DEFAULT_CSS = """
    ModerationsScreen #moderations-intro { height: auto; padding: 0 1; margin-bottom: 1; }
    ModerationsScreen DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "choose",
            "Start / open",
            priority=True,
            tooltip="Start the blind re-audit, carry on with it, or, once it has ended, "
            "show both audits side by side.",
            id="moderations.choose",
        ),
        Binding(
            "o",
            "toggle_everyone",
            "Mine / all",
            tooltip="Switch between the moderations given to you and every one on this machine.",
            id="moderations.everyone",
        ),
        Binding(
            "escape", "back", "Back", tooltip="Back to the list of audits.", id="moderations.back"
        ),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.everyone = False
        self.allocations: list[Allocation] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="moderations-intro")
        yield DataTable(id="moderations", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Moderation"
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()  # back from the walker or the comparison: a status may have moved on

    def reload(self) -> None:
        with reported(self):
            self.allocations = moderation.show(self.workspace, mine=not self.everyone)
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        # The status early, so a narrow screen cuts the tool's name, never the status; your
        # own list needs no moderator column (it is you).
        names = ["Month", "Case", "Status", "Auditor", "Team", "Tool"]
        if self.everyone:
            names.insert(4, "Moderator")
        for name in names:
            table.add_column(name, key=name.lower())
        for a in self.allocations:
            case = Text(a.case_ref or f"{a.practitioner}'s file")
            if not a.details_here:
                case = Text("to come", style="dim")
            cells = [Text(month_label(a.month)), case, Text(STATUS_WORDS.get(a.status, a.status))]
            # Text, not str: a DataTable reads a str as markup, and names are typed by people.
            cells += [Text(a.auditor)]
            if self.everyone:
                cells.append(Text(a.moderator))
            cells += [Text(a.team), Text(self._tool_title(a))]
            table.add_row(*cells, key=a.id)
        if self.allocations:
            table.move_cursor(row=min(max(row, 0), len(self.allocations) - 1))
        whose = "every moderation on this machine" if self.everyone else "yours to moderate"
        intro = f"{counted(len(self.allocations), 'audit')} picked for moderation, {whose}."
        if not self.allocations:
            intro += (
                " The QA lead picks them with `auditui moderation sample`; a sync brings yours."
            )
        else:
            intro += " Each re-audit is blind: Enter on an ended one shows both side by side."
            if waiting := moderation.waiting_words(self.allocations):
                intro += f" {waiting}"
        self.query_one("#moderations-intro", Static).update(intro)

    def _tool_title(self, allocation: Allocation) -> str:
        """The tool's title as its authors wrote it; its id if this machine lacks the tool."""
        try:
            return self.workspace.library.latest(allocation.tool).title
        except AuditUIError:
            return allocation.tool

    @property
    def current(self) -> Allocation | None:
        row = self.query_one(DataTable).cursor_row
        return self.allocations[row] if 0 <= row < len(self.allocations) else None

    def action_choose(self) -> None:
        chosen = self.current
        if chosen is None:
            return
        if chosen.status in ("ended", "agreed"):
            open_comparison(self, self.workspace, chosen.id)
        elif chosen.moderation_audit_id is not None:
            open_walker(self, self.workspace, chosen.moderation_audit_id)
        else:
            try:
                audit_id = moderation.start_moderation(self.workspace, chosen.id)
            except AuditUIError as error:
                show_error(self, error)
                return
            self.notify("Started the blind re-audit.", timeout=4)
            open_walker(self, self.workspace, audit_id)

    def action_toggle_everyone(self) -> None:
        self.everyone = not self.everyone
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
