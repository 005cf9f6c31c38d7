"""`auditui report pack`: the board's report for a period, as HTML or Word.

A thin face on ``services.report_pack`` (the figures and their wording) and
``export.pack_html`` / ``export.pack_docx`` (the layouts); the `report` group
(``report_cmd.ReportGroup``) imports this module only when `pack` is asked for.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from auditui.cli.context import Settings, fail_on_error, open_workspace
from auditui.cli.report_cmd import group_options
from auditui.errors import InvalidAnswerError

FORMATS = {".html": "html", ".htm": "html", ".docx": "docx"}


@click.command("pack")
@click.option("--from", "start", metavar="DATE", help="First day of the period (required).")
@click.option("--to", "end", metavar="DATE", help="Last day of the period (required).")
@click.option(
    "--hub",
    "hub",
    metavar="DIR|postgresql://...",
    help="Report over a hub instead of this machine's audits.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="FILE.html (print-ready, self-contained) or FILE.docx (Word).",
)
@click.option(
    "--narrative",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A Markdown file with three headings: What do we know, How do we know, What next. "
    "Kept with the period beside the database, so later packs for it include them.",
)
@click.option("--index", "index_path", type=click.Path(path_type=Path), hidden=True)
@click.pass_context
def pack(
    ctx: click.Context,
    start: str | None,
    end: str | None,
    hub: str | None,
    out: Path,
    narrative: Path | None,
    index_path: Path | None,
) -> None:
    """The board's report pack for a period: measures, trends, grades, actions, concerns."""
    from auditui.domain.records import parse_date
    from auditui.export.output import open_output, shown_path
    from auditui.services.pack_narrative import read_narrative, store_narrative
    from auditui.services.report_pack import build_pack

    hub, index_path, start, end = group_options(ctx, hub, index_path, start, end)
    settings = ctx.find_object(Settings)
    assert settings is not None
    with fail_on_error():
        if not start or not end:
            raise InvalidAnswerError("report pack: give the period with --from DATE and --to DATE.")
        kind = FORMATS.get(out.suffix.lower())
        if kind is None:
            raise InvalidAnswerError(
                f"--out {out.name[:80]}: the pack is written as .html or .docx; "
                "name the file with one of those endings."
            )
        with contextlib.closing(open_workspace(settings)) as ws:
            written = read_narrative(narrative) if narrative is not None else None
            if written is not None:
                first = parse_date(start, "Report from (--from)")
                last = parse_date(end, "Report to (--to)")
                store_narrative(ws, first, last, written)
            report = build_pack(ws, start, end, hub, written, index_path)
        with open_output(out) as stream:
            if kind == "html":
                from auditui.export.pack_html import render_pack_html

                stream.write(render_pack_html(report).encode("utf-8"))
            else:
                from auditui.export.pack_docx import write_pack_docx

                write_pack_docx(report, stream)
    click.echo(f"Report pack for {start} to {end} written to {shown_path(out)}.")


COMMANDS = [pack]
"""`report pack`: found here by the `report` group (``report_cmd.ReportGroup``)."""
