"""`auditui sync`: finalised results and action changes out to the hub (spec/cli.md).

A thin face on ``services.sync``: what is sent and how delivery is tracked
live in the core, so the TUI's sync key says exactly what this does.
"""

from __future__ import annotations

import contextlib
import sys

import click

from auditui.cli.context import HUB_HELP as HUB_HELP  # re-exported: the hub commands import it here
from auditui.cli.context import (
    Settings,
    fail_on_error,
    open_workspace,
    pass_settings,
    print_json,
)


def printable(text: str) -> str:
    """Hub-supplied text with control characters shown as escapes, never sent to a terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@click.command("sync")
@click.option(
    "--target",
    metavar="DIR|postgresql://...",
    help="Where to send (default: [sync] target in the config; with none, nothing is sent).",
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
    for line in report.refused:
        click.echo(f"auditui: not believed: {printable(line)}", err=True)
    if fmt == "json":
        print_json(report.to_json())
    else:
        click.echo(report.summary())
    if report.problems:
        sys.exit(1)


COMMANDS = [sync_cmd]
