"""`auditui export csv` and `auditui export report` as a user runs them, in a subprocess."""

from __future__ import annotations

import os
import pty
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from export_support import EXPORT_TOOL, Filled, as_dicts, read_csv

import auditui

IsolatedEnv = Any
"""tests/conftest.py's ``isolated_env`` fixture: every auditui path inside tmp_path."""
RunCli = Any
"""tests/conftest.py's ``run_cli`` fixture: the real command in a subprocess."""


def subprocess_env() -> dict[str, str]:
    """The isolated environment, importing this checkout's auditui, without colour."""
    env = dict(os.environ)
    src = str(Path(auditui.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(
        [src, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    )
    env["NO_COLOR"] = "1"
    return env


@pytest.fixture
def cli_data(filled_template: tuple[Path, Filled], isolated_env: IsolatedEnv) -> Filled:
    """The filled database where the `auditui` command looks, with its tool."""
    template, ids = filled_template
    shutil.copyfile(template, isolated_env.db)
    isolated_env.db.chmod(0o600)
    (isolated_env.tools / "export-test.yaml").write_text(EXPORT_TOOL, encoding="utf-8")
    return ids


def test_export_to_a_file_is_whole_owner_only_and_says_so(
    cli_data: Filled, run_cli: RunCli, tmp_path: Path
) -> None:
    out = tmp_path / "answers.csv"
    done = run_cli("export", "csv", "--table", "answers", "--labels", "--out", out)
    assert done.returncode == 0, done.stderr
    rows = as_dicts(out.read_bytes())
    assert f"Wrote {len(rows)} answers rows to {out}." in done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert {r["value"] for r in rows} >= {"Partly", "N/A", "Requires improvement"}
    assert done.stdout == ""


def test_export_streams_to_stdout_with_no_progress_when_piped(
    cli_data: Filled, isolated_env: IsolatedEnv
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "auditui", "export", "csv", "--table", "audits", "--out", "-"],
        capture_output=True,
        env=subprocess_env(),
        cwd=isolated_env.root,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b'\xef\xbb\xbf"audit_id",')
    assert done.stderr == b""
    assert len(read_csv(done.stdout)) == 1 + 3 + len(cli_data.hostile_audits)


def test_filters_and_no_bom(cli_data: Filled, run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    done = run_cli(
        "export",
        "csv",
        "--table",
        "audits",
        "--no-bom",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--team",
        "North",
        "--tool",
        "export-test",
        "--status",
        "finalised",
        "--out",
        out,
    )
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b'"audit_id"')
    rows = as_dicts(data)
    assert [r["audit_id"] for r in rows] == [cli_data.finalised]
    assert rows[0]["voice_final"] == "good"


def test_bad_input_is_refused_in_words_without_a_traceback(
    cli_data: Filled, run_cli: RunCli, tmp_path: Path
) -> None:
    done = run_cli("export", "csv", "--table", "audits", "--from", "2026-13-01")
    assert done.returncode == 1
    assert "--from: '2026-13-01' is not a date" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli("export", "csv", "--table", "audits", "--out", tmp_path / "no" / "a.csv")
    assert done.returncode == 1 and "Cannot write" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli("export", "csv", "--table", "people")
    assert done.returncode == 2


def test_a_progress_bar_shows_on_a_terminal(
    cli_data: Filled, isolated_env: IsolatedEnv, tmp_path: Path
) -> None:
    main, child = pty.openpty()
    env = {**subprocess_env(), "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "auditui",
            "export",
            "csv",
            "--table",
            "answers",
            "--out",
            str(tmp_path / "x.csv"),
        ],
        stderr=child,
        stdout=subprocess.DEVNULL,
        env=env,
        cwd=isolated_env.root,
    ) as proc:
        os.close(child)
        seen = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        assert proc.wait(timeout=120) == 0
    os.close(main)
    assert b"Exporting answers" in seen
    assert b"Wrote" in seen


def test_the_report_command_writes_html_or_markdown(
    cli_data: Filled, run_cli: RunCli, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    done = run_cli("export", "report", cli_data.finalised[:8], "--out", out)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "F0001" in page
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    done = run_cli("export", "report", cli_data.finalised, "--format", "md")
    assert done.returncode == 0 and done.stdout.startswith("# Audit report: Export test tool")
    done = run_cli("export", "report", "nope")
    assert done.returncode == 1 and "There is no audit 'nope'" in done.stderr


def test_a_named_pipe_is_written_in_place_never_replaced(
    cli_data: Filled, run_cli: RunCli, tmp_path: Path
) -> None:
    """`--out /dev/null` or a FIFO must not be renamed over: the device would become a file."""
    import threading

    fifo = tmp_path / "answers.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = run_cli("export", "csv", "--table", "audits", "--out", fifo)
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the pipe was replaced by a file"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert len(read_csv(received[0])) == 1 + 3 + len(cli_data.hostile_audits)
