"""`auditui sync`, `auditui hub ...` and `auditui report` as a user runs them (real processes)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sync_support import PgHub, subprocess_env, write_config


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditui", *map(str, args)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )


@pytest.fixture
def cli_config(tmp_path: Path) -> Path:
    return write_config(tmp_path / "config.toml", tmp_path / "hub-key")


def _real_audits(tmp_path: Path, count: int, seed: int) -> None:
    """Audits that are not demo ones, in the database the CLI uses (AUDITUI_DB)."""
    import os

    from sync_support import make_config, open_workspace

    from auditui.services.demo import generate_demo

    ws = open_workspace(Path(os.environ["AUDITUI_DB"]), make_config(tmp_path))
    generate_demo(ws, count, seed=seed, as_demo=False)
    ws.close()


def test_demo_to_a_demo_hub_then_report_over_it(tmp_path: Path, cli_config: Path) -> None:
    real = tmp_path / "share" / "org-hub"
    made = run("--config", cli_config, "hub", "init", real)
    assert made.returncode == 0, made.stderr
    assert json.loads((real / "hub.json").read_text())["demo"] is False
    refused = run("--config", cli_config, "demo", "--audits", "5", "--hub", real)
    assert refused.returncode == 1 and "is a real hub" in refused.stderr
    hub = tmp_path / "share" / "demo-hub"
    demo = run("--config", cli_config, "demo", "--audits", "40", "--seed", "3", "--hub", hub)
    assert demo.returncode == 0, demo.stderr
    assert "Demo hub" in demo.stdout and "Sent " in demo.stdout
    assert json.loads((hub / "hub.json").read_text())["demo"] is True
    again = run("--config", cli_config, "sync", "--target", hub, "--format", "json")
    assert json.loads(again.stdout)["results_sent"] == 0
    local = json.loads(run("--config", cli_config, "report", "--format", "json").stdout)
    shown = run("--config", cli_config, "report", "--hub", hub, "--by", "month", "--format", "json")
    report = json.loads(shown.stdout)
    for key in (
        "audits",
        "good_or_better_pct",
        "with_practitioner_pct",
        "complete_against_framework_pct",
        "actions_on_time_pct",
        "groups",
        "grades",
        "overdue_actions",
        "themes",
    ):
        assert key in report, key
    assert report["audits"] == local["audits"] > 20
    assert sum(g["audits"] for g in report["groups"]) == report["audits"]
    assert all(0 <= g["with_practitioner_pct"] <= 100 for g in report["groups"])
    table = run("--config", cli_config, "report", "--hub", hub, "--by", "team")
    assert table.returncode == 0 and "with practitioner" in table.stdout
    rows = list(
        csv.DictReader(
            io.StringIO(
                run("--config", cli_config, "report", "--by", "tool", "--format", "csv").stdout
            )
        )
    )
    assert rows[0]["group"] == "all" and int(rows[0]["audits"]) == local["audits"]
    # The organisation's real hub never gets them.
    real = tmp_path / "share" / "real-hub"
    real.mkdir()
    sent = run("--config", cli_config, "sync", "--target", real, "--format", "json")
    assert sent.returncode == 0 and json.loads(sent.stdout)["results_sent"] == 0
    assert "demo audits never go to a real hub" in sent.stderr
    assert not list(real.glob("*.r*.json"))
    refused = run("--config", cli_config, "demo", "--audits", "5", "--hub", real)
    assert refused.returncode == 1 and "is a real hub" in refused.stderr


def test_a_folder_that_is_not_a_hub_is_refused_and_left_untouched(
    tmp_path: Path, cli_config: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("auditui.db", "auditui.db-wal", "auditui.db-shm", "notes.txt"):
        (folder / name).write_bytes(b"precious")
    for args in (
        ("report", "--hub", folder),
        ("actions", "--hub", folder),
        ("hub", "actions", "--hub", folder),
        ("sync", "--target", folder),
    ):
        out = run("--config", cli_config, *args)
        assert out.returncode == 1 and "is not an auditui hub" in out.stderr, (args, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1
    empty = subprocess.run(
        [sys.executable, "-m", "auditui", "--config", str(cli_config), "report", "--hub", ""],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
        cwd=folder,
    )
    assert empty.returncode == 1 and "is not an auditui hub" in empty.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["auditui.db", "auditui.db-wal", "auditui.db-shm", "notes.txt"]
    )
    assert all(p.read_bytes() == b"precious" for p in folder.iterdir())


def test_sync_with_no_hub_configured_says_where_to_set_one(
    tmp_path: Path, cli_config: Path
) -> None:
    out = run("--config", cli_config, "sync")
    assert out.returncode == 1 and "No hub is configured" in out.stderr
    assert "[sync]" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.postgres
def test_hub_init_sync_and_a_managers_completion_over_postgres(
    tmp_path: Path, cli_config: Path, pg_hub: PgHub
) -> None:
    init = run("--config", cli_config, "hub", "init", pg_hub.admin)
    assert init.returncode == 0 and "auditui_reader" in init.stdout
    _real_audits(tmp_path, 30, seed=5)
    assert run("--config", cli_config, "sync", "--target", pg_hub.submitter).returncode == 0
    from sync_support import trust_for_completions

    trust_for_completions(pg_hub.manager, None, ["*"])
    board = run(
        "--config",
        cli_config,
        "hub",
        "actions",
        "--hub",
        pg_hub.manager,
        "--status",
        "open",
        "--format",
        "json",
    )
    assert board.returncode == 0, board.stderr
    open_actions = json.loads(board.stdout)
    assert open_actions and set(open_actions[0]) == {
        "id",
        "audit_id",
        "team",
        "owner",
        "text",
        "due",
        "status",
        "completed_on",
        "working_days_left",
    }
    assert all(a["text"] for a in open_actions)  # action text travels by default
    target = open_actions[0]["id"]
    done = run(
        "--config",
        cli_config,
        "hub",
        "action-done",
        target[:8],
        "--hub",
        pg_hub.manager,
        "--on",
        "2026-03-03",
    )
    assert done.returncode == 0 and "done on 2026-03-03" in done.stdout, done.stderr
    twice = run("--config", cli_config, "hub", "action-done", target, "--hub", pg_hub.manager)
    assert twice.returncode == 1 and "already done" in twice.stderr
    pulled = run("--config", cli_config, "sync", "--target", pg_hub.submitter)
    assert "1 action completed over the hub" in pulled.stdout
    mine = json.loads(run("--config", cli_config, "actions", "--format", "json").stdout)
    assert {a["id"]: (a["status"], a["completed_on"]) for a in mine}[target] == (
        "done",
        "2026-03-03",
    )
    refused = run("--config", cli_config, "report", "--hub", pg_hub.submitter)
    assert refused.returncode == 1 and "auditui_reader" in refused.stderr


def test_an_unreachable_hub_is_one_line_and_exit_1(cli_config: Path, tmp_path: Path) -> None:
    _real_audits(tmp_path, 5, seed=1)
    for target in (
        "postgresql://auditui_submitter@127.0.0.1:9/hub",
        str(tmp_path / "gone" / "hub"),
    ):
        failed = run("--config", cli_config, "sync", "--target", target)
        assert failed.returncode == 1
        assert len(failed.stderr.strip().splitlines()) == 1 and "outbox is kept" in failed.stderr
        assert "Traceback" not in failed.stderr


def test_actions_and_action_done_take_a_hub(tmp_path: Path, cli_config: Path) -> None:
    """spec/cli.md: `auditui actions --hub` and `auditui action done ACTION --hub`."""
    hub = tmp_path / "hub"
    made = run("--config", cli_config, "demo", "--audits", "60", "--seed", "5", "--hub", hub)
    assert made.returncode == 0, made.stderr
    listed = run(
        "--config", cli_config, "actions", "--hub", hub, "--status", "open", "--format", "json"
    )
    assert listed.returncode == 0, listed.stderr
    on_hub = json.loads(listed.stdout)
    local = json.loads(
        run("--config", cli_config, "actions", "--status", "open", "--format", "json").stdout
    )
    assert on_hub and {a["id"] for a in on_hub} == {a["id"] for a in local}
    target = on_hub[0]["id"]
    done = run("--config", cli_config, "action", "done", target, "--hub", hub)
    assert done.returncode == 0, done.stderr
    after = json.loads(
        run("--config", cli_config, "actions", "--hub", hub, "--format", "json").stdout
    )
    assert next(a for a in after if a["id"] == target)["status"] == "done"
    # The owner's next sync brings the completion home.
    assert run("--config", cli_config, "sync", "--target", hub).returncode == 0
    mine = json.loads(run("--config", cli_config, "actions", "--format", "json").stdout)
    assert next(a for a in mine if a["id"] == target)["status"] == "done"


def test_absurd_hub_paths_are_one_line_and_exit_1(tmp_path: Path, cli_config: Path) -> None:
    for target in ("a" * 100_000, str(tmp_path / ("b" * 300))):
        for args in (("sync", "--target", target), ("actions", "--hub", target)):
            out = run("--config", cli_config, *args)
            assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr[-300:]
            assert len(out.stderr.strip().splitlines()) == 1
    long = run("--config", cli_config, "demo", "--audits", "1", "--hub", "c" * 100_000)
    assert long.returncode == 1 and "longer than any" in long.stderr
