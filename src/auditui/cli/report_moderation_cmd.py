"""`auditui report moderation`: how far moderators agree with the audits they re-audited.

The figures (exact and within-one agreement, quadratic-weighted kappa on the
scale's order, which way disagreements go) are ``domain.moderation``'s,
gathered by ``services.moderation_review`` from the local store, or with
``--hub`` by ``services.moderation_hub`` from what a folder or PostgreSQL hub
holds (groups too small to show suppressed, as in the hub's other reports).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click

from auditui.cli.context import Settings, fail_on_error, open_workspace, print_json
from auditui.cli.report_cmd import group_options
from auditui.cli.report_options import source_options, warn_quarantined
from auditui.cli.sync_cmd import printable
from auditui.domain.plurals import counted

FIELDS = (
    "group",
    "pairs",
    "exact_agreement_pct",
    "within_one_pct",
    "weighted_kappa",
    "original_higher",
    "original_lower",
)


@click.command("moderation")
@source_options("Re-audits")
@click.option("--by", type=click.Choice(["auditor", "team", "section"]), help="Per group too.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def moderation(
    ctx: click.Context,
    hub_target: str | None,
    start: str | None,
    end: str | None,
    by: str | None,
    fmt: str,
    index_path: Path | None,
) -> None:
    """Moderation agreement: exact, within one grade, weighted kappa, generous or harsh."""
    hub_target, index_path, start, end = group_options(ctx, hub_target, index_path, start, end)
    settings = ctx.find_object(Settings)
    assert settings is not None
    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        if hub_target is None:
            from auditui.services import moderation_review as review

            report = review.report(ws, start, end, by)
        else:
            from auditui.services.moderation_hub import hub_report

            report = hub_report(ws, hub_target, start, end, by, index_path)
    warn_quarantined(report)
    if fmt == "json":
        print_json(report)
        return
    _table([{"group": "all", **report}, *report["groups"]])
    if report.get("suppressed"):
        click.echo(
            f"Fewer than {report['small_group_threshold']} pairs: the figures are hidden, "
            "so no one's moderation can be singled out."
        )
    else:
        click.echo(
            f"{counted(report['original_higher'], 'original grade')} higher than the moderator's "
            f"(generous), {report['original_lower']} lower."
        )
    if report.get("suppressed_groups"):
        click.echo(
            f"{counted(report['suppressed_groups'], 'group')} hidden: under "
            f"{report['small_group_threshold']} pairs, or enough to make one derivable."
        )


HEADERS = ("group", "pairs", "exact %", "within one %", "kappa", "original higher", "lower")


def _table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None)
    longest = max(len(printable(str(row["group"]))) for row in rows)
    table.add_column(HEADERS[0], min_width=min(longest, 28), overflow="fold")
    for header in HEADERS[1:]:
        table.add_column(header, justify="right")
    for row in rows:  # names from a hub are shown as text: never markup, never escapes
        table.add_row(*(Text("" if row[f] is None else printable(str(row[f]))) for f in FIELDS))
    Console().print(table)


COMMANDS = [moderation]
