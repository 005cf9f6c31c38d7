"""`auditui action` and `auditui actions`: the follow-up actions an audit agrees.

A team manager works through the actions due for their team; these commands
let a script add them, mark them done with evidence, and list what is due or
overdue in working days (spec/cli.md). The due-date rules live in the
services; this is only their command-line face.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
from auditui.domain.records import ACTION_STATUSES, DUE_WITHIN_LIMIT, parse_date

if TYPE_CHECKING:
    from auditui.services.actions import ActionView

ACTION_FIELDS = (
    "id",
    "audit_id",
    "team",
    "owner",
    "text",
    "due",
    "status",
    "completed_on",
    "working_days_left",
)
"""What `actions` gives for each action, in order (the CSV header)."""


@click.group()
def action() -> None:
    """Add, complete or cancel one follow-up action."""


@action.command("add")
@click.argument("audit_id", metavar="AUDIT")
@click.option("--owner", required=True, help="Who will do it (usually the practitioner).")
@click.option("--text", required=True, help="What needs to be done.")
@click.option(
    "--due",
    metavar="DATE",
    help="A working day (YYYY-MM-DD); default the audit's completion date plus the tool's "
    "due_working_days (20) working days.",
)
@pass_settings
def add(settings: Settings, audit_id: str, owner: str, text: str, due: str | None) -> None:
    """Agree an action on an audit; prints the new action's id."""
    from auditui.services import actions

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        action_id = actions.add_action(ws, audit_id, owner, text, due)
    click.echo(action_id)


@action.command("done")
@click.argument("action_id", metavar="ACTION")
@click.option("--on", "on", metavar="DATE", help="When it was done (YYYY-MM-DD); default today.")
@click.option("--evidence", help="What shows it was done.")
@click.option(
    "--hub",
    "hub",
    metavar="DIR|postgresql://...",
    help="Work on the aggregation hub (every team's actions) instead of this machine's database.",
)
@pass_settings
def done(
    settings: Settings, action_id: str, on: str | None, evidence: str | None, hub: str | None
) -> None:
    """Mark an open action done (here, or over a hub for a team manager)."""
    from auditui.services import actions

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        day = parse_date(on, "Completed on (--on)") if on is not None else None
        if hub is not None:
            from auditui.services.sync import complete_hub_action

            view = complete_hub_action(ws, hub, action_id, day, evidence)
            done_on_hub = f"Action {view.action.id[:8]} recorded done on the hub ({hub})."
            click.echo(terminal_text(done_on_hub))
            return
        finished = actions.complete_action(ws, action_id, day, evidence)
    when = "on time" if finished.on_time else "late"
    click.echo(
        f"Action {finished.id[:8]} done on {finished.completed_on} ({when}; due {finished.due})."
    )


@action.command("cancel")
@click.argument("action_id", metavar="ACTION")
@click.option("--reason", required=True, help="Why the action is no longer needed.")
@pass_settings
def cancel(settings: Settings, action_id: str, reason: str) -> None:
    """Cancel an open action, with a reason."""
    from auditui.services import actions

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        cancelled = actions.cancel_action(ws, action_id, reason)
    click.echo(f"Action {cancelled.id[:8]} cancelled.")


def action_filters(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filter and format options of `auditui actions`, for every command listing actions."""
    for option in reversed(
        [
            click.option(
                "--status",
                type=click.Choice(ACTION_STATUSES),
                help="Only actions with this status.",
            ),
            click.option(
                "--due-within",
                type=click.IntRange(min=0, max=DUE_WITHIN_LIMIT),
                metavar="N",
                help="Open actions due within N working days from today (overdue ones included).",
            ),
            click.option("--overdue", is_flag=True, help="Open actions past their due date."),
            click.option("--team", help="Only actions on this team's audits."),
            click.option("--owner", help="Only actions owned by this person."),
            click.option(
                "--format",
                "fmt",
                type=click.Choice(["table", "json", "csv"]),
                default="table",
                show_default=True,
            ),
        ]
    ):
        command = option(command)
    return command


@click.command("actions")
@action_filters
@click.option(
    "--hub",
    "hub",
    metavar="DIR|postgresql://...",
    help="Work on the aggregation hub (every team's actions) instead of this machine's database.",
)
@pass_settings
def actions_cmd(
    settings: Settings,
    status: str | None,
    due_within: int | None,
    overdue: bool,
    team: str | None,
    owner: str | None,
    fmt: str,
    hub: str | None,
) -> None:
    """Follow-up actions by due date; with no filter, every action.

    working_days_left counts working days from today to the due date
    (negative when overdue; empty once an action is done or cancelled).
    """
    from auditui.services import actions

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        if hub is not None:
            from auditui.services.sync import hub_actions

            found = hub_actions(ws, hub, status, due_within, overdue, team, owner)
        else:
            found = actions.list_actions(
                ws, status=status, due_within=due_within, overdue=overdue, team=team, owner=owner
            )
    print_actions(found, fmt)


def print_actions(found: list[ActionView], fmt: str) -> None:
    """Actions as JSON, CSV or a table; the case column only where case references are known."""
    rows = [view.to_json() for view in found]
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        from auditui.export.cells import csv_line

        write_out(
            "".join(
                [csv_line(ACTION_FIELDS), *(csv_line(r[k] for k in ACTION_FIELDS) for r in rows)]
            )
        )
    else:
        _table(found)


def _table(found: list[ActionView]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    with_case = any(view.action.case_ref for view in found) or not found
    columns = ["id", "due", "days left", "status", "team"] + (["case"] if with_case else [])
    table = Table(*columns, "owner", "action", box=None)
    for view in found:
        a = view.action
        left = "" if view.working_days_left is None else str(view.working_days_left)
        case = [a.case_ref] if with_case else []
        # On a hub, action text stays local unless the organisation shares it.
        cells = [a.id[:8], a.due.isoformat(), left, a.status, a.team, *case, a.owner]
        cells.append(a.text or "(kept local)")
        table.add_row(*(Text(terminal_text(cell)) for cell in cells))
    Console().print(table)
    click.echo(f"{len(found)} action(s).")


COMMANDS = [action, actions_cmd]
