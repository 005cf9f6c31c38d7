"""`r`: the monthly QA measures on screen, from the local store or a hub.

The QA lead takes these figures to the Quality Practice Forum: the grade
distribution month by month, and the three measures with a 75% target
(audits with the practitioner, complete against the framework, actions on
time) against that target. Counting may take a while over a large hub, so
it runs in a thread worker and the screen stays responsive; the numbers
come from ``services.report``, exactly as ``auditui report`` prints them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from auditui.errors import AuditUIError, ConfigError
from auditui.services.report import build_report
from auditui.services.workspace import Workspace
from auditui.sync.measures import GRADE_ORDER, GROUPINGS
from auditui.tools.scales import SCALES
from auditui.tui.feedback import show_error
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar

GRADE_LABELS = {g: s.label(g) for s in SCALES.values() for g in s.grades}
MEASURES = (
    ("with_practitioner_pct", "With practitioner"),
    ("complete_against_framework_pct", "Complete"),
    ("actions_on_time_pct", "Actions on time"),
)


def percent(value: float | None, target: int | None = None) -> Text:
    if value is None:
        return Text("-", justify="right")
    style = "" if target is None else ("green" if value >= target else "bold red")
    return Text(f"{value:.1f}%", style=style, justify="right")


class ReportsScreen(Screen[None]):
    """The QA measures over this machine's audits, or over a hub."""

    HELP_TITLE = "Reports"
    DEFAULT_CSS = """
    ReportsScreen #report-summary { height: auto; padding: 0 1; }
    ReportsScreen #report-charts { height: 1fr; min-height: 12; }
    ReportsScreen #report-charts PlotextPlot { width: 1fr; height: 1fr; }
    ReportsScreen #report-table { height: 1fr; }
    """
    """Self-contained: this screen is opened by the app but styled here, beside its layout."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "g",
            "next_grouping",
            "Group by",
            tooltip="Show the table by team, month, audit tool or section.",
            id="reports.group",
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
        Binding("escape", "back", "Back", tooltip="Back to the list of audits.", id="reports.back"),
    ]

    def __init__(self, workspace: Workspace, hub_target: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.hub_target = hub_target
        self.by = "month"
        self.report: dict[str, Any] | None = None
        self.monthly: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Counting...", id="report-summary")
        with Horizontal(id="report-charts"):
            yield PlotextPlot(id="grades-chart")
            yield PlotextPlot(id="measures-chart")
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
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

    def action_back(self) -> None:
        self.app.pop_screen()

    def refresh_report(self) -> None:
        from auditui.tui.screens.actions_board import hub_label

        where = f"the hub ({hub_label(self.hub_target)})" if self.hub_target else "this machine"
        self.sub_title = f"Reports: {where}"  # never a URL's login or password
        self.query_one(DataTable).loading = True
        self.count_measures(self.by)

    @work(thread=True, exclusive=True, group="report")
    def count_measures(self, by: str) -> None:
        """Count in a thread: a hub may be large or slow to answer."""
        try:
            report = build_report(self.workspace, self.hub_target, by)
            monthly = (
                report if by == "month" else build_report(self.workspace, self.hub_target, "month")
            )
        except AuditUIError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self.show, report, monthly)

    def _failed(self, error: AuditUIError) -> None:
        self.query_one(DataTable).loading = False
        self.query_one("#report-summary", Static).update(
            Text(f"{error.title}: {error.message}", style="bold red")
        )
        show_error(self, error)

    def show(self, report: dict[str, Any], monthly: dict[str, Any]) -> None:
        """Put a finished count on screen."""
        self.report, self.monthly = report, monthly
        self._summary(report)
        self._table(report)
        self._grades_chart(monthly)
        self._measures_chart(report)

    def _summary(self, report: dict[str, Any]) -> None:
        summary = self.query_one("#report-summary", Static)
        if report["suppressed"]:
            summary.update(
                f"Fewer than {report['small_group_threshold']} audits: figures hidden to protect "
                "small groups."
            )
            return
        targets = report["targets"]
        line = Text(f"{report['audits']} ended audits ({report['source']}, {report['today']}): ")
        line.append(f"good or better {_pct(report['good_or_better_pct'])}")
        for key, label in MEASURES:
            line.append(f"; {label.lower()} ")
            line.append_text(percent(report[key], targets[key]))
            line.append(f" (target {targets[key]}%)")
        line.append(f"; {report['overdue_actions']} actions overdue.")
        if report["suppressed_groups"]:
            line.append(f" {report['suppressed_groups']} small group(s) hidden.")
        summary.update(line)

    def _table(self, report: dict[str, Any]) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        targets = report["targets"]
        table.add_column(self.by.capitalize(), key="group")
        table.add_column("Audits", key="audits")
        table.add_column("Good or better", key="good")
        for key, label in MEASURES:
            table.add_column(f"{label} ({targets[key]}%)", key=key)
        table.add_column("Overdue actions", key="overdue")
        for row in [{"group": "All", **report}, *report["groups"]]:
            if row.get("audits") is None:
                continue
            table.add_row(
                str(row["group"]),
                Text(str(row["audits"]), justify="right"),
                percent(row["good_or_better_pct"]),
                *(percent(row[key], targets[key]) for key, _ in MEASURES),
                Text(str(row["overdue_actions"]), justify="right"),
                key=str(row["group"]),
            )
        table.loading = False

    def _grades_chart(self, monthly: dict[str, Any]) -> None:
        plot = self.query_one("#grades-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("Grades by month (finalised audits)")
        months = [g["group"] for g in monthly["groups"]]
        grades = [g for g in GRADE_ORDER if any(g in m["grades"] for m in monthly["groups"])]
        if months and grades:
            plt.stacked_bar(  # type: ignore[call-arg]  # plotext 5 takes labels=; its stub says label=
                months,
                [[m["grades"].get(grade, 0) for m in monthly["groups"]] for grade in grades],
                labels=[GRADE_LABELS[g] for g in grades],
            )
        plot.refresh()

    def _measures_chart(self, report: dict[str, Any]) -> None:
        plot = self.query_one("#measures-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("Measures against their 75% targets")
        names = [label for _, label in MEASURES]
        values = [report[key] or 0 for key, _ in MEASURES]
        targets = [report["targets"][key] for key, _ in MEASURES]
        plt.multiple_bar(  # type: ignore[call-arg]
            names, [values, targets], labels=["this period", "target"]
        )
        plt.ylim(0, 100)
        plt.hline(75)
        plot.refresh()


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"
