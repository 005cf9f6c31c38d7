"""`auditui sync`, `auditui hub` and `auditui report`: results out, measures back (spec/cli.md).

Thin faces on ``services.sync`` and ``services.report``: what is sent, how
the hub is set up, and how the monthly measures are counted all live in the
core, so the TUI's sync key and reports screen say exactly what these do.
"""

from __future__ import annotations

import contextlib
import csv
import sys
from pathlib import Path
from typing import Any

import click

from auditui.cli.action_cmd import action_filters, print_actions
from auditui.cli.context import Settings, fail_on_error, open_workspace, pass_settings, print_json
from auditui.domain.records import parse_date

HUB_HELP = "A folder hub (a directory) or a PostgreSQL hub (postgresql://...)."


@click.command("sync")
@click.option(
    "--target",
    metavar="DIR|postgresql://...",
    help="Where to send (default: sync.target in the config, else the folder hub in "
    "the user data directory).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--batch-size", type=click.IntRange(min=1), default=None, hidden=True)
@pass_settings
def sync_cmd(settings: Settings, target: str | None, fmt: str, batch_size: int | None) -> None:
    """Send finalised and closed audits (graded results) and action changes to the hub."""
    from auditui.services import sync

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        if batch_size is None:
            report = sync.run_sync(ws, target)
        else:
            report = sync.run_sync(ws, target, batch_size=batch_size)
    for line in report.warnings:
        click.echo(f"auditui: warning: {line}", err=True)
    for line in report.problems:
        click.echo(f"auditui: {line}", err=True)
    if fmt == "json":
        print_json(report.to_json())
    else:
        click.echo(report.summary())
    if report.problems:
        sys.exit(1)


@click.group("hub")
def hub() -> None:
    """Set up a hub, and work a team's actions over one."""


@hub.command("init")
@click.argument("target", metavar="postgresql://...|DIR")
@click.option(
    "--small-group-threshold",
    type=click.IntRange(min=1),
    default=None,
    help="Hide report groups with fewer audits (default: sync.small_group_threshold).",
)
@pass_settings
def hub_init(settings: Settings, target: str, small_group_threshold: int | None) -> None:
    """Create or migrate a hub: the schema and roles of a PostgreSQL hub, or a folder hub."""
    from auditui.sync.hub import is_postgres

    with fail_on_error():
        threshold = small_group_threshold or settings.config.sync.small_group_threshold
        if is_postgres(target):
            from auditui.sync.postgres import init_hub

            click.echo(init_hub(target, threshold))
            return
        from auditui.sync.folder import ACTIONS_DIR, QUARANTINE_DIR

        root = Path(target).expanduser()
        try:
            for folder in (root, root / ACTIONS_DIR, root / QUARANTINE_DIR):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from auditui.errors import HubError

            raise HubError(f"Cannot create the folder hub {root}: {exc.strerror}.") from None
        click.echo(f"Folder hub {root} is ready; point sync.target at it.")


@hub.command("actions")
@click.option("--hub", "hub_target", required=True, metavar="DIR|postgresql://...", help=HUB_HELP)
@action_filters
@click.option("--index", "index_path", type=click.Path(path_type=Path), hidden=True)
@pass_settings
def hub_actions(
    settings: Settings,
    hub_target: str,
    status: str | None,
    due_within: int | None,
    overdue: bool,
    team: str | None,
    owner: str | None,
    fmt: str,
    index_path: Path | None,
) -> None:
    """Every team's actions on a hub, by due date (what `auditui actions --hub` shows)."""
    from auditui.services import sync

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        found = sync.hub_actions(
            ws, hub_target, status, due_within, overdue, team, owner, index_path
        )
    print_actions(found, fmt)


@hub.command("action-done")
@click.argument("action_id", metavar="ACTION")
@click.option("--hub", "hub_target", required=True, metavar="DIR|postgresql://...", help=HUB_HELP)
@click.option("--on", "on", metavar="DATE", help="When it was done (YYYY-MM-DD); default today.")
@click.option("--evidence", help="What shows it was done (only if the hub shares evidence text).")
@click.option("--index", "index_path", type=click.Path(path_type=Path), hidden=True)
@pass_settings
def hub_action_done(
    settings: Settings,
    action_id: str,
    hub_target: str,
    on: str | None,
    evidence: str | None,
    index_path: Path | None,
) -> None:
    """Mark an action done over a hub; the audit owner's next sync records it too."""
    from auditui.services import sync

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        day = parse_date(on, "Completed on (--on)") if on is not None else None
        view = sync.complete_hub_action(ws, hub_target, action_id, day, evidence, index_path)
    a = view.action
    when = "on time" if a.on_time else "late"
    click.echo(f"Action {a.id[:8]} done on {a.completed_on} ({when}; due {a.due}) on the hub.")


@click.command("report")
@click.option(
    "--hub",
    "hub_target",
    metavar="DIR|postgresql://...",
    help=HUB_HELP + " Default: the local store.",
)
@click.option(
    "--by",
    type=click.Choice(["team", "month", "tool", "section"]),
    help="Give the measures per group too.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--index",
    "index_path",
    type=click.Path(path_type=Path),
    help="Where to keep this reader's index of a folder hub.",
)
@pass_settings
def report_cmd(
    settings: Settings, hub_target: str | None, by: str | None, fmt: str, index_path: Path | None
) -> None:
    """The QA measures: % good or better, with the practitioner, complete, actions on time."""
    from auditui.services.report import build_report

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        report = build_report(ws, hub_target, by, index_path)
    for item in report.get("quarantined", []):
        click.echo(
            f"auditui: warning: hub file {item['file']} was refused and moved to quarantine/: "
            f"{item['reason']}",
            err=True,
        )
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
    from auditui.sync.measures import GRADE_ORDER

    rows = _rows(report)
    grades = [g for g in GRADE_ORDER if any(g in (r.get("grades") or {}) for r in rows)]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([*_CSV_FIELDS, *(f"grade_{g}" for g in grades)])
    for row in rows:
        counts = row.get("grades") or {}
        writer.writerow(
            ["" if row.get(k) is None else row[k] for k in _CSV_FIELDS]
            + [counts.get(g, 0) for g in grades]
        )


def _pct(value: float | None, target: int | None = None) -> str:
    if value is None:
        return "-"
    text = f"{value:.1f}%"
    if target is not None:
        text += " ✓" if value >= target else " ✗"
    return text


def _table(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from auditui.tools.scales import SCALES

    console = Console()
    labels = {g: s.label(g) for s in SCALES.values() for g in s.grades}
    targets = report["targets"]
    title = f"QA measures, {report['source']}, {report['today']}"
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
            str(row["group"]),
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
    if report["themes"]:
        themes = Table(
            "theme",
            "question",
            "answered",
            "no",
            "partly",
            "no or partly",
            title="Themes: tagged questions most often answered no or partly",
            box=None,
        )
        for t in report["themes"]:
            themes.add_row(
                ", ".join(t["tags"]),
                f"{t['tool_id']}: {t['question_id']}",
                str(t["answered"]),
                str(t["no"]),
                str(t["partly"]),
                _pct(t["no_or_partly_pct"]),
            )
        console.print(themes)


COMMANDS = [sync_cmd, hub, report_cmd]
