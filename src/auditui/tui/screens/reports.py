"""`r`: the monthly QA measures on screen, from the local store or a hub.

The QA lead takes these figures to the Quality Practice Forum: the grade
distribution month by month (one chart per grading scale), the three
published measures against their 75% target, and the measures the audit
tools mark (``measure:``) against their own targets with a trend by month, and
the themes findings raise most often (for development and as strengths).
One view at a time (`v`), so each is readable at 80x24; the table is always
one of them. A period (`p`) and a cut (`g`: team, month, tool, section,
case type, kind, auditor) as ``auditui report --from --to --by`` takes them.
Counting may take a while over a large hub, so it runs in a thread worker;
the numbers come from ``services.report``, exactly as ``auditui report``
prints them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Static

from auditui.domain.uk_dates import month_label
from auditui.errors import AuditUIError, ConfigError
from auditui.services.report import build_report
from auditui.services.workspace import Workspace
from auditui.sync.measures import GROUPINGS
from auditui.tools.scales import SCALES
from auditui.tui.feedback import show_error
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.moderation_figures import moderation_reports, moderation_view
from auditui.tui.widgets.report_charts import grade_chart, measure_bar, themed_measures
from auditui.tui.widgets.report_table import MEASURES, fill_table, parse_period, summary_line
from auditui.tui.widgets.report_themes import themes_view
from auditui.tui.widgets.title_bar import TitleBar

VIEWS = (
    ("view-table", "Table"),
    ("view-grades", "Grades"),
    ("view-measures", "QA measures"),
    ("view-themed", "Themed measures"),
    ("view-moderation", "Moderation"),
    ("view-themes", "Themes"),
)


class ReportsScreen(Screen[None]):
    """The QA measures over this machine's audits, or over a hub."""

    HELP_TITLE = "Reports"
    DEFAULT_CSS = """
    ReportsScreen #report-summary { height: auto; padding: 0 1; }
    ReportsScreen #report-views { height: 1; padding: 0 1; }
    ReportsScreen ContentSwitcher { height: 1fr; }
    ReportsScreen ContentSwitcher > VerticalScroll { padding: 0 1; }
    ReportsScreen #view-table { height: 1fr; }
    """
    """Self-contained: this screen is opened by the app but styled here, beside its layout."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "v",
            "next_view",
            "View",
            tooltip="Next view: table, grades by month, QA measures, themed measures, "
            "moderation agreement, themes raised (for development and as strengths).",
            id="reports.view",
        ),
        Binding(
            "g",
            "next_grouping",
            "Group by",
            tooltip="Cut by team, month, tool, section, case type, audit kind or auditor.",
            id="reports.group",
        ),
        Binding(
            "p",
            "period",
            "Period",
            tooltip="Count only audits that ended from one day to another.",
            id="reports.period",
        ),
        Binding(
            "ctrl+r",
            "refresh",
            "Refresh",
            tooltip="Count again (a hub may have new results).",
            id="reports.refresh",
        ),
        Binding(
            "h",
            "switch_source",
            "Hub / here",
            tooltip="Switch between this machine's audits and every team's on the hub.",
            id="reports.source",
        ),
        Binding(
            "P",
            "programme_progress",
            "Programme progress",
            show=False,
            tooltip="Planned, started, ended and missed audits by team and auditor, by month.",
            id="reports.progress",
        ),
        Binding(
            "N",
            "narrative",
            "Narrative",
            tooltip="The board pack's narrative (what we know, how, what next) for the period "
            "shown.",
            id="reports.narrative",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the list of audits.", id="reports.back"),
    ]

    def __init__(self, workspace: Workspace, hub_target: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.hub_target = hub_target
        self.by = "month"
        self.view = VIEWS[0][0]
        self.period: tuple[str | None, str | None] = (None, None)
        self.report: dict[str, Any] | None = None
        self.monthly: dict[str, Any] | None = None
        self.moderation: dict[str, dict[str, Any]] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Counting...", id="report-summary")
        yield Static("", id="report-views")
        with ContentSwitcher(initial=self.view):
            yield DataTable(id="view-table", cursor_type="row", zebra_stripes=True)
            for view, _ in VIEWS[1:]:
                with VerticalScroll(id=view):
                    yield Static("", id=f"{view}-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_views()
        self.refresh_report()

    def action_switch_source(self) -> None:
        if self.hub_target is None:
            try:
                self.hub_target = self.workspace.config.sync.hub_to_read()
            except ConfigError as exc:
                self.notify(exc.message, title=exc.title, severity="warning", markup=False)
                return
        else:
            self.hub_target = None
        self.refresh_report()

    def action_refresh(self) -> None:
        self.refresh_report()

    def action_next_grouping(self) -> None:
        self.by = GROUPINGS[(GROUPINGS.index(self.by) + 1) % len(GROUPINGS)]
        self.refresh_report()

    def action_next_view(self) -> None:
        names = [v for v, _ in VIEWS]
        self.view = names[(names.index(self.view) + 1) % len(names)]
        self.query_one(ContentSwitcher).current = self.view
        self._show_views()

    def action_period(self, typed: str | None = None, error: str = "") -> None:
        """Ask for the period; asked again, with what was typed and why it was refused."""
        from auditui.tui.screens.reason import ReasonScreen

        if typed is None:
            typed = " ".join(d or "-" for d in self.period) if any(self.period) else ""
        dialog = ReasonScreen(
            "Report period",
            "From and to (inclusive), e.g. 01/06/2026 30/11/2026; '-' leaves one end "
            "open; empty counts every audit.",
            required=False,
            value=typed,
        )
        self.app.push_screen(dialog, self._period_typed)
        if error:
            dialog.call_after_refresh(
                lambda: dialog.query_one("#reason-error", Static).update(Text(error))
            )

    def set_period(self, typed: str) -> None:
        """The period from what was typed: two dates (ISO or DD/MM/YYYY) or '-' each."""
        self.period = parse_period(typed)
        self.refresh_report()

    def _period_typed(self, typed: str | None) -> None:
        if typed is None:
            return
        try:
            self.set_period(typed)
        except AuditUIError as error:
            self.action_period(typed, error.message)

    def action_back(self) -> None:
        self.app.pop_screen()

    def refresh_report(self) -> None:
        from auditui.tui.screens.actions_board import hub_label

        where = f"the hub ({hub_label(self.hub_target)})" if self.hub_target else "this machine"
        self.sub_title = f"Reports: {where}"  # never a URL's login or password
        self.query_one(DataTable).loading = True
        self.count_measures(self.by, self.period)

    @work(thread=True, exclusive=True, group="report")
    def count_measures(self, by: str, period: tuple[str | None, str | None]) -> None:
        """Count in a thread: a hub may be large or slow to answer."""
        start, end = period
        try:
            report = build_report(self.workspace, self.hub_target, by, None, start, end)
            monthly = (
                report
                if by == "month"
                else build_report(self.workspace, self.hub_target, "month", None, start, end)
            )
            moderated = moderation_reports(self.workspace, self.hub_target, start, end)
        except AuditUIError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self.show, report, monthly, moderated)

    def _failed(self, error: AuditUIError) -> None:
        self.query_one(DataTable).loading = False
        self.query_one("#report-summary", Static).update(
            Text(f"{error.title}: {error.message}", style="bold red")
        )
        show_error(self, error)

    def show(
        self,
        report: dict[str, Any],
        monthly: dict[str, Any],
        moderated: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        """Put a finished count on screen."""
        self.report, self.monthly, self.moderation = report, monthly, moderated
        self._summary(report)
        self._table(report)
        self._charts()

    def on_resize(self, event: events.Resize) -> None:
        if self.report is not None:
            self._table(self.report)
            self._charts()

    def _show_views(self) -> None:
        line = Text()
        for view, name in VIEWS:
            line.append(f" {name} ", style="reverse bold" if view == self.view else "dim")
        line.append("  v: next", style="dim")
        self.query_one("#report-views", Static).update(line)

    def _summary(self, report: dict[str, Any]) -> None:
        self.query_one("#report-summary", Static).update(summary_line(report, self.by, self.period))

    def _table(self, report: dict[str, Any]) -> None:
        table = self.query_one(DataTable)
        library = self.workspace.library if self.by in ("tool", "section") else None
        fill_table(table, report, self.by, library, self.size.width - 4)
        table.loading = False

    def _charts(self) -> None:
        assert self.report is not None and self.monthly is not None
        width = max(self.size.width - 6, 40)  # padding and the scrollbar
        months = [{**m, "group": month_label(str(m["group"]))} for m in self.monthly["groups"]]
        grades = Text()
        for scale_id in SCALES:
            chart = grade_chart(scale_id, months, width)
            if chart is not None:
                grades.append_text(chart)
                grades.append("\n")
        self.query_one("#view-grades-body", Static).update(
            grades if grades.plain else Text("No finalised audit in this period.")
        )
        measures = Text("The published QA measures (│ marks the 75% target)\n", style="bold")
        targets = self.report["targets"]
        for key, label, _ in MEASURES:
            value, target = self.report[key], targets[key]
            met = None if value is None else value >= target
            measures.append_text(measure_bar(label, value, target, met, width))
            measures.append("\n")
        measures.append_text(
            measure_bar(
                "Good or better (a trend)", self.report["good_or_better_pct"], None, None, width
            )
        )
        self.query_one("#view-measures-body", Static).update(measures)
        self.query_one("#view-themed-body", Static).update(
            themed_measures(self.report.get("measures", []), months, width)
        )
        self.query_one("#view-themes-body", Static).update(
            themes_view(
                self.report, self.by, self.workspace.library, from_hub=self.hub_target is not None
            )
        )
        if self.moderation is not None:
            self.query_one("#view-moderation-body", Static).update(
                moderation_view(
                    self.moderation,
                    from_hub=self.hub_target is not None,
                    library=self.workspace.library,
                )
            )

    def action_narrative(self) -> None:
        """The narrative is kept per period, as `report pack --from --to` reads it: both ends."""
        start, end = self.period
        if start is None or end is None:
            self.notify(
                "The narrative is written for a period with a first and a last day, as the "
                "board's pack is made; set one with p first.",
                title="Narrative",
                severity="warning",
                timeout=8,
            )
            return
        from auditui.tui.screens.narrative import NarrativeScreen

        self.app.push_screen(NarrativeScreen(self.workspace, start, end))

    def action_programme_progress(self) -> None:
        from auditui.tui.screens.programme_progress import ProgrammeProgressScreen

        self.app.push_screen(ProgrammeProgressScreen(self.workspace))
