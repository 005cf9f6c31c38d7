"""`audit new --plan ITEM` on the QA lead's machine for an item an auditor started at hers.

The lead's sync hears (a signed progress record through a real folder hub)
that Ann started the item's audit at her own machine; that audit is not on
the lead's machine, so "already has audit X; open that one" sent the lead
looking for something she cannot open. The refusal now says whose machine
holds it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sync_support import finish, person
from test_programme_hub import planned

from auditui.errors import StateError
from auditui.services import programme
from auditui.services.sync import run_sync
from auditui.sync.pseudonym import load_or_create_key
from auditui.sync.signing import load_or_create_machine_key
from auditui.sync.trust import init_hub_as_lead


def test_an_item_started_at_an_auditors_machine_names_that_machine(tmp_path: Path) -> None:
    hub = tmp_path / "share" / "hub"
    hub.mkdir(parents=True)
    quinn, ann = person(tmp_path, "Quinn Lead"), person(tmp_path, "Ann Khan")
    init_hub_as_lead(
        hub, load_or_create_machine_key(quinn.config.sync.resolved_signing_key_file()), "Quinn"
    )
    organisation = load_or_create_key(quinn.config.sync.resolved_key_file())
    shutil.copyfile(organisation.path, ann.config.sync.resolved_key_file())
    ann.config.sync.resolved_key_file().chmod(0o600)
    planned(quinn, tmp_path)
    run_sync(quinn, str(hub))
    run_sync(ann, str(hub))
    ended, first = programme.show(ann, mine=True)[:2]
    finish(ann, programme.start_planned_audit(ann, ended.id))  # her key is known in the hub
    audit_id = programme.start_planned_audit(ann, first.id)
    run_sync(ann, str(hub))
    run_sync(quinn, str(hub))
    assert programme.find_item(quinn, first.id).status == "started"
    with pytest.raises(StateError) as refused:
        programme.start_planned_audit(quinn, first.id)
    message = refused.value.message
    assert f"audit {audit_id[:8]}" in message and "Ann Khan's machine" in message, message
    assert "not on this machine" in message and "open that one" not in message
    with pytest.raises(StateError) as again:
        programme.start_planned_audit(ann, first.id)  # at Ann's own machine: open it
    assert f"already has audit {audit_id}; open that one" in again.value.message
