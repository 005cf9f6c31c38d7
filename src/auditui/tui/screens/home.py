"""Home: my audits, newest first, and what needs doing.

The first screen an auditor sees: drafts to carry on with, finalised work,
a filter that narrows as they type, and the follow-up actions due soon.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, Static

from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported
from auditui.tui.widgets.audit_table import DEMO_MARK, AuditTable
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.planned_panel import PlannedPanel
from auditui.tui.widgets.side_panel import SidePanel, plural
from auditui.tui.widgets.status_tabs import StatusTabs
from auditui.tui.widgets.title_bar import TitleBar

NARROW_BELOW = 100
"""Below this width the side panel is hidden (app.tcss, Screen.-narrow)."""
FILTER_HINT = "[dim]/ filter: case reference, tool, team, practitioner[/]"


class HomeScreen(Screen[None]):
    """The list of audits on this machine."""

    HELP_TITLE = "Home"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "new_audit",
            "New audit",
            tooltip="Choose an audit tool and start a new audit.",
            id="home.new",
        ),
        Binding(
            "enter",
            "open_audit",
            "Open",
            priority=True,
            show=False,
            tooltip="Open the highlighted audit (a draft resumes at its first unanswered "
            "question; an ended audit opens read-only).",
            id="home.open",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Type to filter by case reference, tool, team or practitioner.",
            id="home.filter",
        ),
        Binding(
            "t",
            "next_status",
            "Status",
            tooltip="Switch between drafts, finalised and all audits.",
            id="home.status",
        ),
        Binding(
            "r",
            "reports",
            "Reports",
            tooltip="The monthly measures against their targets, with charts.",
            id="home.reports",
        ),
        Binding(
            "s",
            "sync",
            "Sync",
            tooltip="Send finalised, graded results to the hub and fetch action completions.",
            id="home.sync",
        ),
        Binding(
            "e",
            "export",
            "Export",
            tooltip="Write the audits, answers and actions tables as CSV files for Excel or BI.",
            id="home.export",
        ),
        Binding(
            "a",
            "actions_board",
            "Actions",
            tooltip="All open actions by due date: overdue in red, due soon in amber.",
            id="home.actions",
        ),
        Binding(
            "p",
            "planned",
            "Planned for you",
            tooltip="Move between your planned audits (this month's, and any overdue) and "
            "the list of audits.",
            id="home.planned",
        ),
        Binding(
            "P",
            "programme_progress",
            "Programme progress",
            tooltip="The QA lead's view: planned, started, ended and missed audits by team "
            "and auditor, month by month.",
            id="home.progress",
        ),
        Binding(
            "m",
            "moderation",
            "Moderation",
            tooltip="On a moderation audit: both audits side by side once it has ended. "
            "Elsewhere: the audits you are to moderate.",
            id="home.moderation",
        ),
        Binding(
            "q",
            "app.quit",
            "Quit",
            tooltip="Leave auditui. Every answer is already saved.",
            id="home.quit",
        ),
        Binding(
            "ctrl+r",
            "refresh",
            "Refresh",
            show=False,
            tooltip="Read the database again (for changes made in another terminal).",
            id="home.refresh",
        ),
        Binding(
            "escape",
            "leave_filter",
            "Back to list",
            show=False,
            tooltip="Leave the filter box and return to the table.",
            id="home.leave_filter",
        ),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        # Flat on purpose: the side panel docks right instead of nesting the rest in
        # containers, which cost a tenth of the start-up time.
        yield TitleBar()
        yield SidePanel(self.workspace, id="side")
        yield PlannedPanel(self.workspace, id="planned-panel")
        yield StatusTabs(id="status-tabs")
        # The filter box opens on `/`; until then one dim line says so, which leaves
        # the table two more rows on a small screen and starts quicker.
        yield Static(FILTER_HINT, id="filter-hint")
        search = Input(placeholder="case reference, tool, team, practitioner", id="filter")
        search.display = False
        yield search
        empty = Static("", id="home-empty")
        empty.display = False  # shown only when nothing matches: no re-layout at start
        yield empty
        yield AuditTable(self.workspace, id="audits")
        yield Static("", id="home-count")
        yield KeyBar()

    @property
    def table(self) -> AuditTable:
        return self.query_one(AuditTable)

    @property
    def planned(self) -> PlannedPanel:
        return self.query_one(PlannedPanel)

    AUTO_FOCUS = "#audits"

    def on_mount(self) -> None:
        self.refresh_all()
        self._shown_once = False

    def on_screen_resume(self) -> None:
        if self._shown_once:  # back from another screen: it may have changed things
            self.refresh_all()
        self._shown_once = True

    def refresh_all(self) -> None:
        """Read the table and side panel again, keeping the cursor where it was."""
        with reported(self):
            self.table.reload()
            self.query_one(SidePanel).refresh_panel()
            self.planned.refresh_items()
        self._show_count()

    def _show_count(self) -> None:
        table = self.table
        empty = self.query_one("#home-empty", Static)
        if table.total == 0:
            if table.search:
                empty.update(f"No audits match '{table.search}'.")
            elif table.status == "draft":
                empty.update("No drafts. Press [b]n[/b] to start a new audit.")
            else:
                empty.update("No audits here yet. Press [b]n[/b] to start a new audit.")
        if empty.display != (table.total == 0):
            empty.display = table.total == 0
        side = self.query_one(SidePanel)
        parts = [f"{table.row_count:,} of {table.total:,} shown"] if table.total else []
        demo = sum(1 for audit in table.rows if audit.demo)
        if demo:
            parts[0] += f" ({demo:,} demo, marked {DEMO_MARK})"
        parts.append(plural(side.counts.get("draft", 0), "draft"))
        # The same counts as the side panel (which a terminal under 100 columns hides),
        # left to the side panel when beside it they would cut the line.
        phrases = [] if side.counting else side.due.phrases("due soon")
        due = [f"[{style}]{words}[/]" for words, style in phrases]
        count = self.query_one("#home-count", Static)
        room = count.content_size.width or self.app.size.width - 2
        plain = " · ".join([*parts, ", ".join(w for w, _ in phrases) + " (a)"])
        if due and (len(plain) <= room or self.app.size.width < NARROW_BELOW):
            parts.append(", ".join(due) + " (a)")
        self.query_one("#home-count", Static).update(" · ".join(parts), layout=False)  # one line

    @on(SidePanel.Counted)
    def _due_counted(self) -> None:
        self._show_count()

    def on_resize(self, event: events.Resize) -> None:
        self._show_count()  # the side panel came or went

    @on(StatusTabs.Changed, "#status-tabs")
    def _status_changed(self, event: StatusTabs.Changed) -> None:
        with reported(self):
            self.table.reload(status="" if event.value == "all" else event.value)
        self._show_count()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        with reported(self):
            self.table.reload(search=event.value)
        self._show_count()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    @on(AuditTable.Highlighted, "#audits")
    def _row_moved(self) -> None:
        self._show_count()

    @on(AuditTable.Chosen, "#audits")
    def _row_chosen(self) -> None:
        self.action_open_audit()

    def action_filter(self) -> None:
        search = self.query_one("#filter", Input)
        self.query_one("#filter-hint").display = False
        search.display = True
        # Now, not after the next refresh: the keys typed right after `/` are the filter.
        self.set_focus(search)

    def action_leave_filter(self) -> None:
        self.table.focus()

    def on_key(self, event: events.Key) -> None:
        """`/` opens the filter the moment it arrives, not when its binding runs.

        A burst such as "/nl" reaches the table, then this screen, key by key
        before any binding runs; handled here, the keys after `/` go into the
        box as typed instead of being lost (or opening a new audit, for "n").
        """
        search = self.query_one("#filter", Input)
        if event.key == "slash" and self.focused is not search:
            event.stop()
            self.action_filter()
        elif self.focused is search and event.is_printable and event.character:
            search.insert_text_at_cursor(event.character)
            event.stop()

    @on(Input.Blurred, "#filter")
    def _filter_left(self) -> None:
        search = self.query_one("#filter", Input)
        if not search.value:  # an empty box folds back to its one-line hint
            search.display = False
            self.query_one("#filter-hint").display = True

    def action_next_status(self) -> None:
        self.query_one(StatusTabs).next()

    def action_refresh(self) -> None:
        self.refresh_all()
        self.notify("Read the database again.", timeout=2)

    def action_open_audit(self) -> None:
        if self._in_planned:
            self.open_planned()
            return
        if self.focused is not self.table:
            self.table.focus()
            return
        audit_id = self.table.current_audit_id
        if audit_id is not None:
            self.open_audit(audit_id)

    def open_audit(self, audit_id: str) -> None:
        from auditui.tui.screens.walker import WalkerScreen

        with reported(self):
            self.app.push_screen(WalkerScreen(self.workspace, audit_id))

    def action_new_audit(self) -> None:
        from auditui.tui.screens.tool_chooser import ToolChooserScreen

        def started(audit_id: str | None) -> None:
            if audit_id:
                self.open_audit(audit_id)

        self.app.push_screen(ToolChooserScreen(self.workspace), started)

    def action_actions_board(self) -> None:
        from auditui.tui.screens.actions_board import ActionsBoardScreen

        self.app.push_screen(ActionsBoardScreen(self.workspace))

    def action_reports(self) -> None:
        from auditui.tui.screens.reports import ReportsScreen

        self.app.push_screen(ReportsScreen(self.workspace))

    def action_sync(self) -> None:
        from auditui.tui.jobs import sync_job
        from auditui.tui.screens.progress_job import ProgressJobScreen

        self.app.push_screen(
            ProgressJobScreen("Sync to the hub", sync_job(self.workspace)),
            lambda _: self.refresh_all(),
        )

    def action_export(self) -> None:
        from auditui.tui.jobs import default_export_dir, export_job
        from auditui.tui.screens.progress_job import ProgressJobScreen
        from auditui.tui.screens.reason import ReasonScreen

        def chosen(folder: str | None) -> None:
            if folder:
                job = export_job(self.workspace, folder)
                self.app.push_screen(ProgressJobScreen("Export to CSV", job))

        self.app.push_screen(
            ReasonScreen(
                "Export to CSV",
                "The folder for audits.csv, answers.csv and actions.csv (created owner-only):",
                value=str(default_export_dir(self.workspace)),
            ),
            chosen,
        )

    def action_planned(self) -> None:
        """`p`: to the planned items and back to the audits."""
        if self._in_planned or not self.planned.display:
            if not self.planned.display:
                self.notify("Nothing is planned for you this month.", timeout=3)
            self.table.focus()
        else:
            self.planned.table.focus()

    @property
    def _in_planned(self) -> bool:
        return self.focused is not None and self.focused.id == "planned"

    def open_planned(self) -> None:
        from auditui.tui.programme_actions import start_or_open_planned

        current = self.planned.current
        if current is not None:
            start_or_open_planned(self, self.workspace, current.item)

    def action_programme_progress(self) -> None:
        from auditui.tui.screens.programme_progress import ProgrammeProgressScreen

        self.app.push_screen(ProgrammeProgressScreen(self.workspace))

    def action_moderation(self) -> None:
        from auditui.tui.programme_actions import moderation_of, open_comparison
        from auditui.tui.screens.moderations import ModerationsScreen

        audit_id = self.table.current_audit_id
        with reported(self):
            allocation = moderation_of(self.workspace, audit_id) if audit_id else None
            if allocation is not None:
                open_comparison(self, self.workspace, allocation)
                return
            self.app.push_screen(ModerationsScreen(self.workspace))
