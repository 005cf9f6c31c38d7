"""`auditui moderation`: pick ended audits for moderation, follow them, compare, agree.

The sample, the blindness and the refusals are the services'
(``services.moderation``, ``services.moderation_review``); this module reads
options and prints, in the forms spec/cli.md gives. The blind re-audit
itself is started by `audit new --moderate AUDIT`.
"""

from __future__ import annotations

import contextlib
from typing import Any

import click

from auditui.cli.context import (
    Settings,
    fail_on_error,
    open_workspace,
    pass_settings,
    print_json,
    terminal_text,
)
from auditui.domain.moderation_draw import GENERATOR
from auditui.domain.plurals import counted

TABLE_FIELDS = ("id", "audit_id", "auditor", "moderator", "status", "moderation_audit_id")


@click.group()
def moderation() -> None:
    """Moderate a sample of ended audits: a second auditor re-audits each one blind."""


@moderation.command("sample")
@click.option("--month", required=True, metavar="YYYY-MM", help="Audits that ended this month.")
@click.option("--percent", type=float, required=True, help="The share of them to moderate.")
@click.option(
    "--min-per-auditor", type=int, default=0, show_default=True, help="At least this many each."
)
@click.option(
    "--moderator",
    "moderators",
    multiple=True,
    help="Who moderates (repeatable); default the month's auditors, each other's audits.",
)
@click.option("--seed", help="Re-draws a sample exactly; default a new random one, printed.")
@pass_settings
def sample_cmd(
    settings: Settings,
    month: str,
    percent: float,
    min_per_auditor: int,
    moderators: tuple[str, ...],
    seed: str | None,
) -> None:
    """Pick a month's ended audits for moderation; an audit never goes to its own auditor.

    \b
    Generator: {generator}.
    """
    from auditui.services import moderation as service

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        picked = service.sample(ws, month, percent, min_per_auditor, moderators, seed)
    _table([a.as_json() for a in picked])
    seed_used = f" (seed {picked[0].seed})" if picked else ""
    click.echo(terminal_text(f"Picked {counted(len(picked), 'audit')} for moderation{seed_used}."))


sample_cmd.help = (sample_cmd.help or "").format(generator=GENERATOR)


@moderation.command("show")
@click.option("--mine", is_flag=True, help="Only the audits you are to moderate.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_settings
def show_cmd(settings: Settings, mine: bool, fmt: str) -> None:
    """Audits picked for moderation: allocated, started, ended or agreed."""
    from auditui.services import moderation as service

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        allocations = service.show(ws, mine)
    found = [a.as_json() for a in allocations]
    if fmt == "json":
        print_json(found)
        return
    _table(found)
    click.echo(f"{counted(len(found), 'audit')} picked for moderation.")
    if waiting := service.waiting_words(allocations):
        click.echo(waiting)


@moderation.command("compare")
@click.argument("audit", metavar="AUDIT")
@pass_settings
def compare_cmd(settings: Settings, audit: str) -> None:
    """Both audits side by side, section by section, once the re-audit has ended."""
    from auditui.services import moderation_review as review
    from auditui.tools.scales import grade_label

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        side = review.comparison(ws, audit)
    rows = [
        {
            "section": s.title,
            side.auditor: grade_label(s.original) if s.original else "",
            side.moderator: grade_label(s.moderated) if s.moderated else "",
        }
        for s in side.sections
    ]
    _table(rows, ("section", side.auditor, side.moderator))
    if side.agreed_grade:
        click.echo(terminal_text(f"Agreed grade: {grade_label(side.agreed_grade)}."))


@moderation.command("agree")
@click.argument("audit", metavar="AUDIT")
@click.option("--grade", required=True, help="The grade both auditors agreed.")
@click.option("--reason", required=True, help="Why: what the moderation found.")
@pass_settings
def agree_cmd(settings: Settings, audit: str, grade: str, reason: str) -> None:
    """Record the agreed grade of a moderated audit (after both audits have ended)."""
    from auditui.services import moderation_review as review

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        row = review.agree(ws, audit, grade, reason)
    click.echo(
        terminal_text(
            f"Audit {row['audit_id'][:8]}: agreed grade {row['agreed_grade']}, "
            f"recorded by {row['agreed_by']}."
        )
    )


def _table(found: list[dict[str, Any]], fields: tuple[str, ...] = TABLE_FIELDS) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*(f.replace("_", " ") for f in fields), box=None)
    for row in found:
        cells = [row[f] for f in fields]
        short = [
            c[:8] if f.endswith("id") and isinstance(c, str) else c
            for f, c in zip(fields, cells, strict=True)
        ]
        table.add_row(*(Text(terminal_text("" if c is None else c)) for c in short))
    Console().print(table)


COMMANDS = [moderation]
