"""`auditui report measures`: every question a tool marks as a measure, against its target.

A thin face on ``services.report.measures_report`` (the same figures as the
``measures`` of ``report --format json``, from the local store or a hub).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from auditui.cli.context import Settings, fail_on_error, open_workspace, print_json
from auditui.cli.report_cmd import group_options
from auditui.cli.report_options import source_options, warn_quarantined
from auditui.cli.sync_cmd import printable

_CSV_FIELDS = ("group", "tool", "question", "label", "target", "counted", "yes", "pct", "met")


@click.command("measures")
@source_options("Count audits")
@click.option(
    "--by", type=click.Choice(["month", "team", "tool"]), help="Give the measures per group too."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.pass_context
def measures(
    ctx: click.Context,
    hub_target: str | None,
    start: str | None,
    end: str | None,
    by: str | None,
    fmt: str,
    index_path: Path | None,
) -> None:
    """Every question a tool marks as a measure: label, target, counted, yes, % and met."""
    from auditui.services.report import measures_report

    hub_target, index_path, start, end = group_options(ctx, hub_target, index_path, start, end)
    settings = ctx.find_object(Settings)
    assert settings is not None
    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        report = measures_report(ws, hub_target, by, index_path, start, end)
    warn_quarantined(report)
    if fmt == "json":
        print_json(report)
    elif fmt == "csv":
        _csv(report)
    else:
        _table(report)


def rows(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(group, measure) for every line: overall first ("all"), then each group's."""
    out = [("all", m) for m in report["measures"]]
    for group in report["groups"]:
        out += [(str(group["group"]), m) for m in group["measures"]]
    return out


def _csv(report: dict[str, Any]) -> None:
    """Every cell through ``export.cells`` (a label is shown as text, never run)."""
    from auditui.export.cells import csv_line

    sys.stdout.write(csv_line(list(_CSV_FIELDS)))
    for group, m in rows(report):
        sys.stdout.write(csv_line([group, *(m[k] for k in _CSV_FIELDS[1:])]))


def _figure(m: dict[str, Any]) -> str:
    if m["pct"] is None:
        return "-" if m["counted"] is not None else "hidden"
    mark = {True: " ✓ met", False: " ✗ not met", None: ""}[m["met"]]
    return f"{m['pct']:.1f}%{mark}"


def _table(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    title = f"Measures against their targets, {report['source']}, {report['today']}"
    if report.get("from") or report.get("to"):
        title += f" (audits ended {report.get('from') or '…'} to {report.get('to') or '…'})"
    if not report["measures"]:
        console.print(f"{title}: no loaded audit tool marks a question as a measure.")
        return
    table = Table(title=title, box=None)
    for name in (report["by"] or "", "measure", "target", "counted", "yes", "%"):
        table.add_column(name, justify="right" if name in ("counted", "yes", "target") else "left")
    for group, m in rows(report):
        table.add_row(
            Text(printable(group)),
            Text(printable(m["label"])),
            "-" if m["target"] is None else f"{m['target']}%",
            "-" if m["counted"] is None else str(m["counted"]),
            "-" if m["yes"] is None else str(m["yes"]),
            _figure(m),
        )
    console.print(table)
    if report["suppressed"]:
        console.print(
            f"Fewer than {report['small_group_threshold']} audits: figures hidden to protect "
            "small groups."
        )
    elif report["suppressed_groups"]:
        console.print(
            f"{report['suppressed_groups']} group(s) hidden to protect small groups "
            f"(fewer than {report['small_group_threshold']} audits)."
        )


COMMANDS = [measures]
