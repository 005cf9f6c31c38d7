"""The folder hub: whole immutable files on a share, and a reader that trusts none of them."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from sync_support import finished_audit

from auditui.errors import HubError
from auditui.services import audits
from auditui.services.report import build_report
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.engine import sync
from auditui.sync.folder import FolderHub
from auditui.sync.hub import Submitted
from auditui.sync.index import HubIndex
from auditui.sync.result import ActionState, GradedResult


def _results(hub: Path) -> list[str]:
    return sorted(p.name for p in hub.iterdir() if p.is_file())


def _unsent(ws: Workspace) -> int:
    row = ws.store.one("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    assert row is not None
    return int(row[0])


def test_one_whole_file_per_revision_and_a_second_sync_changes_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    hub = tmp_path / "share" / "hub"
    hub.mkdir(parents=True)
    ids = [finished_audit(workspace, f"CIN-{n}", "note") for n in range(3)]
    first = run_sync(workspace, str(hub))
    assert first.results_sent == 3 and first.results_new == 3
    assert _results(hub) == sorted(f"{i}.r1.json" for i in ids)
    assert not [p for p in hub.rglob(".tmp-*")]
    stamps = {p.name: p.stat().st_mtime_ns for p in hub.iterdir()}
    again = run_sync(workspace, str(hub))
    assert again.results_sent == 0 and "Nothing to send" in again.summary()
    # Re-delivering the same outbox (as after a crash before it was marked) rewrites nothing.
    workspace.store.conn.execute("UPDATE outbox SET sent_at = NULL")
    redo = run_sync(workspace, str(hub))
    assert redo.results_sent == 3 and redo.results_new == 0
    assert {p.name: p.stat().st_mtime_ns for p in hub.iterdir()} == stamps
    data = json.loads((hub / f"{ids[0]}.r1.json").read_text())
    assert data["schema"] == 1 and data["audit_id"] == ids[0]


def test_a_higher_revision_replaces_a_lower_in_any_order(
    workspace: Workspace, tmp_path: Path
) -> None:
    hub = tmp_path / "hub"
    hub.mkdir()
    audit_id = finished_audit(workspace, "CIN-1", "note", answer="no")
    run_sync(workspace, str(hub))
    audits.reopen(workspace, audit_id, "Moderation found the plan was updated")
    for qid in ("specific", "measurable", "achievable", "realistic", "timely"):
        audits.answer(workspace, audit_id, qid, "yes")
    audits.finalise(workspace, audit_id)
    run_sync(workspace, str(hub))
    assert _results(hub) == [f"{audit_id}.r1.json", f"{audit_id}.r2.json"]
    local = build_report(workspace)
    # Read r2 before r1 exists, then r1 arrives late: r2 stands.
    (hub / f"{audit_id}.r1.json").rename(tmp_path / "late.json")
    index_path = tmp_path / "index.db"
    build_report(workspace, str(hub), index_path=index_path)
    (tmp_path / "late.json").rename(hub / f"{audit_id}.r1.json")
    report = build_report(workspace, str(hub), index_path=index_path)
    assert report["audits"] == 1
    for key in ("good_or_better_pct", "grades", "complete_against_framework_pct"):
        assert report[key] == local[key]


def test_bad_files_go_to_quarantine_with_a_reason_and_the_rest_still_ingests(
    workspace: Workspace, tmp_path: Path
) -> None:
    hub = tmp_path / "hub"
    hub.mkdir()
    ids = [finished_audit(workspace, f"CIN-{n}", "note") for n in range(4)]
    run_sync(workspace, str(hub))
    good = (hub / f"{ids[0]}.r1.json").read_bytes()
    record = json.loads(good)
    bad = {
        "0123456789abcdef.r1.json": b"{not json",
        "1123456789abcdef.r1.json": good[: len(good) // 2],  # truncated
        "2123456789abcdef.r1.json": json.dumps(
            {**record, "audit_id": "2123456789abcdef", "case_ref": "CIN-1"}
        ).encode(),  # a field schema 1 does not have
        "3123456789abcdef.r1.json": b" " * (5 * 1024 * 1024),  # far too big to be a result
        "4123456789abcdef.r1.json": good,  # content is another audit's
        "notes.txt": b"minutes of the team meeting",
        "5123456789abcdef.r7.json.part": b"",
    }
    for name, data in bad.items():
        (hub / name).write_bytes(data)
    os.symlink("/etc/passwd", hub / "6123456789abcdef.r1.json")
    (hub / "actions").mkdir(exist_ok=True)
    (hub / "actions" / "7123456789abcdef.0123456789abcdef.json").write_text('{"schema": 1}')
    (hub / ".tmp-someone-writing").write_text("half")  # a writer mid-write: left alone

    report = build_report(workspace, str(hub), index_path=tmp_path / "index.db")
    refused = {item["file"]: item["reason"] for item in report["quarantined"]}
    expected = {*bad, "6123456789abcdef.r1.json", "actions/7123456789abcdef.0123456789abcdef.json"}
    assert set(refused) == expected
    assert "not valid JSON" in refused["0123456789abcdef.r1.json"]
    assert "not valid JSON" in refused["1123456789abcdef.r1.json"]
    assert "case_ref" in refused["2123456789abcdef.r1.json"]
    assert "larger than" in refused["3123456789abcdef.r1.json"]
    assert "not the one its name says" in refused["4123456789abcdef.r1.json"]
    assert "file name" in refused["notes.txt"]
    assert "link" in refused["6123456789abcdef.r1.json"]
    assert report["audits"] == 4  # every good file went in
    quarantine = hub / "quarantine"
    for name in bad:
        assert (quarantine / name).exists()
        assert name in (quarantine / f"{name}.reason.txt").read_text()
    assert (hub / ".tmp-someone-writing").exists()
    again = build_report(workspace, str(hub), index_path=tmp_path / "index.db")
    assert again["quarantined"] == [] and again["audits"] == 4


def test_the_index_reads_only_new_files(workspace: Workspace, tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    hub.mkdir()
    finished_audit(workspace, "CIN-1", "note")
    run_sync(workspace, str(hub))
    index = HubIndex.open(tmp_path / "index.db")
    assert index.refresh(hub) == 1
    assert index.refresh(hub) == 0
    finished_audit(workspace, "CIN-2", "note")
    run_sync(workspace, str(hub))
    assert index.refresh(hub) == 1
    assert len(index.facts().audits) == 2
    index.close()


def test_an_unreachable_share_is_one_sentence_and_the_outbox_is_kept(
    workspace: Workspace, tmp_path: Path
) -> None:
    finished_audit(workspace, "CIN-1", "note")
    share = tmp_path / "unmounted" / "QA" / "hub"
    with pytest.raises(HubError) as caught:
        run_sync(workspace, str(share))
    assert "cannot be reached" in caught.value.message and "outbox is kept" in caught.value.message
    assert len(caught.value.message.splitlines()) == 1
    assert not share.exists(), "a missing share must not quietly become a local folder"
    assert _unsent(workspace) == 1


def test_the_default_hub_is_made_in_the_user_data_directory(workspace: Workspace) -> None:
    from auditui.config import default_hub_dir

    finished_audit(workspace, "CIN-1", "note")
    report = run_sync(workspace)
    assert report.results_sent == 1 and len(_results(default_hub_dir())) == 1
    assert _unsent(workspace) == 0


class FlakyShare(FolderHub):
    """A real folder hub whose third batch fails, as a share dropping mid-sync would."""

    def __init__(self, root: Path, calls: list[int]) -> None:
        super().__init__(root)
        self.calls = calls

    def another(self) -> FlakyShare:
        return FlakyShare(self.root, self.calls)

    def submit(self, results: Sequence[GradedResult], states: Sequence[ActionState]) -> Submitted:
        self.calls.append(len(results))
        if len(self.calls) == 3:
            raise HubError(f"The folder hub {self.root} went away mid-sync.")
        return super().submit(results, states)


def test_a_hub_failing_mid_sync_keeps_exactly_the_unconfirmed_batches(
    workspace: Workspace, tmp_path: Path
) -> None:
    from auditui.services.demo import generate_demo

    hub = tmp_path / "hub"
    hub.mkdir()
    generate_demo(workspace, 40, seed=9)
    with pytest.raises(HubError, match="went away"):
        sync(workspace.store, workspace.config, hub=FlakyShare(hub, []), batch_size=4)
    rows = workspace.store.query("SELECT audit_id, revision, sent_at FROM outbox")
    in_hub = {p.name for p in hub.glob("*.json")}
    sent = {f"{a}.r{r}.json" for a, r, at in rows if at is not None}
    assert sent and sent <= in_hub  # whatever is marked sent is in the hub
    assert len(sent) < len(rows)  # and the failed batch (at least) is still queued
    run_sync(workspace, str(hub))
    assert _unsent(workspace) == 0
    assert in_hub | {p.name for p in hub.glob("*.json")} == {f"{a}.r{r}.json" for a, r, _ in rows}
