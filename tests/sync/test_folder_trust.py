"""Provenance in a folder hub, attacked as a hostile colleague with write access to the share would.

Three people share one hub folder, each with their own data folder (their own
database and signing key): Priya (an auditor), Tom (a colleague who tries
to rewrite her results and complete her actions) and the QA lead (who reads
the hub and says whose completions count). Every forgery is done the way an
attacker can: by writing files into the folder, by copying Priya's database
to another machine and re-finalising there, by writing the trust file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sync_support import finished_audit, open_workspace, person, trust_for_completions

from auditui.errors import HubError
from auditui.services import actions, audits
from auditui.services.report import build_report
from auditui.services.sync import complete_hub_action, hub_actions, run_sync
from auditui.services.workspace import Workspace
from auditui.sync.signing import canonical, load_or_create_machine_key
from auditui.sync.trust import write_trust

NOW = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def priya(tmp_path: Path) -> Workspace:
    return person(tmp_path, "Priya Shah")


@pytest.fixture
def tom(tmp_path: Path) -> Workspace:
    return person(tmp_path, "Tom Evans")


@pytest.fixture
def lead(tmp_path: Path) -> Workspace:
    return person(tmp_path, "QA Lead")


def key_of(ws: Workspace) -> Any:
    return load_or_create_machine_key(ws.config.sync.resolved_signing_key_file())


def sealed(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_bytes())
    return data


def write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(canonical(data) if not isinstance(data, bytes) else data)


def report_of(reader: Workspace, hub: Path, tmp_path: Path, name: str = "lead") -> dict[str, Any]:
    return build_report(reader, str(hub), index_path=tmp_path / f"index-{name}.db")


def refused(report: dict[str, Any]) -> dict[str, str]:
    return {item["file"]: item["reason"] for item in report["quarantined"]}


def priya_audit(priya: Workspace, hub: Path) -> str:
    audit_id = finished_audit(priya, "CIN-1", "note", answer="no")
    run_sync(priya, str(hub))
    return audit_id


def test_a_higher_revision_signed_by_another_key_is_refused(
    priya: Workspace, tom: Workspace, lead: Workspace, hub: Path, tmp_path: Path
) -> None:
    audit_id = priya_audit(priya, hub)
    before = report_of(lead, hub, tmp_path)
    genuine = sealed(hub / f"{audit_id}.r1.json")["record"]
    forged = {
        **genuine,
        "revision": 2,
        "auditor": "Tom Evans",
        "overall": {**genuine["overall"], "final": "outstanding"},
    }
    write(hub / f"{audit_id}.r2.json", key_of(tom).seal("graded-result", forged))
    for reader in ("lead", "fresh"):  # one who read the hub before, one who never did
        after = report_of(lead, hub, tmp_path, reader)
        assert after["grades"] == before["grades"] and after["audits"] == 1
        assert "not by key" in refused(after)[f"{audit_id}.r2.json"]


def test_unsigned_and_edited_files_are_refused_with_a_reason(
    priya: Workspace, lead: Workspace, hub: Path, tmp_path: Path
) -> None:
    audit_id = priya_audit(priya, hub)
    genuine = sealed(hub / f"{audit_id}.r1.json")
    write(hub / f"{audit_id}.r2.json", {**genuine["record"], "revision": 2})  # by hand
    edited = {**genuine, "record": {**genuine["record"], "revision": 3}}
    write(hub / f"{audit_id}.r3.json", edited)
    reasons = refused(report_of(lead, hub, tmp_path))
    assert "not signed" in reasons[f"{audit_id}.r2.json"]
    assert "does not match its content" in reasons[f"{audit_id}.r3.json"]


def test_a_database_copied_to_another_machine_and_refinalised_there_is_refused(
    priya: Workspace, lead: Workspace, hub: Path, tmp_path: Path
) -> None:
    audit_id = priya_audit(priya, hub)
    before = report_of(lead, hub, tmp_path)
    # Tom copies Priya's database to his machine (his data folder, his key) and re-finalises.
    tom_dir = tmp_path / "people" / "tom-evans"
    tom_dir.mkdir(parents=True)
    priya.close()
    shutil.copy(priya.store.path, tom_dir / "copied.db")
    copied = open_workspace(tom_dir / "copied.db", _config_in(tom_dir))
    audits.reopen(copied, audit_id, "Changing it")
    for qid in ("specific", "measurable", "achievable", "realistic", "timely"):
        audits.answer(copied, audit_id, qid, "yes")
    audits.finalise(copied, audit_id)
    sent = run_sync(copied, str(hub))
    assert sent.results_new == 1  # the new revision lands on the share...
    assert any("signed by another machine's key" in w for w in sent.warnings)  # r1 is kept
    after = report_of(lead, hub, tmp_path)
    assert after["grades"] == before["grades"]  # ...and changes nothing anyone reads
    assert "not by key" in refused(after)[f"{audit_id}.r2.json"]
    assert "not by key" in refused(report_of(lead, hub, tmp_path, "fresh"))[f"{audit_id}.r2.json"]
    copied.close()


def _config_in(root: Path) -> Any:
    from sync_support import make_config

    return make_config(root, user="Tom Evans")


_MINUTE = iter(range(60))


def _completion(
    audit_id: str, action_id: str, on: str | None, source: str = "hub"
) -> dict[str, Any]:
    """A completion record; each made at its own minute, so each is its own file."""
    return {
        "schema": 2,
        "action_id": action_id,
        "audit_id": audit_id,
        "source": source,
        "recorded_at": f"2026-03-03T10:{next(_MINUTE):02d}:00+00:00",
        "status": "done",
        "completed_on": on,
        "owner": None,
        "due": None,
        "text": None,
        "evidence": None,
        "agreed_on": None,
    }


def _drop(hub: Path, record: dict[str, Any], key: Any | None) -> str:
    body = canonical(record)
    name = f"{record['action_id']}.{hashlib.sha256(body).hexdigest()[:16]}.json"
    write(hub / "actions" / name, key.seal("action-state", record) if key else record)
    return f"actions/{name}"


def test_completions_only_from_trusted_keys_with_possible_dates_reach_anyone(
    priya: Workspace, tom: Workspace, lead: Workspace, hub: Path, tmp_path: Path
) -> None:
    audit_id = finished_audit(priya, "CIN-1", "note")
    action_id = actions.add_action(priya, audit_id, owner="Sam Taylor", text="See the child")
    run_sync(priya, str(hub))
    manager = person(tmp_path, "Team Manager")
    trust_for_completions(str(hub), manager, ["North Locality"], tmp_path / "people" / "qa-lead")
    trust_for_completions(str(hub), tom, ["South Locality"], tmp_path / "people" / "qa-lead")
    attempts = {
        "unsigned": _drop(hub, _completion(audit_id, action_id, "2026-03-02"), None),
        "untrusted": _drop(hub, _completion(audit_id, action_id, "2026-03-02"), key_of(lead)),
        "other team": _drop(hub, _completion(audit_id, action_id, "2026-03-02"), key_of(tom)),
        "as owner": _drop(
            hub, _completion(audit_id, action_id, "2026-03-02", "owner"), key_of(manager)
        ),
        "before agreed": _drop(
            hub, _completion(audit_id, action_id, "2020-01-01"), key_of(manager)
        ),
        "future": _drop(hub, _completion(audit_id, action_id, "2099-01-01"), key_of(manager)),
        "no date": _drop(hub, _completion(audit_id, action_id, None), key_of(manager)),
    }
    reasons = refused(report_of(lead, hub, tmp_path))
    assert "not signed" in reasons[attempts["unsigned"]]
    assert "does not allow" in reasons[attempts["untrusted"]]
    assert "does not allow" in reasons[attempts["other team"]]
    assert "not by the audit's key" in reasons[attempts["as owner"]]
    assert "before the action was agreed" in reasons[attempts["before agreed"]]
    assert "in the future" in reasons[attempts["future"]]
    assert "no completion date" in reasons[attempts["no date"]]
    assert {v.action.status for v in hub_actions(lead, str(hub))} == {"open"}
    synced = run_sync(priya, str(hub))
    assert synced.completions_received == 0 and len(synced.refused) >= len(attempts) - 1
    assert [v.action.status for v in actions.list_actions(priya)] == ["open"]
    # The trusted manager's real completion goes through, everywhere.
    manager.today = lambda: dt.date(2026, 3, 4)
    complete_hub_action(manager, str(hub), action_id, on=dt.date(2026, 3, 3))
    assert run_sync(priya, str(hub)).completions_received == 1
    assert [v.action.completed_on for v in actions.list_actions(priya)] == [dt.date(2026, 3, 3)]


def test_an_untrusted_manager_is_told_before_anything_is_written(
    priya: Workspace, tom: Workspace, hub: Path, tmp_path: Path
) -> None:
    audit_id = finished_audit(priya, "CIN-1", "note")
    action_id = actions.add_action(priya, audit_id, owner="Sam Taylor", text="See the child")
    run_sync(priya, str(hub))
    with pytest.raises(HubError, match="may not record completions") as caught:
        complete_hub_action(tom, str(hub), action_id, on=dt.date(2026, 3, 2))
    assert "auditui hub trust" in caught.value.message
    signers = {sealed(p)["signer"] for p in (hub / "actions").glob("*.json")}
    assert signers == {key_of(priya).public_hex}  # only Priya's own action change is there


def test_a_forged_trust_file_or_a_swapped_lead_key_is_not_believed(
    priya: Workspace, tom: Workspace, lead: Workspace, hub: Path, tmp_path: Path
) -> None:
    audit_id = finished_audit(priya, "CIN-1", "note")
    action_id = actions.add_action(priya, audit_id, owner="Sam Taylor", text="See the child")
    run_sync(priya, str(hub))
    lead_key = key_of(lead)
    write_trust(hub, lead_key, key_of(lead).public_hex, ["Front Door"], NOW)  # the lead claims
    report_of(lead, hub, tmp_path)  # the QA lead's reader pins hub.json
    report_of(priya, hub, tmp_path, "priya")
    run_sync(priya, str(hub))  # and so does Priya's sync
    # Tom cannot sign as the lead, so he writes his own trust file...
    with pytest.raises(HubError, match="Only the hub's QA lead"):
        write_trust(hub, key_of(tom), key_of(tom).public_hex, ["North Locality"], NOW)
    marker = json.loads((hub / "hub.json").read_text())
    forged_trust = key_of(tom).seal(
        "trust",
        {
            "hub_id": marker["hub_id"],
            "issued_at": "x",
            "keys": {key_of(tom).public_hex: ["North Locality"]},
        },
    )
    write(hub / "trust.json", forged_trust)
    done = _drop(hub, _completion(audit_id, action_id, "2026-03-02"), key_of(tom))
    reasons = refused(report_of(lead, hub, tmp_path))
    assert "not by the QA lead's key" in reasons["trust.json"]
    assert "does not allow" in reasons[done]
    # ...or swaps the lead key in hub.json: every reader who has read the hub stops.
    write(hub / "hub.json", json.dumps({**marker, "lead_key": key_of(tom).public_hex}).encode())
    for reader, name in ((lead, "lead"), (priya, "priya")):
        with pytest.raises(HubError, match="has changed since this machine first read it"):
            report_of(reader, hub, tmp_path, name)
    with pytest.raises(HubError, match="has changed since this machine first read it"):
        run_sync(priya, str(hub))
    assert [v.action.status for v in actions.list_actions(priya)] == ["open"]


def test_the_owners_sync_refuses_a_date_the_hub_could_not_check(
    priya: Workspace, hub: Path, tmp_path: Path
) -> None:
    """A hub holding a revision from an older auditui (no agreed dates) knows an action only
    from the audit's start date; the owner's own store knows when it was agreed, and
    refuses a completion dated before that."""
    thursday = dt.date(2026, 3, 5)
    priya.today = lambda: thursday
    audit_id = finished_audit(priya, "CIN-1", "note", finalise=False)  # started on Monday
    audits.reopen(priya, audit_id, "One more action")
    action_id = actions.add_action(priya, audit_id, owner="Sam Taylor", text="See the child")
    audits.finalise(priya, audit_id, on=thursday)  # agreed Thursday, in the revision's snapshot
    run_sync(priya, str(hub))
    latest = hub / f"{audit_id}.r2.json"
    record = sealed(latest)["record"]
    record["actions"] = [{**a, "agreed_on": None} for a in record["actions"]]
    write(latest, key_of(priya).seal("graded-result", record))  # as an older auditui wrote it
    for sent in (hub / "actions").iterdir():  # ...which sent no action change with the date
        sent.unlink()
    manager = person(tmp_path, "Team Manager")
    trust_for_completions(str(hub), manager, ["North Locality"], tmp_path / "people" / "qa-lead")
    early = _drop(hub, _completion(audit_id, action_id, "2026-03-03"), key_of(manager))
    assert early not in refused(report_of(manager, hub, tmp_path))  # the hub believes it...
    synced = run_sync(priya, str(hub))
    assert synced.completions_received == 0  # ...the owner's store does not
    assert any("before the action was agreed" in r for r in synced.refused)
    assert [v.action.status for v in actions.list_actions(priya)] == ["open"]


def test_a_completion_is_judged_against_the_owners_date_whatever_order_the_folder_lists(
    priya: Workspace, hub: Path, tmp_path: Path
) -> None:
    """The owner's action change says when the action was agreed; a reader takes it in
    before judging a manager's completion, however the folder lists the two files (the
    names are random, so with several actions some would come first either way)."""
    thursday = dt.date(2026, 3, 5)
    priya.today = lambda: thursday
    found = []
    for n in range(6):
        audit_id = finished_audit(priya, f"CIN-{n}", "note", finalise=False)
        audits.reopen(priya, audit_id, "One more action")
        action_id = actions.add_action(priya, audit_id, owner="Sam Taylor", text="See the child")
        audits.finalise(priya, audit_id, on=thursday)
        found.append((audit_id, action_id))
    run_sync(priya, str(hub))
    for audit_id, _ in found:  # the revisions as an older auditui wrote them: no agreed dates
        latest = hub / f"{audit_id}.r2.json"
        record = sealed(latest)["record"]
        record["actions"] = [{**a, "agreed_on": None} for a in record["actions"]]
        write(latest, key_of(priya).seal("graded-result", record))
    manager = person(tmp_path, "Team Manager")
    trust_for_completions(str(hub), manager, ["North Locality"], tmp_path / "people" / "qa-lead")
    early = [
        _drop(hub, _completion(audit_id, action_id, "2026-03-03"), key_of(manager))
        for audit_id, action_id in found
    ]
    shown = refused(report_of(manager, hub, tmp_path))
    for name in early:
        assert "before the action was agreed (2026-03-05)" in shown[name]
