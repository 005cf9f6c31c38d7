"""`auditui audit concern`, `auditui concerns` and `auditui concern`: safeguarding concerns.

The command-line face of ``services.concerns``: an auditor records a concern
the moment they find it (on a draft audit too), a team manager lists the
open ones and acknowledges and responds, locally or over a hub (a folder or
PostgreSQL).
``audit concern`` is defined here and added to the ``audit`` group by
``audit_cmd`` (and by this module when every command is loaded).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import click

from auditui.cli.context import (
    HUB_HELP,
    Settings,
    fail_on_error,
    open_workspace,
    pass_settings,
    print_json,
    terminal_text,
)

if TYPE_CHECKING:
    from auditui.services.concerns import ConcernView

HUB_OPTION = click.option(
    "--hub",
    "hub",
    metavar="DIR|postgresql://...",
    help=HUB_HELP + " Default: this machine's database; a hub holds every team's concerns.",
)


@click.command("concern")
@click.argument("audit_id", metavar="AUDIT")
@click.option("--text", required=True, help="What the concern is (it goes to the team manager).")
@click.option("--raised-with", default="", help="Who you raised it with (e.g. the team manager).")
@pass_settings
def audit_concern(settings: Settings, audit_id: str, text: str, raised_with: str) -> None:
    """Record a safeguarding concern found during an audit, now; the next sync sends it."""
    from auditui.services import concerns

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        view = concerns.raise_concern(ws, audit_id, text, raised_with)
    click.echo(view.id)
    click.echo(
        f"Safeguarding concern {view.id[:8]} recorded on audit {view.audit_id[:8]} "
        f"(team {terminal_text(view.team)}); the next sync sends it to the hub.",
        err=True,
    )


@click.command("concerns")
@click.option("--open", "open_only", is_flag=True, help="Only concerns without a response yet.")
@HUB_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_settings
def concerns_cmd(settings: Settings, open_only: bool, hub: str | None, fmt: str) -> None:
    """List safeguarding concerns (this machine's, or every team's on a folder or PostgreSQL hub)."""
    from auditui.services import concerns

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        found = concerns.list_concerns(ws, open_only, hub)
    if fmt == "json":
        print_json([c.to_json() for c in found])
        return
    if not found:
        click.echo("No safeguarding concerns." if not open_only else "No open concerns.")
        return
    _table(found)


def _table(found: list[ConcernView]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("id", "audit", "team", "raised", "with", "status", "concern", box=None)
    for c in found:
        cells = [
            c.id[:8],
            c.audit_id[:8],
            c.team,
            c.raised_at[:16].replace("T", " "),
            c.raised_with,
            c.status,
            c.outcome if c.outcome else c.text,
        ]
        table.add_row(*(Text(terminal_text(cell)) for cell in cells))
    Console().print(table)


@click.group("concern")
def concern() -> None:
    """Acknowledge or respond to one safeguarding concern (the team manager)."""


@concern.command("respond")
@click.argument("concern_id", metavar="CONCERN")
@click.option("--outcome", required=True, help="What was done; this closes the concern.")
@HUB_OPTION
@pass_settings
def respond(settings: Settings, concern_id: str, outcome: str, hub: str | None) -> None:
    """Respond to a concern with its outcome; the auditor's next sync brings it home."""
    from auditui.services import concerns

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        view = concerns.respond(ws, concern_id, outcome, hub)
    where = f" on the hub ({hub})" if hub else ""
    click.echo(terminal_text(f"Concern {view.id[:8]} closed{where}: {view.outcome}"[:300]))


@concern.command("acknowledge")
@click.argument("concern_id", metavar="CONCERN")
@HUB_OPTION
@pass_settings
def acknowledge(settings: Settings, concern_id: str, hub: str | None) -> None:
    """Say the concern has been seen (due the same working day it was raised)."""
    from auditui.services import concerns

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        view = concerns.acknowledge(ws, concern_id, hub)
    where = f" on the hub ({hub})" if hub else ""
    click.echo(terminal_text(f"Concern {view.id[:8]} acknowledged{where}."))


COMMANDS = [concerns_cmd, concern]
