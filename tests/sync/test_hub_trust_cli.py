"""`auditui hub trust` on a folder hub: the QA lead names which keys may complete which teams' actions.

The command lives in ``cli/hub_trust_cmd.py`` and is wired into the ``hub`` group;
most tests run it through a click group of their own, and the last one through
the real ``auditui`` entry point with ``hub init``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sync_support import finished_audit, person

from auditui.cli.context import Settings
from auditui.cli.hub_trust_cmd import trust
from auditui.services import actions
from auditui.services.sync import complete_hub_action, run_sync
from auditui.sync.signing import load_or_create_machine_key


def _cli(config: Path) -> click.Group:
    @click.group()
    @click.pass_context
    def root(ctx: click.Context) -> None:
        ctx.obj = Settings(config_path=config)

    root.add_command(trust)
    return root


def _config(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(
        f'[sync]\nsigning_key_file = "{folder / "signing-key"}"\nkey_file = "{folder / "hub-key"}"\n',
        encoding="utf-8",
    )
    return path


def test_the_qa_lead_trusts_a_managers_key_by_its_published_prefix(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    hub.mkdir()
    priya = person(tmp_path, "Priya Shah")
    audit_id = finished_audit(priya, "CIN-1", "note")
    action_id = actions.add_action(priya, audit_id, owner="Sam Taylor", text="See the child")
    run_sync(priya, str(hub))
    manager = person(tmp_path, "Team Manager")
    run_sync(manager, str(hub))  # publishes the manager's key in keys/
    manager_key = load_or_create_machine_key(manager.config.sync.resolved_signing_key_file())
    lead = _cli(_config(tmp_path / "lead"))
    runner = CliRunner()

    rogue = hub / "keys" / f"{'e' * 64}.json"
    rogue.write_text('{"auditui": "key", "key": "x", "name": "Tom\\u001b[2J"}')
    listed = runner.invoke(lead, ["trust", str(hub)])
    assert "\x1b" not in listed.output and "Tom\\x1b[2J" in listed.output
    assert listed.exit_code == 0 and f"{manager_key.public_hex}  Team Manager" in listed.output
    made = runner.invoke(
        lead, ["trust", str(hub), "--key", manager_key.public_hex[:12], "--teams", "North Locality"]
    )
    assert made.exit_code == 0, made.output
    assert "may now record action completions for: North Locality" in made.output
    # Someone else (not the lead, whose key hub.json now names) cannot change it.
    other = _cli(_config(tmp_path / "tom"))
    refused = runner.invoke(
        other, ["trust", str(hub), "--key", manager_key.public_hex, "--teams", "Front Door"]
    )
    assert refused.exit_code == 1 and "Only the hub's QA lead" in refused.output
    bad = runner.invoke(lead, ["trust", str(tmp_path), "--key", "abcd1234", "--teams", "X"])
    assert bad.exit_code == 1 and "is not an auditui hub" in bad.output
    # The trusted manager's completion now counts, and reaches Priya.
    manager.today = lambda: dt.date(2026, 3, 4)
    complete_hub_action(manager, str(hub), action_id, on=dt.date(2026, 3, 3))
    assert run_sync(priya, str(hub)).completions_received == 1


def test_hub_init_makes_the_runner_the_qa_lead_and_adopts_an_older_hub(tmp_path: Path) -> None:
    import json

    from auditui.errors import HubError
    from auditui.sync.trust import init_hub_as_lead

    lead = load_or_create_machine_key(tmp_path / "lead" / "signing-key")
    fresh = tmp_path / "fresh"
    assert "is ready (QA lead key: yours)" in init_hub_as_lead(fresh, lead, "QA Lead")
    assert json.loads((fresh / "hub.json").read_text())["lead_key"] == lead.public_hex
    assert "already a hub" in init_hub_as_lead(fresh, lead)
    other = load_or_create_machine_key(tmp_path / "tom" / "signing-key")
    assert "not this machine's" in init_hub_as_lead(fresh, other)
    # A hub from before hub.json (result files only) is adopted; any other folder is refused.
    old = tmp_path / "old"
    old.mkdir()
    (old / "0123456789abcdef.r1.json").write_text("{}")
    init_hub_as_lead(old, lead)
    assert (old / "hub.json").is_file()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "letter.docx").write_text("x")
    with pytest.raises(HubError, match="is not an auditui hub"):
        init_hub_as_lead(docs, lead)
    assert sorted(p.name for p in docs.iterdir()) == ["letter.docx"]


def test_hub_init_makes_the_lead_and_hub_trust_is_a_real_command(tmp_path: Path) -> None:
    from auditui.cli.main import cli
    from auditui.sync.hub_marker import read_marker

    config = _config(tmp_path / "lead")
    hub = tmp_path / "share" / "hub"
    runner = CliRunner()
    made = runner.invoke(cli, ["--config", str(config), "hub", "init", str(hub)])
    assert made.exit_code == 0, made.output
    lead = load_or_create_machine_key(tmp_path / "lead" / "signing-key")
    marker = read_marker(hub)
    assert marker is not None and marker.lead_key == lead.public_hex and not marker.demo
    listed = runner.invoke(cli, ["--config", str(config), "hub", "trust", str(hub)])
    assert listed.exit_code == 0 and lead.public_hex in listed.output, listed.output
