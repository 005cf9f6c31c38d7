"""Sync under faults: killed at random moments, run twenty at once, the hub out of reach.

Each fault test uses the real command in real processes against a real
folder or PostgreSQL server, and checks the outcome a QA lead would notice:
the hub holds exactly what the auditors' outboxes hold, once each.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sync_support import (
    PgHub,
    make_config,
    new_hub,
    open_workspace,
    subprocess_env,
    write_config,
)

from auditui.services import actions, audits
from auditui.services.demo import generate_demo
from auditui.services.report import build_report
from auditui.services.sync import hub_actions
from auditui.store.db import open_store

pytestmark = pytest.mark.slow


def _outbox(db: Path) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(every revision in the outbox, the revisions marked sent)."""
    store = open_store(db)
    try:
        rows = store.query("SELECT audit_id, revision, sent_at FROM outbox")
    finally:
        store.close()
    return {(r[0], r[1]) for r in rows}, {(r[0], r[1]) for r in rows if r[2] is not None}


def _hub(kind: str, target: Any) -> set[tuple[str, int]]:
    if kind == "folder":
        names = [p.name for p in Path(target).glob("*.r*.json")]
        return {(n.split(".r")[0], int(n.split(".r")[1].split(".")[0])) for n in names}
    rows = target.query("SELECT audit_id, revision FROM auditui.results")
    assert target.query("SELECT count(*), count(DISTINCT audit_id) FROM auditui.results")[0] == (
        len(rows),
        len(rows),
    )
    return {(r[0], r[1]) for r in rows}


def _latest(revisions: set[tuple[str, int]]) -> set[tuple[str, int]]:
    top: dict[str, int] = {}
    for audit_id, revision in revisions:
        top[audit_id] = max(revision, top.get(audit_id, 0))
    return set(top.items())


def _wait_for_progress(db: Path, sent_before: int, proc: subprocess.Popen[bytes]) -> None:
    """Until the running sync has marked its first batch sent (or has ended)."""
    deadline = time.monotonic() + 20
    while proc.poll() is None and time.monotonic() < deadline:
        if len(_outbox(db)[1]) > sent_before:
            return
        time.sleep(0.01)


def _local_work(db: Path, root: Path, rng: random.Random, round_: int) -> None:
    """The auditor keeps working between syncs: new audits, a re-graded one, actions done."""
    ws = open_workspace(db, make_config(root))
    try:
        generate_demo(ws, 120, seed=round_, as_demo=False)
        for audit in audits.list_audits(ws, status="finalised", limit=2, offset=rng.randint(0, 40)):
            audits.reopen(ws, audit.id, "Moderation")
            audits.finalise(ws, audit.id, on=audit.ended_on)
        for view in actions.list_actions(ws, status="open", limit=3):
            actions.complete_action(ws, view.action.id, on=ws.today())
    finally:
        ws.close()


@pytest.mark.parametrize("kind", ["folder", "postgres"])
def test_sync_killed_at_random_moments_ends_exactly_once(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    rng = random.Random(f"kill-{kind}")
    db = tmp_path / "auditor.db"
    cfg = write_config(tmp_path / "config.toml", tmp_path / "hub-key")
    hub: Any
    if kind == "folder":
        hub = tmp_path / "share"
        hub.mkdir()
        target = str(hub)
    else:
        hub = new_hub(request.getfixturevalue("pg_server"))
        target = hub.submitter
    command = [
        sys.executable,
        "-m",
        "auditui",
        "--db",
        str(db),
        "--config",
        str(cfg),
        "sync",
        "--target",
        target,
        "--batch-size",
        "1",
    ]
    interrupted = 0
    for round_ in range(12):
        _local_work(db, tmp_path, rng, round_)
        before = _outbox(db)[1]
        proc = subprocess.Popen(
            command, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        if round_ % 2:
            time.sleep(rng.uniform(0.05, 0.9))  # anywhere: starting up, mid-batch, finishing
        else:
            _wait_for_progress(db, len(before), proc)  # surely mid-sync: batches are landing
            time.sleep(rng.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        everything, sent = _outbox(db)
        interrupted += before < sent < everything
        # Whatever is marked sent is in the hub, at that revision or a later one.
        in_hub = dict(_latest(_hub(kind, hub)))
        assert all(in_hub.get(a, 0) >= r for a, r in sent), f"round {round_}"
    assert interrupted >= 4, f"the kills landed mid-sync only {interrupted} times"
    done = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    everything, sent = _outbox(db)
    assert sent == everything
    if kind == "folder":
        assert _hub(kind, hub) == everything  # every revision's file, once
    else:
        assert _hub(kind, hub) == _latest(everything)  # the highest revision of each audit
    # The PostgreSQL views count overdue actions against the server's date: use the same.
    ws = open_workspace(db, make_config(tmp_path), today=dt.date.today())
    local = build_report(ws)
    reader = str(hub) if kind == "folder" else hub.reader
    remote = build_report(ws, reader, index_path=tmp_path / "index.db")
    assert remote["audits"] == local["audits"] == len(_latest(everything))
    assert remote["actions"] == local["actions"]
    manage = str(hub) if kind == "folder" else hub.manager
    board = {v.action.id: (v.action.status, v.action.completed_on) for v in hub_actions(ws, manage)}
    mine = {v.action.id: (v.action.status, v.action.completed_on) for v in actions.list_actions(ws)}
    assert board == mine
    ws.close()


def _make_db(path: Path, root: Path, seed: int, count: int = 12) -> set[tuple[str, int]]:
    ws = open_workspace(path, make_config(root))
    generate_demo(ws, count, seed=seed, as_demo=False)
    ws.close()
    return _outbox(path)[0]


@pytest.mark.postgres
@pytest.mark.parametrize("same_audits", [False, True], ids=["distinct", "same"])
def test_twenty_processes_syncing_at_once_give_exact_counts(
    same_audits: bool, tmp_path: Path, pg_hub: PgHub
) -> None:
    dbs = [tmp_path / f"auditor{n}.db" for n in range(20)]
    expected: set[tuple[str, int]] = set()
    if same_audits:
        expected = _make_db(dbs[0], tmp_path, seed=1, count=60)
        for db in dbs[1:]:
            shutil.copy(dbs[0], db)
    else:
        for n, db in enumerate(dbs):
            expected |= _make_db(db, tmp_path, seed=100 + n)
    cfg = write_config(tmp_path / "config.toml", tmp_path / "hub-key")

    # Twenty auditors press sync at the same moment: twenty real `auditui sync` processes.
    def command(db: Path) -> list[str]:
        options = ["--db", str(db), "--config", str(cfg)]
        sync = ["sync", "--target", pg_hub.submitter, "--batch-size", "4", "--format", "json"]
        return [sys.executable, "-m", "auditui", *options, *sync]

    procs = [
        subprocess.Popen(
            command(db),
            env=subprocess_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for db in dbs
    ]
    outcomes = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * 20, [err for _, err in outcomes]
    sent = [json.loads(out)["results_sent"] for out, _ in outcomes]
    assert sum(sent) == (len(expected) * 20 if same_audits else len(expected))
    assert _hub("postgres", pg_hub) == expected
    for db in dbs:
        everything, marked = _outbox(db)
        assert marked == everything
    actions_in_hub = pg_hub.query("SELECT count(*), count(DISTINCT action_id) FROM auditui.actions")
    assert actions_in_hub[0][0] == actions_in_hub[0][1]
    assert pg_hub.query("SELECT count(*) FROM auditui.staging_results") == [(0,)]
