"""`auditui hub`: set up a hub, and work a team's actions over one (spec/cli.md).

Thin faces on ``services.sync``: the hub's schema, roles and trust live in
``auditui.sync``, so both faces and the tests use the same operations.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from auditui.cli.action_cmd import action_filters, print_actions
from auditui.cli.context import Settings, fail_on_error, open_workspace, pass_settings
from auditui.cli.hub_trust_cmd import trust
from auditui.cli.sync_cmd import HUB_HELP
from auditui.domain.records import parse_date


@click.group("hub")
def hub() -> None:
    """Set up a hub, and work a team's actions over one."""


hub.add_command(trust)


@hub.command("init")
@click.argument("target", metavar="postgresql://...|DIR")
@click.option(
    "--small-group-threshold",
    type=click.IntRange(min=1),
    default=None,
    help="Hide report groups with fewer audits (default: sync.small_group_threshold).",
)
@pass_settings
def hub_init(settings: Settings, target: str, small_group_threshold: int | None) -> None:
    """Create or migrate a hub: the schema and roles of a PostgreSQL hub, or a folder hub."""
    from auditui.sync.hub import is_postgres

    with fail_on_error():
        threshold = small_group_threshold or settings.config.sync.small_group_threshold
        if is_postgres(target):
            from auditui.sync.postgres import init_hub

            click.echo(init_hub(target, threshold))
            return
        # A folder hub: marked by hub.json, with this machine's key as the QA lead's, so
        # only the lead can sign the trust file that says who may complete actions.
        from auditui.sync.hub_marker import usable_path
        from auditui.sync.signing import load_or_create_machine_key
        from auditui.sync.trust import init_hub_as_lead

        config = settings.config
        lead = load_or_create_machine_key(config.sync.resolved_signing_key_file())
        click.echo(init_hub_as_lead(usable_path(Path(target)), lead, config.user.name))


@hub.command("add-user")
@click.argument("target", metavar="postgresql://...")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["submitter", "manager", "reader"]),
    required=True,
    help="submitter: syncs results; manager: the actions board; reader: reports.",
)
def hub_add_user(target: str, name: str, role: str) -> None:
    """Make a personal login on a PostgreSQL hub (run as the hub's administrator).

    Prints the login's URL once, with its generated password: give it to that
    person only. The hub binds each audit to the login that first sent it.
    """
    from auditui.sync.hub import is_postgres

    with fail_on_error():
        if not is_postgres(target):
            from auditui.errors import InvalidAnswerError

            raise InvalidAnswerError(
                "hub add-user: logins exist only on a PostgreSQL hub (postgresql://...); "
                "a folder hub knows each machine by its signing key."
            )
        from auditui.sync.pg_users import add_user

        url = add_user(target, name, role)
    click.echo(f"Login {name} made ({role}); its URL, with a password shown only this once:")
    click.echo(url)


@hub.command("actions")
@click.option("--hub", "hub_target", required=True, metavar="DIR|postgresql://...", help=HUB_HELP)
@action_filters
@click.option("--index", "index_path", type=click.Path(path_type=Path), hidden=True)
@pass_settings
def hub_actions(
    settings: Settings,
    hub_target: str,
    status: str | None,
    due_within: int | None,
    overdue: bool,
    team: str | None,
    owner: str | None,
    fmt: str,
    index_path: Path | None,
) -> None:
    """Every team's actions on a hub, by due date (what `auditui actions --hub` shows)."""
    from auditui.services import sync

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        found = sync.hub_actions(
            ws, hub_target, status, due_within, overdue, team, owner, index_path
        )
    print_actions(found, fmt)


@hub.command("action-done")
@click.argument("action_id", metavar="ACTION")
@click.option("--hub", "hub_target", required=True, metavar="DIR|postgresql://...", help=HUB_HELP)
@click.option("--on", "on", metavar="DATE", help="When it was done (YYYY-MM-DD); default today.")
@click.option("--evidence", help="What shows it was done (only if the hub shares evidence text).")
@click.option("--index", "index_path", type=click.Path(path_type=Path), hidden=True)
@pass_settings
def hub_action_done(
    settings: Settings,
    action_id: str,
    hub_target: str,
    on: str | None,
    evidence: str | None,
    index_path: Path | None,
) -> None:
    """Mark an action done over a hub; the audit owner's next sync records it too."""
    from auditui.services import sync

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        day = parse_date(on, "Completed on (--on)") if on is not None else None
        view = sync.complete_hub_action(ws, hub_target, action_id, day, evidence, index_path)
    a = view.action
    when = "on time" if a.on_time else "late"
    click.echo(f"Action {a.id[:8]} done on {a.completed_on} ({when}; due {a.due}) on the hub.")


COMMANDS = [hub]
