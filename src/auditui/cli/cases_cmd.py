"""`auditui cases`: the case list a month's plan is drawn from.

A QA lead exports the open cases from the recording system as CSV and
imports it here; the checks and the replacing are the services' (a bad row
refuses the whole file), this is only their command-line face.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

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


@click.group()
def cases() -> None:
    """The case list (sampling frame) exported from the recording system."""


@cases.command("import")
@click.argument("file", metavar="FILE.csv", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--map",
    "map_pairs",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Read a column as a field: case_ref, case_type, team, practitioner, opened_on, "
    "closed_on (e.g. --map 'Case ID=case_ref'). Columns named like a field need none.",
)
@pass_settings
def import_cmd(settings: Settings, file: Path, map_pairs: tuple[str, ...]) -> None:
    """Check every row of FILE.csv and make it the case list, replacing the previous one.

    Dates may be YYYY-MM-DD or DD/MM/YYYY; a bad row refuses the whole file,
    naming its line and column, and the previous list stays as it was.
    """
    from auditui.services.cases import import_cases

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        done = import_cases(ws, file, map_pairs)
    click.echo(terminal_text(done.summary()))


@cases.command("list")
@click.option("--team", help="Only this team's cases.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@pass_settings
def list_cmd(settings: Settings, team: str | None, fmt: str) -> None:
    """The case list, by team and case reference."""
    from auditui.services.cases import LIST_FIELDS, list_cases

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        found = list_cases(ws, team)
    if fmt == "json":
        print_json(found)
    elif fmt == "csv":
        from auditui.export.cells import csv_line

        write_out(
            "".join([csv_line(LIST_FIELDS), *(csv_line(r[k] for k in LIST_FIELDS) for r in found)])
        )
    else:
        _table(found, LIST_FIELDS)


def _table(found: list[dict[str, Any]], fields: tuple[str, ...]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*(f.replace("_", " ") for f in fields), box=None)
    for row in found:
        table.add_row(*(Text(terminal_text(row[f] or "")) for f in fields))
    Console().print(table)
    click.echo(f"{counted(len(found), 'case')}.")


COMMANDS = [cases]
