"""An answer acknowledged to the auditor survives the process being killed at any moment.

A real child process answers questions in a loop and prints ``ACK`` only
after each ``answer()`` has returned; the test SIGKILLs it at random moments,
many times, then reads the database with a fresh connection. Every
acknowledged answer must be there (or superseded by a later write), the
history must hold at least one row per acknowledgement, and SQLite's
integrity check must pass.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from auditui.config import Config
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

QUESTIONS = ("specific", "measurable", "achievable", "realistic", "timely")
VALUES = ("yes", "partly", "no")
ITERATIONS = 18

ANSWERING = f"""
import sys
from pathlib import Path

from auditui.config import Config
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

db, audit_id, first = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
questions, values = {QUESTIONS!r}, {VALUES!r}
ws = Workspace.open(db, ToolLibrary.load(), Config())
print("READY", flush=True)
n = first
while True:
    question, value = questions[n % len(questions)], values[n % len(values)]
    audits.answer(ws, audit_id, question, value, f"counter {{n}}")
    print(f"ACK {{n}} {{question}} {{value}}", flush=True)
    n += 1
"""


def _env() -> dict[str, str]:
    import auditui

    env = dict(os.environ)
    src = str(Path(auditui.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    return env


def _run_and_kill(db: Path, audit_id: str, first: int, rng: random.Random) -> list[str]:
    """Start an answering process, kill it at a random moment, return every line it printed."""
    child = subprocess.Popen(
        [sys.executable, "-c", ANSWERING, str(db), audit_id, str(first)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.append(line.strip())
            ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(timeout=30):
            raise AssertionError(f"the answering process did not start: {child.stderr.read()}")  # type: ignore[union-attr]
        time.sleep(rng.uniform(0.05, 0.5))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        reader.join(timeout=30)
        assert child.stderr is not None
        errors = child.stderr.read()
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL, errors
    assert "Traceback" not in errors, errors
    return lines


@pytest.mark.slow
def test_acknowledged_answers_survive_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "auditui.db"
    ws = Workspace.open(db, ToolLibrary.load(), Config())
    audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    ws.close()

    rng = random.Random(20261210)
    last_ack: dict[str, tuple[int, str]] = {}
    acked = 0
    deadline = time.monotonic() + 35
    for iteration in range(ITERATIONS):
        lines = _run_and_kill(db, audit_id, iteration * 1_000_000, rng)
        for line in lines:
            if line.startswith("ACK "):
                _, counter, question, value = line.split()
                last_ack[question] = (int(counter), value)
                acked += 1

        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = {
                q: (int(evidence.split()[1]), value.strip('"'))
                for q, value, evidence in conn.execute(
                    "SELECT question_id, value, evidence FROM answers WHERE audit_id = ?",
                    (audit_id,),
                )
            }
            history = conn.execute("SELECT count(*) FROM answer_history").fetchone()[0]
        finally:
            conn.close()
        for question, (n, value) in last_ack.items():
            assert question in stored, f"acknowledged answer to {question} lost"
            stored_n, stored_value = stored[question]
            assert stored_n >= n, f"{question}: acknowledged write {n} lost (found {stored_n})"
            if stored_n == n:
                assert stored_value == value
            else:  # a later write, maybe unacknowledged: its value follows the same cycle
                assert stored_value == VALUES[stored_n % len(VALUES)]
        assert history >= acked
        if time.monotonic() > deadline:
            break
    assert acked > 0, "no answer was ever acknowledged before a kill"
