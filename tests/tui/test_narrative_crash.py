"""What the QA lead typed in the narrative survives the process being killed mid-word.

A real child process runs the real app headless, opens the narrative screen
and types one key at a time, printing ``ACK n`` once the app has taken key n;
the test SIGKILLs it at random moments, then reads the kept file as
``report pack`` does. Every acknowledged key must be in it, and the file must
always read back whole (it is replaced at once, never written in place).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from auditui.config import Config
from auditui.services.pack_narrative import stored_narrative
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
TEXT = "Plans are SMARTer; 78% found them specific. " * 4
TYPING = f"""
import asyncio, datetime as dt, sys
from pathlib import Path
from auditui.config import Config
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary
from auditui.tui.run import make_app
from auditui.tui.screens.narrative import NarrativeScreen

ws = Workspace.open(Path(sys.argv[1]), ToolLibrary.load(), Config())
app = make_app(ws)
text = {TEXT!r}

async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(NarrativeScreen(ws, dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
        await pilot.pause()
        area = app.screen.query_one("#what-we-know")
        area.move_cursor(area.document.end)  # go on from what was kept
        done = len(app.screen.current().what_we_know)
        print("READY", done, flush=True)
        for n in range(done, len(text)):
            key = text[n]
            await pilot.press({{" ": "space", ";": "semicolon", "%": "percent_sign",
                                ".": "full_stop"}}.get(key, key))
            print("ACK", n + 1, flush=True)
        await asyncio.sleep(60)

asyncio.run(main())
"""


def _env() -> dict[str, str]:
    import auditui

    env = dict(os.environ)
    src = str(Path(auditui.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    return env


def _type_and_kill(db: Path, rng: random.Random) -> int:
    """Type until killed at a random moment; the number of keys acknowledged."""
    child = subprocess.Popen(
        [sys.executable, "-c", TYPING, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    acked = [0]
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            word, n = line.split()
            acked[0] = int(n)
            ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(timeout=60):
            raise AssertionError("the typing process did not start")
        time.sleep(rng.uniform(0.1, 0.8))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        reader.join(timeout=30)
        assert child.stderr is not None and child.stdout is not None
        errors = child.stderr.read()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL, errors
    assert "Traceback" not in errors, errors
    return acked[0]


@pytest.mark.slow
def test_typed_narrative_survives_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "auditui.db"
    Workspace.open(db, ToolLibrary.load(), Config()).close()
    rng = random.Random(20261130)
    most = 0
    for _ in range(4):
        acked = _type_and_kill(db, rng)
        most = max(most, acked)
        ws = Workspace.open(db, ToolLibrary.load(), Config())
        try:
            kept = stored_narrative(ws, FIRST, LAST).what_we_know
        finally:
            ws.close()
        # kept whole, and at least every acknowledged key (a later one may be there too)
        assert TEXT.strip().startswith(kept), kept
        assert len(kept) >= len(TEXT[:acked].strip()), (acked, kept)
        if len(kept) >= len(TEXT.strip()):
            break
    assert most > 0, "no key was ever acknowledged: the test proved nothing"
