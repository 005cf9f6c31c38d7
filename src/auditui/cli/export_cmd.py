"""`auditui export csv` and the audit report: getting audits out, for Excel, BI and the file.

Thin faces on ``auditui.export``. The CSV streams to standard output with
``--out -`` (the default) or lands whole and owner-only in ``--out FILE``;
a progress bar shows on a terminal and nothing is drawn when piped.
``audit_report`` is also meant to be attached to the ``audit`` group as
``auditui audit report``; here it is ``auditui export report``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditui.cli.context import (
    Settings,
    fail_on_error,
    open_workspace,
    pass_settings,
    terminal_text,
)

if TYPE_CHECKING:
    import datetime as dt
    from subprocess import Popen

    from auditui.export.csv_export import Progress

TABLES = ("audits", "answers", "actions", "grades")
"""``export.csv_export.TABLES``, repeated so that loading the command does not import the
export (tool models, pydantic) for every other command; a test holds the two equal."""
STATUSES = ("draft", "finalised", "closed_incomplete")
"""``domain.records.STATUSES``, repeated for the same reason: the domain's records are not
loaded for an export of the answers table; a test holds the two equal."""


@click.group()
def export() -> None:
    """Export audits as CSV for Excel and BI, or one audit as a report."""


@export.command("csv")
@click.option(
    "--table",
    type=click.Choice(TABLES),
    required=True,
    help="audits (one row each), answers (one row per answer), actions, "
    "or grades (one row per audit and section).",
)
@click.option(
    "--out",
    "out",
    default="-",
    show_default=True,
    metavar="FILE|-",
    help="The file to write (replaced whole, owner-only); - for standard output.",
)
@click.option(
    "--labels",
    is_flag=True,
    help='Words people read ("Requires improvement", "Partly") instead of ids.',
)
@click.option(
    "--bom/--no-bom",
    default=True,
    show_default=True,
    help="Start with the UTF-8 byte order mark Excel needs to read accents.",
)
@click.option(
    "--from", "ended_from", metavar="DATE", help="Audits finalised or closed on or after DATE."
)
@click.option(
    "--to", "ended_to", metavar="DATE", help="Audits finalised or closed on or before DATE."
)
@click.option("--team", help="Only this team's audits.")
@click.option(
    "--tool", "tool_id", help="Only audits made with this tool (adds a column per section)."
)
@click.option("--status", type=click.Choice(STATUSES), help="Only audits in this state.")
@pass_settings
def export_csv_command(
    settings: Settings,
    table: str,
    out: str,
    labels: bool,
    bom: bool,
    ended_from: str | None,
    ended_to: str | None,
    team: str | None,
    tool_id: str | None,
    status: str | None,
) -> None:
    """Write one table of the local database as CSV (UTF-8, CRLF, RFC 4180, formula-safe)."""
    with _helpers_started_early(settings, table) as started:
        from auditui.export import ExportFilter, export_csv
        from auditui.tools.library import user_tools_dirs

        to_stdout = out == "-"
        with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
            where = ExportFilter(
                ended_from=_day(ended_from, "--from"),
                ended_to=_day(ended_to, "--to"),
                team=team,
                tool=tool_id,
                status=status,
            )
            with _progress(f"Exporting {table}") as progress, _quiet_broken_pipe():
                result = export_csv(
                    ws,
                    table,
                    None if to_stdout else Path(out),
                    labels=labels,
                    bom=bom,
                    where=where,
                    progress=progress,
                    # The folders settings.library loads from: the answers' tool cells come
                    # from the cache while those files are unchanged, and no tool is loaded.
                    tool_dirs=user_tools_dirs(settings.tools_dirs),
                    started=started,
                )
    if result.path is not None:
        wrote = f"Wrote {result.rows:,} {table} rows to {result.path}."
        click.echo(terminal_text(wrote), err=True)


def _day(typed: str | None, option: str) -> dt.date | None:
    """A --from or --to date, or None; the domain's date rules load only when one is given."""
    if not typed:
        return None
    from auditui.domain.records import parse_date

    return parse_date(typed, option)


PRESTART_FROM_BYTES = 64 << 20
"""A database file this large probably has an answers table worth reading with helpers."""


@contextlib.contextmanager
def _helpers_started_early(settings: Settings, table: str) -> Iterator[list[Popen[bytes]]]:
    """For the answers table of a large database: helper processes, started before this
    process loads the export and opens the database, so their own start-up (about 20 ms)
    passes meanwhile. The export uses them if the table proves large, and they are stopped
    on the way out whatever happened."""
    started: list[Popen[bytes]] = []
    try:
        large = table == "answers" and settings.db_path.stat().st_size >= PRESTART_FROM_BYTES
    except (OSError, RuntimeError, ValueError):  # no such file, ~nobody, a NUL in the name
        large = False  # the export says what is wrong with the database, in words
    if large:
        from auditui.export.early_helpers import default_readers, start

        with contextlib.suppress(OSError):  # a helper that cannot start: the export reads alone
            for _ in range(default_readers() - 1):  # this process reads a share too
                started.append(start())
    try:
        yield started
    finally:
        if started:
            from auditui.export.early_helpers import stop_started

            stop_started(started)


@contextlib.contextmanager
def _progress(description: str) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when it is a terminal; nothing when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

    with Progress(
        "{task.description}",
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update


@contextlib.contextmanager
def _quiet_broken_pipe() -> Iterator[None]:
    """`auditui export csv ... | head` ends quietly when the reader stops reading."""
    try:
        yield
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


@click.command("report")
@click.argument("audit_id", metavar="AUDIT")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    help="Markdown for pasting, or one self-contained HTML file to print or attach; "
    "default html for an --out ending .html, else md.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (owner-only); default standard output.",
)
@pass_settings
def audit_report(settings: Settings, audit_id: str, fmt: str | None, out: Path | None) -> None:
    """One audit as a readable record: answers, evidence, grades, findings and actions."""
    from auditui.export import build_report, render_html, render_markdown
    from auditui.export.output import open_output

    if fmt is None:
        fmt = "html" if out is not None and out.suffix.lower() in (".html", ".htm") else "md"
    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        report = build_report(ws, audit_id)
        text = render_html(report) if fmt == "html" else render_markdown(report)
        with _quiet_broken_pipe(), open_output(out) as stream:
            stream.write(text.encode("utf-8"))
    if out is not None:
        click.echo(
            terminal_text(f"Wrote the report of audit {report.audit.id} to {out}."), err=True
        )


export.add_command(audit_report)

COMMANDS = [export]
