"""How quick the TUI feels, against a bare Textual app on the same machine in the same run.

Every clock here stops at the frame that shows the result, and never goes
through Pilot's ``pause()`` or ``press()``: those wait for the process to go
idle in 20 ms sleeps (``textual._wait.wait_for_idle``), so a time taken
through them mostly counts sleeps. Until November 2026 this bench did that,
and its ratios (start-up 1.47, answer 1.36) were largely those sleeps.

(a) Start-up: from launching a process to its first frame, which for auditui
is the home screen with the first page of N audits (default 10,000) and the
side panel, against a process running a bare Textual app with one Label.
Each child says "ready" from its app's ``on_ready`` (Textual sends Ready once
the first frame is displayed), and the parent times spawn to that line. Both
run headless at 120x36 with their own config and cache directories. The
auditui child goes through the real entry point (``auditui.cli.main:main``:
click, config file, tool library, database) with its caches warm, as on
every start after a user's first; the first start (empty cache directory) is
printed too. Each child also reports the part after its imports ("in the
app"), to show where the difference lies. Goal: ratio <= 1.5.

auditui reads its tools (and imports pydantic) in the background after the
first frame, so the auditui child then presses `n` at once and reports the
time to the tool chooser's frame: the worst case of a key waiting for them.

(b) Answer latency: from a single-key answer (``y``/``p``) reaching the
walker to the frame that shows the next question (answer committed, audit
regraded, screen redrawn), against a bare app updating one Label on a key,
both in this process and timed the same way: the key is posted to the
driver, and the clock stops in the app's ``_display`` (called with each
composed screen update; headless, it then draws nothing). Goal: p95 ratio <= 3.

No absolute times are claimed; they are printed only to explain the ratios.

Usage: python bench/tui_latency.py [N_AUDITS] [N_ANSWERS]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZE = (120, 36)
STARTS = 9
"""Start-up runs of each app; the medians are compared."""

CONFIG = """\
[user]
name = "Sam Auditor"

[organisation]
name = "Bench Council"
teams = ["North", "South", "East", "West"]
"""


# --- the child processes of (a) ------------------------------------------------


def child_bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    imported = time.perf_counter()

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("ready")

        def on_ready(self) -> None:
            print(f"ready {(time.perf_counter() - imported) * 1000:.2f} 1", flush=True)
            self.exit()

    Bare().run(headless=True, size=SIZE)


def child_auditui(db: str) -> None:
    import gc

    gc.disable()  # what `auditui.cli.main.cli` does before importing the app; on_ready undoes it
    import auditui.tui.app
    import auditui.tui.run
    from auditui.cli.main import main
    from auditui.tui.widgets.audit_table import AuditTable

    imported = time.perf_counter()

    class ReadyApp(auditui.tui.app.AuditApp):
        """auditui as it runs, saying when its first frame is up."""

        CSS_PATH = str(Path(auditui.tui.app.__file__).with_name("app.tcss"))

        def on_ready(self) -> None:
            rows = self.screen.query_one(AuditTable).row_count
            print(f"ready {(time.perf_counter() - imported) * 1000:.2f} {rows}", flush=True)
            super().on_ready()  # as the app goes on: GC back on, the tools loading behind
            self.time_first_new_audit()

        def time_first_new_audit(self) -> None:
            """Then `n` at once: the first screen that needs the tools, still loading in the
            background (the worst case; a user reading the home screen waits for nothing)."""

            async def first_n() -> None:
                shown = lambda: type(self.screen).__name__ == "ToolChooserScreen"  # noqa: E731
                took = await FrameClock(self).press("n", shown)
                print(f"chooser {took * 1000:.2f}", flush=True)
                self.exit()

            self.run_worker(first_n())

        def run(self, *args: Any, **kwargs: Any) -> Any:
            return super().run(headless=True, size=SIZE)

    auditui.tui.run.make_app = ReadyApp  # type: ignore[assignment]
    sys.argv = ["auditui", "--db", db]
    main()


def launch(args: list[str], env: dict[str, str]) -> tuple[float, float, int, float | None]:
    """Seconds from spawn to "ready", the child's own in-app seconds, the rows it showed,
    and (auditui) the seconds from its first `n` to the tool chooser's frame."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    after = child.stdout.read().split()
    child.wait()
    word, in_app, rows = line.split()
    assert word == "ready" and child.returncode == 0, line
    chooser = float(after[1]) / 1000 if after[:1] == ["chooser"] else None
    return elapsed, float(in_app) / 1000, int(rows), chooser


def start_up(db: Path, home: Path) -> None:
    env = dict(os.environ)
    env.update(
        AUDITUI_CONFIG=str(home / "config.toml"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    launch(["auditui", str(db)], env)  # fills the caches, as any first start does
    bare, app, cold = [], [], []
    for run in range(STARTS):
        bare.append(launch(["bare"], env))
        app.append(launch(["auditui", str(db)], env))
        fresh = dict(env, XDG_CACHE_HOME=str(home / f"cache-{run}"))
        cold.append(launch(["auditui", str(db)], fresh))
    rows = {r for _, _, r, _ in app}
    assert rows and 0 not in rows, f"the home screen showed no audits: {rows}"
    b, a, c = (statistics.median(t for t, _, _, _ in x) for x in (bare, app, cold))
    bi, ai = (statistics.median(i for _, i, _, _ in x) for x in (bare, app))
    chooser = statistics.median(n for _, _, _, n in app if n is not None)
    print(f"(a) launch to first frame, median of {STARTS} (home shows {min(rows)} rows)")
    print(f"    bare Textual app (one Label):   {b * 1000:7.1f} ms")
    print(
        f"    auditui, caches warm:           {a * 1000:7.1f} ms  ratio {a / b:.2f}  (goal <= 1.5)"
    )
    print(f"    auditui, first start ever:      {c * 1000:7.1f} ms  ratio {c / b:.2f}")
    print(f"    of which in the app, after imports: bare {bi * 1000:.1f} ms,", end=" ")
    print(f"auditui {ai * 1000:.1f} ms (ratio {ai / bi:.2f})")
    print(
        f"    then `n` pressed at once (tools still loading) to the chooser: "
        f"{chooser * 1000:.1f} ms ({chooser / b:.2f} of the bare app's start-up)"
    )


# --- (b): keys, in this process -------------------------------------------------


class FrameClock:
    """Times a posted key to the first composed frame for which ``shown()`` is true."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.shown: Callable[[], bool] | None = None
        self.at = 0.0
        self.seen = asyncio.Event()
        display = app._display

        def timed_display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None and self.shown is not None and self.shown():
                self.at = time.perf_counter()
                self.shown = None
                self.seen.set()

        app._display = timed_display

    async def press(self, key: str, shown: Callable[[], bool]) -> float:
        from textual import events

        self.seen.clear()
        self.shown = shown
        start = time.perf_counter()
        self.app._driver.send_message(events.Key(key, key))
        await asyncio.wait_for(self.seen.wait(), timeout=10)
        return self.at - start


async def bare_presses(n: int) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        BINDINGS = [("y", "bump", "Bump"), ("p", "bump", "Bump")]
        count = 0

        def compose(self) -> ComposeResult:
            yield Label("ready")

        def action_bump(self) -> None:
            self.count += 1
            self.query_one(Label).update(f"pressed {self.count}")

    app = Bare()
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock = FrameClock(app)
        for i in range(n):
            before = app.count
            times.append(await clock.press("y" if i % 2 else "p", lambda: app.count > before))  # noqa: B023
            await pilot.pause()
        assert app.count == n
    return times


async def walker_presses(db: Path, n: int) -> list[float]:
    """Answer the first question, moving back (untimed) after each auto-advance."""
    from auditui.config import Config
    from auditui.services import audits
    from auditui.services.workspace import Workspace
    from auditui.tools.library import ToolLibrary
    from auditui.tui.run import make_app
    from auditui.tui.screens.walker import WalkerScreen

    ws = Workspace.open(db, library=ToolLibrary.load(), config=Config())
    audit_id = audits.start_audit(ws, "smart-plans", "BENCH/1", "CP", "North", "Sam", True)
    app = make_app(ws)
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(WalkerScreen(ws, audit_id))
        await pilot.pause()
        walker = app.screen
        assert isinstance(walker, WalkerScreen)
        first = walker.current
        clock = FrameClock(app)
        for i in range(n):
            times.append(
                await clock.press("y" if i % 2 else "p", lambda: walker.current != first)  # noqa: B023
            )
            await pilot.pause()
            await pilot.press("k")
            assert walker.current == first
    final = audits.load(ws, audit_id).answers[first]
    assert final == ("yes" if (n - 1) % 2 else "partly"), final
    ws.close()
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


async def answers(db: Path, n_answers: int) -> None:
    base: list[float] = []
    walk: list[float] = []
    rounds = 4
    for _ in range(rounds):  # interleaved, so both see the same load
        base += await bare_presses(n_answers // rounds)
        walk += await walker_presses(db, n_answers // rounds)
    print(f"(b) single-key answer -> frame showing the next question, {len(walk)} answers")
    for name, values in (("bare app label update", base), ("auditui walker       ", walk)):
        print(
            f"    {name}: p50 {statistics.median(values) * 1000:6.2f} ms"
            f"  p95 {p95(values) * 1000:6.2f} ms"
        )
    print(f"    p95 ratio {p95(walk) / p95(base):.2f}  (goal <= 3)")


def fill(db: Path, n: int) -> None:
    from auditui.config import Config
    from auditui.services.demo import generate_demo
    from auditui.services.workspace import Workspace
    from auditui.tools.library import ToolLibrary

    ws = Workspace.open(db, library=ToolLibrary.load(), config=Config())
    try:
        generate_demo(ws, audits=n, seed=1)
    finally:
        ws.close()


def main(n_audits: int, n_answers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        db = home / "bench.db"
        began = time.perf_counter()
        fill(db, n_audits)
        print(f"database: {n_audits:,} audits ({time.perf_counter() - began:.1f} s to create)")
        start_up(db, home)
        asyncio.run(answers(db, n_answers))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child_bare() if sys.argv[2] == "bare" else child_auditui(sys.argv[3])
    else:
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 10_000,
            int(sys.argv[2]) if len(sys.argv) > 2 else 200,
        )
