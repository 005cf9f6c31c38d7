"""The 12-month rule counts audits done at other machines: a plan never draws a case the hub
holds an audit of in the window (matched by pseudonym), on a folder hub and on PostgreSQL.

Ann audits CF0003 at her own machine, unplanned, and syncs. Quinn, the QA
lead, plans from a list of eight cases with a hub configured: CF0003 is not
drawn, the plan says one case was left out for this reason, and a plan
needing all eight is refused as larger than the list allows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sync_support import TODAY, PgHub, finished_audit, login_name, person, pg_login

from auditui.errors import ProgrammeError
from auditui.services import programme
from auditui.services.cases import import_cases
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.pg_users import trust_user
from auditui.sync.pseudonym import load_or_create_key
from auditui.sync.signing import load_or_create_machine_key
from auditui.sync.trust import init_hub_as_lead

TEAM = "North Locality"
MONTH = f"{TODAY:%Y-%m}"


def _share_key(quinn: Workspace, others: list[Workspace]) -> None:
    organisation = load_or_create_key(quinn.config.sync.resolved_key_file())
    for ws in others:
        shutil.copyfile(organisation.path, ws.config.sync.resolved_key_file())
        ws.config.sync.resolved_key_file().chmod(0o600)


def _import(quinn: Workspace, tmp_path: Path) -> None:
    lines = ["case_ref,case_type,team,practitioner"]
    lines += [f"CF{n:04d},CP,{TEAM},Worker {n}" for n in range(1, 9)]
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_cases(quinn, path)


def _check_plan(quinn: Workspace) -> None:
    with pytest.raises(ProgrammeError, match=f"{TEAM} 7"):
        programme.plan(quinn, MONTH, "smart-plans", 8, ["Ann Khan"], seed="3")
    made = programme.plan(quinn, MONTH, "smart-plans", 7, ["Ann Khan"], seed="3")
    assert "CF0003" not in {i.case_ref for i in made.items}
    assert len(made.items) == 7
    assert made.left_out_by_hub == 1
    assert "1 listed case left out: audited at another machine" in made.summary()


def test_a_folder_hub_audit_done_elsewhere_is_not_drawn(tmp_path: Path) -> None:
    hub = tmp_path / "share" / "hub"
    hub.mkdir(parents=True)
    quinn = person(tmp_path, "Quinn Lead", target=str(hub))
    ann = person(tmp_path, "Ann Khan")
    key = load_or_create_machine_key(quinn.config.sync.resolved_signing_key_file())
    init_hub_as_lead(hub, key, "Quinn Lead")
    _share_key(quinn, [ann])
    finished_audit(ann, "CF0003", "Seen at home.", team=TEAM)
    finished_audit(ann, "CF0999", "Not on the list.", team=TEAM)
    run_sync(ann, str(hub))
    _import(quinn, tmp_path)
    _check_plan(quinn)


def test_a_folder_hub_audit_of_another_organisation_key_does_not_match(tmp_path: Path) -> None:
    """Pseudonyms under another organisation's key match nothing: the plan draws freely."""
    hub = tmp_path / "share" / "hub"
    hub.mkdir(parents=True)
    quinn = person(tmp_path, "Quinn Lead", target=str(hub))
    init_hub_as_lead(hub, load_or_create_machine_key(quinn.config.sync.resolved_signing_key_file()))
    load_or_create_key(quinn.config.sync.resolved_key_file())
    stranger = person(tmp_path / "elsewhere", "Ann Khan")
    finished_audit(stranger, "CF0003", "Seen at home.", team=TEAM)
    run_sync(stranger, str(hub))
    _import(quinn, tmp_path)
    made = programme.plan(quinn, MONTH, "smart-plans", 8, ["Ann Khan"], seed="3")
    assert made.left_out_by_hub == 0 and len(made.items) == 8


@pytest.mark.postgres
def test_a_postgres_hub_audit_done_elsewhere_is_not_drawn(pg_hub: PgHub, tmp_path: Path) -> None:
    urls = {who: pg_login(pg_hub, "submitter") for who in ("Quinn Lead", "Ann Khan")}
    trust_user(pg_hub.admin, login_name(urls["Quinn Lead"]), ["*"])
    quinn = person(tmp_path, "Quinn Lead", target=urls["Quinn Lead"])
    ann = person(tmp_path, "Ann Khan", target=urls["Ann Khan"])
    _share_key(quinn, [ann])
    finished_audit(ann, "CF0003", "Seen at home.", team=TEAM)
    run_sync(ann, urls["Ann Khan"])
    _import(quinn, tmp_path)
    _check_plan(quinn)
