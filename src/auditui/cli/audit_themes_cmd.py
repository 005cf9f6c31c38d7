"""`auditui audit themes`: the practice themes an audit records, shown or set from a script.

Themes are the organisation's words (``[organisation] themes`` in
config.toml), so a QA lead can count them across audits; the service
refuses any other word, and any change to an audit that has ended, in the
same sentences the terminal app shows.
"""

from __future__ import annotations

import contextlib

import click

from auditui.cli.context import (
    Settings,
    fail_on_error,
    open_workspace,
    pass_settings,
    print_json,
    terminal_text,
)

MAX_THEME_OPTIONS = 100
"""More --strength/--development options than any organisation has themes: refused unread."""


@click.command("themes")
@click.argument("audit_id", metavar="AUDIT")
@click.option(
    "--strength",
    "strengths",
    multiple=True,
    metavar="THEME",
    help="A theme the audit found as a strength (repeat for several); replaces the list.",
)
@click.option(
    "--development",
    "development",
    multiple=True,
    metavar="THEME",
    help="A theme the audit found as an area for development (repeat); replaces the list.",
)
@click.option(
    "--clear",
    is_flag=True,
    help="Empty the lists not given above (both, with no --strength or --development).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_settings
def audit_themes(
    settings: Settings,
    audit_id: str,
    strengths: tuple[str, ...],
    development: tuple[str, ...],
    clear: bool,
    fmt: str,
) -> None:
    """Show the themes an audit records, or set them from the organisation's list.

    With no options, prints the audit's themes as strengths and as areas for
    development. Each --strength or --development replaces that whole list;
    `auditui audit themes AUDIT --strength "Voice of the child" --development
    "Drift and delay"`. A theme must be one of the organisation's themes (any
    letter case); a finalised or closed audit's themes are read-only.
    """
    from auditui.errors import InvalidAnswerError
    from auditui.services import themes

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        if len(strengths) + len(development) > MAX_THEME_OPTIONS:
            raise InvalidAnswerError(
                f"At most {MAX_THEME_OPTIONS} themes can be given at once; nothing was changed."
            )
        changes: dict[str, tuple[str, ...]] = {}
        if strengths or clear:
            changes["strengths"] = strengths
        if development or clear:
            changes["development"] = development
        if changes:
            recorded = themes.set_themes(ws, audit_id, changes)
        else:
            recorded = themes.themes_of(ws, audit_id)
    if fmt == "json":
        print_json({kind: list(found) for kind, found in recorded.items()})
        return
    _table(recorded, themes.KIND_LABELS)


def _table(recorded: dict[str, tuple[str, ...]], labels: dict[str, str]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("found as", "theme", box=None)
    for kind, found in recorded.items():
        for theme in found or ("(none)",):
            table.add_row(Text(labels[kind]), Text(terminal_text(theme)))
    Console().print(table)
