"""`auditui hub trust`: say who may record action completions for which teams on a hub.

A folder hub: the QA lead trusts a machine's signing key (each machine
publishes its key in the hub's ``keys/`` folder on its first sync; ``--key``
takes the key or 8 or more of its first hex digits). Only the QA lead's key
(the one ``hub.json`` names; the first ``hub trust`` on a hub without one
claims it) can sign the trust file. A PostgreSQL hub: the administrator
trusts a personal login (``--user NAME``). Without ``--key``/``--user`` the
command lists the keys published in a folder hub, so the lead can pick one.
"""

from __future__ import annotations

import click

from auditui.cli.context import Settings, fail_on_error, pass_settings


@click.command("trust")
@click.argument("target", metavar="DIR|postgresql://...")
@click.option("--key", "key", metavar="KEY", help="A machine's signing key (folder hub).")
@click.option("--user", "user", metavar="NAME", help="A personal login (PostgreSQL hub).")
@click.option(
    "--teams",
    "teams",
    multiple=True,
    metavar="TEAM",
    help="A team whose actions the key or login may complete (repeat for several).",
)
@click.argument("more_teams", nargs=-1, metavar="[TEAM]...")
@pass_settings
def trust(
    settings: Settings,
    target: str,
    key: str | None,
    user: str | None,
    teams: tuple[str, ...],
    more_teams: tuple[str, ...],
) -> None:
    """Let a key (folder hub) or login (PostgreSQL hub) record completions for teams."""
    from auditui.errors import HubError
    from auditui.sync.hub import is_postgres

    every_team = [*teams, *more_teams]
    with fail_on_error():
        if is_postgres(target):
            if user is None or key is not None:
                raise HubError("A PostgreSQL hub trusts a login: give --user NAME, not --key.")
            from auditui.sync.pg_users import trust_user

            trust_user(target, user, every_team)
            names = ", ".join(every_team)
            click.echo(f"Login {user} may now record action completions for: {names}.")
            return
        if user is not None:
            raise HubError("A folder hub trusts a machine's key: give --key KEY, not --user.")
        click.echo(_folder(settings, target, key, every_team))


def _folder(settings: Settings, target: str, key: str | None, teams: list[str]) -> str:
    import datetime as dt
    from pathlib import Path

    from auditui.errors import HubError
    from auditui.sync.hub_marker import not_a_hub, read_marker, usable_path
    from auditui.sync.signing import load_or_create_machine_key
    from auditui.sync.trust import published_keys, write_trust

    if not target.strip():
        raise not_a_hub(target)
    root = usable_path(Path(target))
    if not root.is_dir() or read_marker(root) is None:
        raise not_a_hub(root)
    if key is None:
        listed = published_keys(root)
        if not listed:
            return f"No machine has published its key in {root / 'keys'} yet (each does on sync)."
        from auditui.cli.sync_cmd import printable

        # The names are whatever each machine published: a hint, shown without control codes.
        return "\n".join(f"{k}  {printable(name) or '(no name)'}" for k, name in listed)
    if not teams:
        raise HubError("Teams: give one or more teams with --teams TEAM.")
    lead = load_or_create_machine_key(settings.config.sync.resolved_signing_key_file())
    return write_trust(root, lead, key, teams, dt.datetime.now(dt.UTC))
