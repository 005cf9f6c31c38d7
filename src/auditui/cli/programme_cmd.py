"""`auditui programme`: the QA lead's monthly plan, its allocation and its progress.

The sampling, the refusals and the counting are the services'
(``services.programme``, ``services.programme_progress``); this module
only reads options and prints, in the forms spec/cli.md gives.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import click

from auditui.cli.context import (
    Settings,
    fail_on_error,
    open_workspace,
    pass_settings,
    print_json,
    terminal_text,
    write_out,
)
from auditui.domain.plurals import counted
from auditui.domain.sampling import GENERATOR

if TYPE_CHECKING:
    from auditui.domain.plan_items import PlanItem

SHOW_FIELDS = (
    "id",
    "month",
    "case_ref",
    "case_type",
    "team",
    "tool",
    "kind",
    "auditor",
    "status",
    "audit_id",
)
TABLE_FIELDS = ("id", "month", "case_ref", "case_type", "team", "auditor", "status", "audit_id")
"""What fits a terminal's 80 columns; json and csv carry every field."""


@click.group()
def programme() -> None:
    """Plan a month's audits from the case list, allocate them and follow them up."""


@programme.command("plan")
@click.option("--month", required=True, metavar="YYYY-MM", help="The month the audits are for.")
@click.option("--tool", "tool_id", required=True, help="The audit tool's id (see `tools list`).")
@click.option("--per-team", type=int, required=True, help="How many cases to draw per team.")
@click.option(
    "--case-type",
    "case_types",
    multiple=True,
    help="Draw only cases of this type (repeatable); default those the tool applies to.",
)
@click.option(
    "--kind",
    default="case_file",
    show_default=True,
    help="The kind of audit: case_file, themed, dip_sample or deep_dive.",
)
@click.option(
    "--auditor", "auditors", multiple=True, help="Who audits (repeatable); items dealt in turn."
)
@click.option("--seed", help="Re-draws a plan exactly; default a new random one, printed.")
@click.option(
    "--not-within-months",
    type=int,
    default=12,
    show_default=True,
    help="Leave out cases audited or planned within this many months of the plan's month.",
)
@pass_settings
def plan_cmd(
    settings: Settings,
    month: str,
    tool_id: str,
    per_team: int,
    case_types: tuple[str, ...],
    kind: str,
    auditors: tuple[str, ...],
    seed: str | None,
    not_within_months: int,
) -> None:
    """Draw a random sample of cases per team for a month and allocate it to auditors.

    \b
    Generator: {generator}.
    The same case list, earlier plans and audits, and seed give the same plan.
    A quota per case type is one plan per type: run it once for each with
    --case-type (say 3 CP and 2 CLA cases per team are two plans).
    """
    from auditui.services import programme as service

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        made = service.plan(
            ws,
            month,
            tool_id,
            per_team,
            auditors,
            case_types=case_types,
            kind=kind,
            seed=seed,
            not_within_months=not_within_months,
        )
    _table(_short_ids([i.as_json() for i in made.items]), TABLE_FIELDS)
    click.echo(terminal_text(made.summary()))


plan_cmd.help = (plan_cmd.help or "").format(generator=GENERATOR)


@programme.command("show")
@click.option("--month", metavar="YYYY-MM", help="Only this month's items.")
@click.option("--mine", is_flag=True, help="Only the items allocated to you (the configured user).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@pass_settings
def show_cmd(settings: Settings, month: str | None, mine: bool, fmt: str) -> None:
    """Plan items and their status: planned, started, ended, or missed.

    \b
    planned:   no audit yet, the month not over;
    started:   an audit is under way, the month not over;
    ended:     the audit is finalised or closed incomplete;
    missed:    the month is over and the audit has not ended, started
               or not (the table says "missed (started, not ended)"
               for one whose audit is under way);
    under_way: (JSON) true when an audit was started and has not ended:
               every started item, and a missed one still a draft.
    """
    from auditui.services import programme as service

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        items = service.show(ws, month, mine)
    found = [i.as_json() for i in items]
    if fmt == "json":
        print_json(found)
    elif fmt == "csv":
        from auditui.export.cells import csv_line

        write_out(
            "".join([csv_line(SHOW_FIELDS), *(csv_line(r[k] for k in SHOW_FIELDS) for r in found)])
        )
    else:
        shown = [{**i.as_json(), "status": _status_words(i)} for i in items]
        _table(_short_ids(shown), TABLE_FIELDS)
        click.echo(f"{counted(len(found), 'plan item')}.")


@programme.command("assign")
@click.argument("item", metavar="ITEM")
@click.option("--auditor", required=True, help="Who will audit the case instead.")
@pass_settings
def assign_cmd(settings: Settings, item: str, auditor: str) -> None:
    """Give a plan item (its id or a unique prefix) to another auditor."""
    from auditui.services import programme as service

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        done = service.assign(ws, item, auditor)
    click.echo(terminal_text(f"Plan item {done.id[:8]} ({done.case_ref}) is now {done.auditor}'s."))


@programme.command("progress")
@click.option("--month", metavar="YYYY-MM", help="One month; default every month planned.")
@click.option("--by", type=click.Choice(["team", "auditor"]), help="Counts per team or auditor.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_settings
def progress_cmd(settings: Settings, month: str | None, by: str | None, fmt: str) -> None:
    """Planned, started, ended and missed audits, the % ended, and a line for the forum.

    \b
    planned:          every item planned;
    started:          an audit is under way, the month not over;
    ended:            the audit is finalised or closed incomplete;
    missed:           the month is over and the audit has not ended,
                      started or not;
    missed under way: of the missed, those whose audit was started and
                      is still a draft (JSON "missed_under_way");
    not started:      the rest: no audit yet, the month not over.
    """
    from auditui.services import programme_progress as service

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        report = service.progress(ws, month, by)
    if fmt == "json":
        print_json(service.as_json(report))
        return
    rows = [{"group": "all", **report}, *report["groups"]]
    for row in rows:
        row["ended %"] = "" if row["ended_pct"] is None else f"{row['ended_pct']:.1f}"
        row["missed under way"] = row["missed_under_way"]
    _table(rows, ("group", "planned", "started", "ended", "missed", "missed under way", "ended %"))
    click.echo(terminal_text(service.forum_line(report)))


def _status_words(item: PlanItem) -> str:
    """The status as the table shows it: a missed item whose audit is under way says so."""
    if item.status == "missed" and item.under_way:
        return "missed (started, not ended)"
    return item.status


def _short_ids(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items with the first 8 characters of each id, as `audit list` shows ids."""
    return [{**r, "id": r["id"][:8], "audit_id": (r["audit_id"] or "")[:8]} for r in found]


def _table(found: list[dict[str, Any]], fields: tuple[str, ...]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*(f.replace("_", " ") for f in fields), box=None)
    for row in found:
        cells = [row[f] for f in fields]
        table.add_row(*(Text(terminal_text("" if c is None else c)) for c in cells))
    Console().print(table)


COMMANDS = [programme]
