"""`auditui report moderation`: how far moderators agree with the audits they re-audited.

The figures (exact and within-one agreement, quadratic-weighted kappa on the
scale's order, which way disagreements go) are ``domain.moderation``'s,
gathered by ``services.moderation_review``.
"""

from __future__ import annotations

import contextlib
from typing import Any

import click

from auditui.cli.context import Settings, fail_on_error, open_workspace, print_json

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
@click.option("--from", "start", metavar="DATE", help="Re-audits that ended on or after this day.")
@click.option("--to", "end", metavar="DATE", help="Re-audits that ended on or before this day.")
@click.option("--by", type=click.Choice(["auditor", "team", "section"]), help="Per group too.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def moderation(
    ctx: click.Context, start: str | None, end: str | None, by: str | None, fmt: str
) -> None:
    """Moderation agreement: exact, within one grade, weighted kappa, generous or harsh."""
    from auditui.services import moderation_review as review

    settings = ctx.find_object(Settings)
    assert settings is not None
    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        report = review.report(ws, start, end, by)
    if fmt == "json":
        print_json(report)
        return
    _table([{"group": "all", **report}, *report["groups"]])
    click.echo(
        f"{report['original_higher']} original grade(s) higher than the moderator's (generous), "
        f"{report['original_lower']} lower."
    )


def _table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*(f.replace("_pct", " %").replace("_", " ") for f in FIELDS), box=None)
    for row in rows:
        table.add_row(*("" if row[f] is None else str(row[f]) for f in FIELDS))
    Console().print(table)


COMMANDS = [moderation]
