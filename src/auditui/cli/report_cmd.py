"""`auditui report`: the QA measures from the local store or a hub (spec/cli.md).

A thin face on ``services.report``: how the measures are counted lives in
the core, so the TUI's reports screen shows exactly what this prints.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any, ClassVar

import click

from auditui.cli.context import Settings, fail_on_error, open_workspace, print_json
from auditui.cli.report_options import source_options, warn_quarantined


class ReportGroup(click.Group):
    """`auditui report` counts the QA measures itself and is also the home of the reports
    built on them (`report measures`, `report pack`, `report moderation`). Each of those
    lives in its own module, imported only when it is asked for."""

    SUBCOMMANDS: ClassVar[dict[str, str]] = {
        "measures": "report_measures_cmd",
        "moderation": "report_moderation_cmd",
        "pack": "report_pack_cmd",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in sorted(self.SUBCOMMANDS) if self._module(name) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self._module(cmd_name)
        found = [c for c in module.COMMANDS if c.name == cmd_name] if module is not None else []
        return found[0] if found else None

    def _module(self, name: str) -> Any:
        import importlib
        import importlib.util

        home = self.SUBCOMMANDS.get(name)
        if home is None or importlib.util.find_spec(f"auditui.cli.{home}") is None:
            return None
        return importlib.import_module(f"auditui.cli.{home}")


def group_options(
    ctx: click.Context,
    hub_target: str | None,
    index_path: Path | None,
    start: str | None,
    end: str | None,
) -> tuple[str | None, Path | None, str | None, str | None]:
    """A subcommand's hub, index, start and end, each its own or else the one given to
    `report` itself: `report --hub X --from A --to B SUB` means `report SUB --hub X --from A
    --to B`, so the group's options are never silently dropped (the local store reported)."""
    given = ctx.parent.params if ctx.parent is not None else {}
    return (
        hub_target or given.get("hub_target"),
        index_path or given.get("index_path"),
        start or given.get("start"),
        end or given.get("end"),
    )


@click.group("report", cls=ReportGroup, invoke_without_command=True)
@source_options("Count audits", hub_default="the local store")
@click.option(
    "--by",
    type=click.Choice(["team", "month", "tool", "section", "case_type", "kind", "auditor"]),
    help="Give the measures per group too.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.pass_context
def report_cmd(
    ctx: click.Context,
    hub_target: str | None,
    by: str | None,
    start: str | None,
    end: str | None,
    fmt: str,
    index_path: Path | None,
) -> None:
    """The QA measures: % good or better, with the practitioner, complete, actions on time.

    With a subcommand, the reports built on them: themed measures against their
    targets, moderation agreement, the board's report pack.
    """
    if ctx.invoked_subcommand is not None:
        return
    from auditui.services.report import build_report, concern_figures

    settings = ctx.find_object(Settings)
    assert settings is not None

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        report = build_report(ws, hub_target, by, index_path, start, end)
        report["concerns"] = concern_figures(ws, hub_target, start, end)
    warn_quarantined(report)
    if fmt == "json":
        print_json(report)
    elif fmt == "csv":
        _csv(report)
    else:
        _table(report)


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"group": "all", **report}] + list(report["groups"])


_CSV_FIELDS = (
    "group",
    "audits",
    "finalised",
    "closed_incomplete",
    "good_or_better_pct",
    "with_practitioner_pct",
    "complete_against_framework_pct",
    "actions_on_time_pct",
    "overdue_actions",
)


def _csv(report: dict[str, Any]) -> None:
    """Every cell through ``export.cells`` (as ``export csv``): a team or tool named
    ``=HYPERLINK(...)`` on a hub is shown as text by a spreadsheet, never run."""
    from auditui.export.cells import csv_line
    from auditui.sync.measures import GRADE_ORDER

    rows = _rows(report)
    grades = [g for g in GRADE_ORDER if any(g in (r.get("grades") or {}) for r in rows)]
    themes = _theme_columns(rows)
    out = sys.stdout
    out.write(
        csv_line([*_CSV_FIELDS, *(f"grade_{g}" for g in grades), *(f"{k}_{t}" for k, t in themes)])
    )
    for row in rows:
        counts = row.get("grades") or {}
        raised = {
            (kind, t["theme"]): t["audits"]
            for kind, items in (row.get("themes") or {}).items()
            for t in items
        }
        out.write(
            csv_line(
                [row.get(k) for k in _CSV_FIELDS]
                + [counts.get(g, 0) for g in grades]
                + [raised.get(column, 0) for column in themes]
            )
        )


def _theme_columns(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """One column per theme raised anywhere in the report, per kind (``development_<theme>``,
    ``strengths_<theme>``): the overall order (most often raised first), then the rest."""
    columns: dict[tuple[str, str], None] = {}
    for kind in ("development", "strengths"):
        for row in rows:
            for t in (row.get("themes") or {}).get(kind) or ():
                columns[(kind, t["theme"])] = None
    return list(columns)


def _pct(value: float | None, target: int | None = None) -> str:
    if value is None:
        return "-"
    text = f"{value:.1f}%"
    if target is not None:
        text += " ✓" if value >= target else " ✗"
    return text


def _printable(text: str) -> str:
    """A name from a hub as plain text: no control character reaches the terminal."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _table(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from auditui.sync.theme_counts import top_themes
    from auditui.tools.scales import SCALES

    console = Console()
    labels = {g: s.label(g) for s in SCALES.values() for g in s.grades}
    targets = report["targets"]
    title = f"QA measures, {report['source']}, {report['today']}"
    if report.get("from") or report.get("to"):
        title += f" (audits ended {report.get('from') or '…'} to {report.get('to') or '…'})"
    if report["suppressed"]:
        console.print(
            f"{title}: fewer than {report['small_group_threshold']} audits; "
            "figures hidden to protect small groups."
        )
        return
    table = Table(
        report["by"] or "",
        "audits",
        "good or better",
        "with practitioner",
        "complete",
        "actions on time",
        "overdue actions",
        title=title,
        box=None,
        caption=(
            f"Targets: {targets['with_practitioner_pct']}% with the practitioner, "
            f"{targets['complete_against_framework_pct']}% complete against the framework, "
            f"{targets['actions_on_time_pct']}% of actions on time (✓ met, ✗ not met)."
        ),
    )
    for row in _rows(report):
        table.add_row(
            Text(_printable(str(row["group"]))),
            str(row["audits"]),
            _pct(row["good_or_better_pct"]),
            _pct(row["with_practitioner_pct"], targets["with_practitioner_pct"]),
            _pct(row["complete_against_framework_pct"], targets["complete_against_framework_pct"]),
            _pct(row["actions_on_time_pct"], targets["actions_on_time_pct"]),
            str(row["overdue_actions"]),
        )
    console.print(table)
    grades = ", ".join(f"{labels.get(g, g)} {n}" for g, n in report["grades"].items())
    console.print(f"Grades (finalised audits): {grades or 'none yet'}")
    if report["suppressed_groups"]:
        console.print(
            f"{report['suppressed_groups']} group(s) with fewer than "
            f"{report['small_group_threshold']} audits hidden."
        )
    if concerns := report.get("concerns"):
        console.print(_concern_line(concerns))
    if lines := top_themes(report):
        top = Table(box=None, show_header=False, title="Top themes (audits raising each)")
        for label, themes_raised in lines:
            top.add_row(label, Text(_printable(themes_raised)))
        console.print(top)
    if report.get("question_themes"):
        themes = Table(
            "theme",
            "question",
            "answered",
            "no",
            "partly",
            "no or partly",
            title="Tagged questions most often answered no or partly",
            box=None,
        )
        for t in report["question_themes"]:
            themes.add_row(
                Text(_printable(", ".join(t["tags"]))),
                Text(_printable(f"{t['tool_id']}: {t['question_id']}")),
                str(t["answered"]),
                str(t["no"]),
                str(t["partly"]),
                _pct(t["no_or_partly_pct"]),
            )
        console.print(themes)


def _concern_line(c: dict[str, Any]) -> str:
    """One sentence on the safeguarding concerns raised in the period (counts only)."""

    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    line = (
        f"Safeguarding concerns: {c['raised']} raised, {c['open']} open, "
        f"{c['closed']} closed; {c['acknowledged_same_working_day']} acknowledged the same "
        f"working day, {c['not_acknowledged_same_working_day']} not"
    )
    if c["median_response_working_days"] is not None:
        line += (
            f"; response in {c['median_response_working_days']:g} working days (median), "
            f"{n(c['longest_response_working_days'], 'working day', 'working days')} at longest"
        )
    return line + "."


COMMANDS = [report_cmd]
