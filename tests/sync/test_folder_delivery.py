"""Delivery per hub, demo hubs, and hub folders holding things that are not files.

A new or emptied hub gets every ended revision again; a hub that lost a file,
or holds a damaged or forged copy, is healed by the owner's next sync. Demo
audits go only to a demo hub and a demo hub takes nothing else. A named pipe
(or any non-regular file) in a hub never stops report, actions or sync
(checked in real processes with a timeout: a hang would be the failure).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sync_support import finished_audit, make_config, person, subprocess_env, write_config

from auditui.errors import HubError
from auditui.services.demo import generate_demo
from auditui.services.report import build_report
from auditui.services.sync import check_demo_hub, run_sync
from auditui.services.workspace import Workspace
from auditui.sync.signing import canonical, load_or_create_machine_key


def _names(hub: Path) -> set[str]:
    return {p.name for p in hub.glob("*.r*.json")}


def test_a_new_hub_gets_every_ended_revision_even_after_another_hub_had_them(
    workspace: Workspace, tmp_path: Path
) -> None:
    ids = [finished_audit(workspace, f"CIN-{n}", "note") for n in range(3)]
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert run_sync(workspace, str(first)).results_sent == 3
    moved = run_sync(workspace, str(second))  # as after changing [sync] target
    assert moved.results_sent == 3 and moved.results_new == 3
    assert _names(second) == {f"{i}.r1.json" for i in ids}
    assert run_sync(workspace, str(first)).summary().startswith("Nothing to send")


def test_a_lost_damaged_or_forged_file_is_sent_again_on_the_next_sync(
    workspace: Workspace, tmp_path: Path
) -> None:
    hub = tmp_path / "hub"
    hub.mkdir()
    ids = [finished_audit(workspace, f"CIN-{n}", "note") for n in range(4)]
    run_sync(workspace, str(hub))
    assert run_sync(workspace, str(hub)).summary().startswith("Nothing to send")
    genuine = {i: (hub / f"{i}.r1.json").read_bytes() for i in ids}
    (hub / f"{ids[0]}.r1.json").unlink()  # lost
    (hub / f"{ids[1]}.r1.json").write_bytes(genuine[ids[1]][:100])  # damaged
    other = load_or_create_machine_key(tmp_path / "someone-else" / "signing-key")
    record = json.loads(genuine[ids[2]])["record"]
    forged = other.seal("graded-result", {**record, "team": "South Locality"})
    (hub / f"{ids[2]}.r1.json").write_bytes(canonical(forged))  # forged by someone else
    # Edited in place, same size, modification time put back: only the change time tells.
    path = hub / f"{ids[3]}.r1.json"
    before = path.stat()
    edited = genuine[ids[3]].replace(b"North Locality", b"South Locality")
    assert len(edited) == len(genuine[ids[3]]) and edited != genuine[ids[3]]
    path.write_bytes(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    healed = run_sync(workspace, str(hub))
    assert healed.results_sent == 4 and healed.results_new == 4
    assert {i: (hub / f"{i}.r1.json").read_bytes() for i in ids} == genuine
    assert run_sync(workspace, str(hub)).summary().startswith("Nothing to send")


def test_demo_audits_go_only_to_a_demo_hub_and_a_demo_hub_takes_only_them(
    workspace: Workspace, tmp_path: Path
) -> None:
    real_id = finished_audit(workspace, "CIN-1", "note")
    generate_demo(workspace, 12, seed=4)
    demo_ids = {
        r[0]
        for r in workspace.store.query(
            "SELECT audit_id FROM outbox JOIN audits a ON a.id = audit_id WHERE a.demo = 1"
        )
    }
    assert demo_ids and real_id not in demo_ids
    real, demo = tmp_path / "real", tmp_path / "demo"
    real.mkdir()
    sent = run_sync(workspace, str(real))
    assert _names(real) == {f"{real_id}.r1.json"}
    assert any("demo audits never go to a real hub" in w for w in sent.warnings)
    with pytest.raises(HubError, match="is a real hub"):
        check_demo_hub(str(real))
    with pytest.raises(HubError, match="is a real hub"):
        run_sync(workspace, str(real), demo_hub=True)
    run_sync(workspace, str(demo), demo_hub=True)  # made a demo hub
    assert {n.split(".r")[0] for n in _names(demo)} == demo_ids
    assert json.loads((demo / "hub.json").read_text())["demo"] is True
    assert run_sync(workspace, str(demo)).summary().startswith("Nothing to send")
    # A record of the wrong kind dropped into either hub is refused by every reader.
    one_demo = demo / f"{sorted(demo_ids)[0]}.r1.json"
    (demo / f"{real_id}.r1.json").write_bytes((real / f"{real_id}.r1.json").read_bytes())
    (real / one_demo.name).write_bytes(one_demo.read_bytes())
    lead = person(tmp_path, "QA Lead")
    on_demo = build_report(lead, str(demo), index_path=tmp_path / "i-demo.db")
    on_real = build_report(lead, str(real), index_path=tmp_path / "i-real.db")
    assert on_demo["audits"] == len({i for i in demo_ids if (demo / f"{i}.r1.json").exists()})
    assert on_real["audits"] == 1
    assert (
        "a demo hub takes demo audits only"
        in {q["file"]: q["reason"] for q in on_demo["quarantined"]}[f"{real_id}.r1.json"]
    )
    assert (
        "a real hub takes real audits only"
        in {q["file"]: q["reason"] for q in on_real["quarantined"]}[one_demo.name]
    )


def _run(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditui", *map(str, args)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=timeout,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_in_a_hub_never_hangs_report_actions_or_sync(tmp_path: Path) -> None:
    config = write_config(tmp_path / "config.toml", tmp_path / "hub-key")
    workspace_db = tmp_path / "auditui.db"
    from sync_support import open_workspace

    ws = open_workspace(workspace_db, make_config(tmp_path))
    audit_id = finished_audit(ws, "CIN-1", "note")
    hub = tmp_path / "hub"
    hub.mkdir()
    run_sync(ws, str(hub))
    ws.close()
    (hub / f"{audit_id}.r1.json").unlink()  # so sync must write where a pipe now sits
    os.mkfifo(hub / f"{audit_id}.r1.json")
    os.mkfifo(hub / "0123456789abcdef.r1.json")
    (hub / "actions").mkdir(exist_ok=True)
    os.mkfifo(hub / "actions" / "0123456789abcdef.0123456789abcdef.json")
    os.mkfifo(hub / "trust.json")
    base = ("--db", workspace_db, "--config", config)
    report = _run(*base, "report", "--hub", hub, "--format", "json", timeout=60)
    assert report.returncode == 0, report.stderr
    reasons = {q["file"]: q["reason"] for q in json.loads(report.stdout)["quarantined"]}
    assert "named pipe" in reasons["0123456789abcdef.r1.json"]
    board = _run(*base, "actions", "--hub", hub, "--format", "json", timeout=60)
    assert board.returncode == 0, board.stderr
    synced = _run(*base, "sync", "--target", hub, timeout=60)
    assert synced.returncode == 0, synced.stderr
    assert (hub / f"{audit_id}.r1.json").is_file()  # the pipe was replaced by the record
