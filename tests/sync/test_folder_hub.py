"""The folder hub: whole immutable files on a share, and a reader that trusts none of them."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sync_support import finished_audit

from auditui.errors import AuditUIError, ConfigError, HubError
from auditui.services import audits
from auditui.services.report import build_report
from auditui.services.sync import hub_actions, run_sync
from auditui.services.workspace import Workspace
from auditui.sync.engine import sync
from auditui.sync.folder import FolderHub
from auditui.sync.hub import Submitted
from auditui.sync.hub_marker import read_marker
from auditui.sync.index import HubIndex
from auditui.sync.result import SCHEMA, ActionState, GradedResult


def _results(hub: Path) -> list[str]:
    return sorted(p.name for p in hub.glob("*.r*.json"))


def _unsent(ws: Workspace) -> int:
    row = ws.store.one("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    assert row is not None
    return int(row[0])


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.rglob("*"))
    }


def test_one_whole_signed_file_per_revision_and_a_second_sync_changes_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    hub = tmp_path / "share" / "hub"
    hub.mkdir(parents=True)
    ids = [finished_audit(workspace, f"CIN-{n}", "note") for n in range(3)]
    first = run_sync(workspace, str(hub))
    assert first.results_sent == 3 and first.results_new == 3
    assert _results(hub) == sorted(f"{i}.r1.json" for i in ids)
    marker = read_marker(hub)
    assert marker is not None and not marker.demo  # the empty folder became a real hub
    assert not [p for p in hub.rglob(".tmp-*")]
    stamps = {p.name: p.stat().st_mtime_ns for p in hub.iterdir()}
    again = run_sync(workspace, str(hub))
    assert again.results_sent == 0 and "Nothing to send" in again.summary()
    # Re-delivering the same outbox (as after a crash before it was marked) rewrites nothing.
    workspace.store.conn.execute("UPDATE outbox SET sent_at = NULL")
    redo = run_sync(workspace, str(hub))
    assert redo.results_sent == 3 and redo.results_new == 0
    assert {p.name: p.stat().st_mtime_ns for p in hub.iterdir()} == stamps
    sealed = json.loads((hub / f"{ids[0]}.r1.json").read_text())
    assert set(sealed) == {"kind", "record", "signer", "signature"}
    assert sealed["record"]["schema"] == SCHEMA and sealed["record"]["audit_id"] == ids[0]
    assert sealed["record"]["demo"] is False
    assert (hub / "keys" / f"{sealed['signer']}.json").is_file()  # published for the QA lead


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


def test_bad_files_are_skipped_and_reported_never_moved_and_the_rest_still_ingests(
    workspace: Workspace, tmp_path: Path
) -> None:
    hub = tmp_path / "hub"
    hub.mkdir()
    ids = [finished_audit(workspace, f"CIN-{n}", "note") for n in range(4)]
    run_sync(workspace, str(hub))
    good = (hub / f"{ids[0]}.r1.json").read_bytes()
    sealed = json.loads(good)
    record = sealed["record"]
    bad = {
        "0123456789abcdef.r1.json": b"{not json",
        "1123456789abcdef.r1.json": good[: len(good) // 2],  # truncated
        "2123456789abcdef.r1.json": json.dumps(
            {**record, "audit_id": "2123456789abcdef", "case_ref": "CIN-1"}
        ).encode(),  # unsigned, as an older auditui or a hand would write it
        "3123456789abcdef.r1.json": b" " * (5 * 1024 * 1024),  # far too big to be a result
        "4123456789abcdef.r1.json": good,  # content is another audit's
        "5123456789abcdef.r1.json": json.dumps(
            {**sealed, "record": {**record, "team": "South Locality"}}
        ).encode(),  # edited after it was signed
    }
    for name, data in bad.items():
        (hub / name).write_bytes(data)
    foreign = {"notes.txt": b"minutes of the team meeting", "5123.r7.json.part": b""}
    for name, data in foreign.items():
        (hub / name).write_bytes(data)
    os.symlink("/etc/passwd", hub / "6123456789abcdef.r1.json")
    (hub / "actions").mkdir(exist_ok=True)
    (hub / "actions" / "7123456789abcdef.0123456789abcdef.json").write_text('{"schema": 1}')
    (hub / ".tmp-someone-writing").write_text("half")  # a writer mid-write: left alone
    before = _tree(hub)

    report = build_report(workspace, str(hub), index_path=tmp_path / "index.db")
    refused = {item["file"]: item["reason"] for item in report["quarantined"]}
    expected = {*bad, "6123456789abcdef.r1.json", "actions/7123456789abcdef.0123456789abcdef.json"}
    assert set(refused) == expected  # names that do not claim to be records are not ours
    assert "not valid JSON" in refused["0123456789abcdef.r1.json"]
    assert "not valid JSON" in refused["1123456789abcdef.r1.json"]
    assert "not signed" in refused["2123456789abcdef.r1.json"]
    assert "larger than" in refused["3123456789abcdef.r1.json"]
    assert "not the one its name says" in refused["4123456789abcdef.r1.json"]
    assert "does not match its content" in refused["5123456789abcdef.r1.json"]
    assert "link" in refused["6123456789abcdef.r1.json"]
    assert report["audits"] == 4  # every good file went in
    assert _tree(hub) == before, "a report must never move, delete or change a file"
    again = build_report(workspace, str(hub), index_path=tmp_path / "index.db")
    assert {item["file"] for item in again["quarantined"]} == expected  # still reported
    assert again["audits"] == 4


@pytest.mark.parametrize("command", ["report", "actions"])
def test_a_folder_that_is_not_a_hub_is_refused_untouched(
    workspace: Workspace, tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    for name, data in {
        "auditui.db": b"SQLite format 3\x00" + b"\x00" * 100,
        "auditui.db-wal": b"wal",
        "auditui.db-shm": b"shm",
        "0123456789abcdef.r1.json": b"{}",
        "letter.docx": b"PK",
    }.items():
        (folder / name).write_bytes(data)
    before = _tree(folder)

    def read(target: str) -> object:
        if command == "report":
            return build_report(workspace, target, index_path=tmp_path / "i.db")
        return hub_actions(workspace, target, index_path=tmp_path / "i.db")

    for target in (str(folder), ""):
        monkeypatch.chdir(folder)  # "" must not mean the current folder
        with pytest.raises(HubError) as caught:
            read(target)
        assert "is not an auditui hub" in caught.value.message
        assert _tree(folder) == before


def test_the_index_reads_only_new_files(workspace: Workspace, tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    hub.mkdir()
    finished_audit(workspace, "CIN-1", "note")
    run_sync(workspace, str(hub))
    marker = read_marker(hub)
    assert marker is not None
    today = dt.date(2026, 3, 2)
    index = HubIndex.open(tmp_path / "index.db")
    assert index.refresh(hub, marker, today) == 1
    assert index.refresh(hub, marker, today) == 0
    finished_audit(workspace, "CIN-2", "note")
    run_sync(workspace, str(hub))
    assert index.refresh(hub, marker, today) == 1
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


def test_with_no_hub_configured_sync_says_where_to_configure_one(
    workspace: Workspace, isolated_env: Any
) -> None:
    from auditui.config import default_data_dir

    finished_audit(workspace, "CIN-1", "note")
    with pytest.raises(ConfigError) as caught:
        run_sync(workspace)
    message = caught.value.message
    assert "No hub is configured" in message and "[sync]" in message
    assert str(isolated_env.config) in message
    assert not (default_data_dir() / "hub").exists(), "no 'hub' inside the user's own data"
    assert _unsent(workspace) == 1


def test_a_folder_with_other_files_is_not_made_a_hub_by_sync(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "letter.docx").write_bytes(b"PK")
    finished_audit(workspace, "CIN-1", "note")
    with pytest.raises(HubError, match="is not an auditui hub"):
        run_sync(workspace, str(folder))
    assert sorted(p.name for p in folder.iterdir()) == ["letter.docx"]
    assert _unsent(workspace) == 1


class FlakyShare(FolderHub):
    """A real folder hub whose third batch fails, as a share dropping mid-sync would."""

    def __init__(self, base: FolderHub, calls: list[int]) -> None:
        super().__init__(base.root, marker=base.marker, signing_key_path=base.signing_key_path)
        self.calls = calls

    def another(self) -> FlakyShare:
        return FlakyShare(self, self.calls)

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
    generate_demo(workspace, 40, seed=9)
    key = workspace.config.sync.resolved_signing_key_file()
    base = FolderHub.open(hub, create=True, demo=True, signing_key=key)
    with pytest.raises(HubError, match="went away"):
        sync(workspace.store, workspace.config, hub=FlakyShare(base, []), batch_size=4)
    rows = workspace.store.query("SELECT audit_id, revision, sent_at FROM outbox")
    in_hub = {p.name for p in hub.glob("*.r*.json")}
    sent = {f"{a}.r{r}.json" for a, r, at in rows if at is not None}
    assert sent and sent <= in_hub  # whatever is marked sent is in the hub
    assert len(sent) < len(rows)  # and the failed batch (at least) is still queued
    run_sync(workspace, str(hub))
    assert _unsent(workspace) == 0
    assert in_hub | {p.name for p in hub.glob("*.r*.json")} == {
        f"{a}.r{r}.json" for a, r, _ in rows
    }


def test_errors_are_auditui_errors() -> None:
    assert issubclass(HubError, AuditUIError) and issubclass(ConfigError, AuditUIError)


def test_a_hub_path_with_a_nul_is_one_sentence(tmp_path: Path) -> None:
    from auditui.sync.hub_marker import usable_path

    with pytest.raises(HubError, match="NUL character"):
        usable_path(tmp_path / "a\0b")
