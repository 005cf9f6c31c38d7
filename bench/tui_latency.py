"""How quick the TUI feels, against a bare Textual app on the same machine in the same run.

(a) Start-up: from creating the app to the home screen showing its first
page of audits, on a database of N audits (default 10,000), as a ratio to a
bare Textual app with one Label reaching ready. Timed twice: the app alone
(workspace already open, as the tests build it) and the app plus opening
the workspace (database and tool library), which is what `auditui` does.
The tool library comes from its parse cache, as on every start after a
user's first; the first start ever (no cache: every YAML file parsed) is
printed too. Goal: <= 1.5.

(b) Answer latency: the p95 time from a single-key answer (`y`/`p`) in the
walker to the next question being shown (the answer committed, the audit
regraded, the screen refreshed), as a ratio to a bare Textual app updating
one Label on a key press, both driven by the same Pilot ``press``. Goal: <= 3.

Both apps run headless via ``run_test`` in this one process, interleaved, so
they see the same interpreter, disk and machine load. No absolute times are
claimed; they are printed only to explain the ratios.

Usage: python bench/tui_latency.py [N_AUDITS] [N_ANSWERS]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Label

from auditui.config import Config
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary
from auditui.tui.run import make_app
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.audit_table import AuditTable

SIZE = (120, 36)
STARTS = 7
"""Start-up runs of each app; the median is compared."""


class BareApp(App[None]):
    """The baseline: one Label, one key that changes it."""

    BINDINGS = [Binding("y", "bump", "Bump"), Binding("p", "bump", "Bump")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Label("ready", id="label")

    def action_bump(self) -> None:
        self.count += 1
        self.query_one(Label).update(f"pressed {self.count}")


def fill(db: Path, n: int) -> None:
    """N audits in the database, by the demo generator if present, else through the services."""
    ws = Workspace.open(db, library=ToolLibrary.load(), config=Config())
    try:
        try:
            from auditui.services.demo import generate_demo
        except ImportError:
            for i in range(n):
                audits.start_audit(ws, "smart-plans", f"B/{i:06d}", "CP", "North", "Sam", True)
        else:
            generate_demo(ws, audits=n, seed=1)
    finally:
        ws.close()


async def bare_start() -> float:
    start = time.perf_counter()
    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.query_one(Label)
        elapsed = time.perf_counter() - start
    return elapsed


async def auditui_start(db: Path, library: ToolLibrary | None, cache: bool = True) -> float:
    """Seconds to the home table's first page; ``library=None`` times opening it too."""
    start = time.perf_counter()
    ws = Workspace.open(db, library=library or ToolLibrary.load(cache=cache), config=Config())
    app = make_app(ws)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(AuditTable)
        while table.row_count == 0 and table.total:
            await pilot.pause()
        elapsed = time.perf_counter() - start
    ws.close()
    return elapsed


async def bare_presses(n: int) -> list[float]:
    app = BareApp()
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for i in range(n):
            start = time.perf_counter()
            await pilot.press("y" if i % 2 else "p")
            times.append(time.perf_counter() - start)
        assert app.count == n
    return times


async def walker_presses(db: Path, library: ToolLibrary, n: int) -> list[float]:
    """Answer the first question, moving back (untimed) after each auto-advance."""
    ws = Workspace.open(db, library=library, config=Config())
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
        for i in range(n):
            start = time.perf_counter()
            await pilot.press("y" if i % 2 else "p")
            times.append(time.perf_counter() - start)
            assert walker.current != first, "the walker did not move on"
            await pilot.press("k")
            assert walker.current == first
    final = audits.load(ws, audit_id).answers[first]
    assert final == ("yes" if (n - 1) % 2 else "partly"), final
    ws.close()
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


async def main(n_audits: int, n_answers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        began = time.perf_counter()
        fill(db, n_audits)
        print(f"database: {n_audits:,} audits ({time.perf_counter() - began:.1f} s to create)")
        library = ToolLibrary.load()
        await bare_start()  # warm both paths once (imports, CSS parsing caches)
        await auditui_start(db, library)
        bare, app_only, app_open, app_cold = [], [], [], []
        for _ in range(STARTS):
            bare.append(await bare_start())
            app_only.append(await auditui_start(db, library))
            app_open.append(await auditui_start(db, None))
            app_cold.append(await auditui_start(db, None, cache=False))
        b, a, o, c = (statistics.median(x) for x in (bare, app_only, app_open, app_cold))
        print("(a) start-up to the home screen ready, median of", STARTS)
        print(f"    bare Textual app (one Label):        {b * 1000:7.1f} ms")
        print(f"    auditui, workspace already open:     {a * 1000:7.1f} ms  ratio {a / b:.2f}")
        print(f"    auditui, opening db + tool library:  {o * 1000:7.1f} ms  ratio {o / b:.2f}")
        print(f"    (first start ever, no parse cache:   {c * 1000:7.1f} ms  ratio {c / b:.2f})")
        print("    goal: ratio <= 1.5")

        base: list[float] = []
        walk: list[float] = []
        rounds = 4
        for _ in range(rounds):  # interleaved, so both see the same load
            base += await bare_presses(n_answers // rounds)
            walk += await walker_presses(db, library, n_answers // rounds)
        print(f"(b) single-key answer -> next question shown, {len(walk)} answers")
        print(
            f"    bare app label update: p50 {statistics.median(base) * 1000:6.1f} ms"
            f"  p95 {p95(base) * 1000:6.1f} ms"
        )
        print(
            f"    auditui walker:        p50 {statistics.median(walk) * 1000:6.1f} ms"
            f"  p95 {p95(walk) * 1000:6.1f} ms"
        )
        print(f"    p95 ratio {p95(walk) / p95(base):.2f}  (goal <= 3)")


def _args(argv: list[str]) -> tuple[int, int]:
    n_audits = int(argv[1]) if len(argv) > 1 else 10_000
    n_answers = int(argv[2]) if len(argv) > 2 else 200
    return n_audits, n_answers


if __name__ == "__main__":
    asyncio.run(main(*_args(sys.argv)))
