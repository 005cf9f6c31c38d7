"""Issue 12 item 6: a killed export's temporary file is owner-only, and the next run removes it.

The export runs as a real `auditui export csv` process, killed with SIGKILL
while its ``.part`` file exists; the next export into the same folder
removes that file and only files like it (auditui's name pattern, this
user, a process that is gone).
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditui.export.output import PART, open_output, remove_stale_parts


def _part_name(target: str, pid: int, uid: int | None = None) -> str:
    uid = os.getuid() if uid is None else uid
    return f".{target}.auditui-{uid}-{pid}-0123456789abcdef.part"


def _gone_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def many_answers(run_cli, isolated_env) -> None:  # type: ignore[no-untyped-def]
    """A database with tens of thousands of answers, so an export takes a moment."""
    made = run_cli("demo", "--audits", "3000", "--seed", "1")
    assert made.returncode == 0, made.stderr


def _kill_mid_export(child_env: dict[str, str], out: Path) -> Path | None:
    """Start an export to ``out``, SIGKILL it as soon as its .part file exists; the file."""
    child = subprocess.Popen(
        [sys.executable, "-m", "auditui", "export", "csv", "--table", "answers", "--out", str(out)],
        env=child_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    found: list[Path] = []
    try:
        while child.poll() is None and time.monotonic() < deadline:
            found = [p for p in out.parent.iterdir() if p.name.endswith(".part")]
            if found and found[0].stat().st_size > 0:
                break
            time.sleep(0.001)
        mode = found[0].stat().st_mode if found else None
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # the export and its reader processes
        child.wait()
    if not found or not found[0].exists():
        return None  # the export finished before it could be killed
    assert mode is not None and stat.S_IMODE(mode) == 0o600
    return found[0]


def test_a_killed_export_leaves_an_owner_only_part_file_the_next_run_removes(
    run_cli, child_env: dict[str, str], tmp_path: Path, many_answers: None
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "answers.csv"
    for _ in range(5):
        left = _kill_mid_export(child_env, out)
        if left is not None:
            break
    else:
        pytest.fail("every export finished before it could be killed")
    assert stat.S_IMODE(left.stat().st_mode) == 0o600
    assert PART.match(left.name) and not out.exists()
    assert b"answer" in left.read_bytes()[:4096].lower()  # evidence was on its way to disk

    others = {
        # not ours by name, or a live writer's, or another user's: never touched
        folder / ".answers.csv.tmp12345.part": b"someone else's",
        folder / _part_name("answers.csv", os.getpid()): b"a live export",
        folder / _part_name("answers.csv", _gone_pid(), uid=os.getuid() + 1): b"another user",
        folder / "answers.csv.part": b"a user's own file",
    }
    for path, data in others.items():
        path.write_bytes(data)

    done = run_cli("export", "csv", "--table", "audits", "--out", out)
    assert done.returncode == 0, done.stderr
    assert not left.exists()
    assert {p: p.read_bytes() for p in others} == others
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_stale_parts_are_only_regular_files_of_gone_processes(tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    gone = _gone_pid()
    stale = tmp_path / _part_name("a.csv", gone)
    stale.write_text("old evidence")
    folder_named_like_one = tmp_path / _part_name("b.csv", gone)
    folder_named_like_one.mkdir()
    link = tmp_path / _part_name("c.csv", gone)
    victim = tmp_path / "keep.txt"
    victim.write_text("keep")
    link.symlink_to(victim)
    huge_pid = tmp_path / _part_name("d.csv", 2**40)
    huge_pid.write_text("x")

    assert remove_stale_parts(tmp_path) == [stale]
    assert folder_named_like_one.is_dir() and link.is_symlink() and victim.exists()
    assert huge_pid.exists()
    assert remove_stale_parts(tmp_path / "missing") == []


def test_the_part_file_is_owner_only_from_its_first_byte(tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    old = os.umask(0)  # even with a permissive umask
    try:
        with open_output(tmp_path / "x.csv") as stream:
            (part,) = tmp_path.iterdir()
            assert stat.S_IMODE(part.stat().st_mode) == 0o600
            assert PART.match(part.name)
            stream.write(b"row\r\n")
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]
