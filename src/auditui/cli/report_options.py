"""The options every report shares, and the warning each prints for a hub file it did not
believe: `report`, `report measures` and `report moderation` read the same sources (this
machine or a hub, over a period), so they are asked for them in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from auditui.cli.context import HUB_HELP
from auditui.cli.sync_cmd import printable

F = TypeVar("F", bound=Callable[..., Any])


def source_options(counted: str, hub_default: str = "local") -> Callable[[F], F]:
    """`--hub`, `--from`, `--to` and `--index`; ``counted`` says what the period filters
    ("Count audits", "Re-audits"), ``hub_default`` what is read without `--hub`."""

    def add(command: F) -> F:
        for option in reversed(
            (
                click.option(
                    "--hub",
                    "hub_target",
                    metavar="DIR|postgresql://...",
                    help=f"{HUB_HELP} Default: {hub_default}.",
                ),
                click.option(
                    "--from",
                    "start",
                    metavar="DATE",
                    help=f"{counted} that ended on or after this day (YYYY-MM-DD or DD/MM/YYYY).",
                ),
                click.option(
                    "--to",
                    "end",
                    metavar="DATE",
                    help=f"{counted} that ended on or before this day.",
                ),
                click.option(
                    "--index",
                    "index_path",
                    type=click.Path(path_type=Path),
                    help="Where to keep this reader's index of a folder hub.",
                ),
            )
        ):
            command = option(command)
        return command

    return add


def warn_quarantined(report: dict[str, Any]) -> None:
    """One warning line on stderr per hub file the report did not believe (left in place)."""
    for item in report.get("quarantined", []):
        click.echo(
            f"auditui: warning: hub file {printable(item['file'])} is not believed "
            f"(left where it is): {printable(item['reason'])}",
            err=True,
        )
