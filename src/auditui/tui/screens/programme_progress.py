"""`P`: the QA lead's audit progress report for one month, on screen.

Planned, started, ended and missed audits by team and by auditor, the
month's % done and the line for the monthly forum's minutes, exactly as
``auditui programme progress --month M --by team|auditor`` counts them
(``services.programme_progress``), with spec/cli.md's meanings: an item
whose month is over without its audit having ended is missed, started or
not. So that the screen does not hide work under way, the missed whose
audit was started and is still a draft are counted again beside them
("Under way"), and a line under the tables says what the words mean. The
month moves with the arrow keys (or `[` and `]`), so last month's misses
are one key away; months are written the UK way (``Nov 2026``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from auditui.domain.sampling import Month
from auditui.domain.uk_dates import format_month
from auditui.errors import AuditUIError
from auditui.services import programme_progress
from auditui.services.workspace import Workspace
from auditui.tui.palette import OVERDUE
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar

LEGEND = (
    "Missed: the month over and the audit not ended, started or not. Under way: of the "
    "missed, those started and not yet ended."
)


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def progress_table(heading: str, report: dict[str, Any]) -> Table:
    """One row per group (team or auditor) and a total, as `programme progress` prints."""
    table = Table(box=None, pad_edge=False, expand=False, header_style="bold")
    table.add_column(heading, no_wrap=False, max_width=28)
    for name in ("Planned", "To start", "Started", "Ended", "Missed", "Under way", "% done"):
        table.add_column(name, justify="right")
    for row in [*report["groups"], {"group": "All", **report}]:
        waiting = row["planned"] - row["started"] - row["ended"] - row["missed"]
        under_way = row["missed_under_way"]
        table.add_row(
            Text(str(row["group"]), style="bold" if row["group"] == "All" else ""),
            str(row["planned"]),
            str(waiting),
            str(row["started"]),
            str(row["ended"]),
            Text(str(row["missed"]), style=OVERDUE if row["missed"] else ""),
            Text(str(under_way), style=OVERDUE if under_way else ""),
            pct(row["ended_pct"]),
        )
    return table


def month_words(month: Month) -> str:
    return format_month(month.year, month.month)


class ProgrammeProgressScreen(Screen[None]):
    """One month of the audit programme: how far each team and auditor has got."""

    HELP_TITLE = "Programme progress"
    DEFAULT_CSS = """
    ProgrammeProgressScreen #progress-month { height: 1; padding: 0 1; }
    ProgrammeProgressScreen #progress-forum { height: auto; padding: 0 1; margin-bottom: 1; }
    ProgrammeProgressScreen VerticalScroll { height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left,left_square_bracket",
            "month(-1)",
            "Previous month",
            priority=True,
            key_display="←",
            tooltip="Show the month before.",
            id="progress.previous",
        ),
        Binding(
            "right,right_square_bracket",
            "month(1)",
            "Next month",
            priority=True,
            key_display="→",
            tooltip="Show the month after.",
            id="progress.next",
        ),
        Binding(
            "t",
            "this_month",
            "This month",
            tooltip="Back to the current month.",
            id="progress.this_month",
        ),
        Binding(
            "ctrl+r",
            "refresh",
            "Refresh",
            show=False,
            tooltip="Count again (after a sync brought new audits).",
            id="progress.refresh",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the last screen.", id="progress.back"),
    ]

    def __init__(self, workspace: Workspace, month: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.month = Month.parse(month or "") or Month.of(workspace.today())
        self.by_team: dict[str, Any] | None = None
        self.by_auditor: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="progress-month")
        yield Static("", id="progress-forum")
        with VerticalScroll(id="progress-scroll"):
            yield Static("", id="progress-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Programme progress"
        self.show_month()

    def action_month(self, step: int) -> None:
        self.month = self.month.shift(step)
        self.show_month()

    def action_this_month(self) -> None:
        self.month = Month.of(self.workspace.today())
        self.show_month()

    def action_refresh(self) -> None:
        self.show_month()

    def action_back(self) -> None:
        self.app.pop_screen()

    @property
    def forum_line(self) -> str:
        return "" if self.by_team is None else programme_progress.forum_line(self.by_team)

    def show_month(self) -> None:
        """Count the month shown (a local query: quick even over a year of plans)."""
        month = str(self.month)
        heading = Text(month_words(self.month), style="bold")
        try:
            self.by_team = programme_progress.progress(self.workspace, month, "team")
            self.by_auditor = programme_progress.progress(self.workspace, month, "auditor")
        except AuditUIError as error:
            heading.append("  ← → another month, t this month", style="dim")
            self.query_one("#progress-month", Static).update(heading)
            self.by_team = self.by_auditor = None
            self.query_one("#progress-forum", Static).update(
                Text(f"{error.title}: {error.message}", style=OVERDUE)
            )
            self.query_one("#progress-body", Static).update("")
            return
        if self.by_team["planned"]:
            heading.append(f": {pct(self.by_team['ended_pct'])} done", style="bold")
        heading.append("  ← → another month, t this month", style="dim")
        self.query_one("#progress-month", Static).update(heading)
        self.query_one("#progress-forum", Static).update(Text(self.forum_line))
        if not self.by_team["planned"]:
            body: Any = Text(
                f"Nothing is planned for {month_words(self.month)}. The QA lead plans a "
                "month with `auditui programme plan`.",
                style="dim",
            )
        else:
            body = Group(
                progress_table("Team", self.by_team),
                Text(""),
                progress_table("Auditor", self.by_auditor),
                Text(""),
                Text(LEGEND, style="dim"),
            )
        self.query_one("#progress-body", Static).update(body)
