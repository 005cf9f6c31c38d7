"""How much one `answer()` costs compared with the cheapest durable write SQLite can do.

An auditor answers a question with one keystroke and expects the next
question at once, and every answer is its own committed transaction. This
times N ``answer()`` service calls (validation, history, regrading, commit)
against N bare ``INSERT`` + ``COMMIT`` statements into a similar table, with
the same pragmas (WAL, ``synchronous=FULL``) on a database in the same
directory, interleaved in blocks so both see the same disk and machine
load. It prints p50 and p95 of each and their ratios (goal: <= 2).

Answers come 60 to an audit, one after another, as in the walker: the
first answer on each audit reads it from the file, the rest are served by
the workspace's audit cache (checked against ``PRAGMA data_version`` on
every call) and regrade only the section they touch.

Usage: python bench/answer_latency.py [N]   (N answers, default 500)
       python bench/answer_latency.py N --profile   (also cProfile the answers)
       python bench/answer_latency.py N --tool ID[@VERSION]   (default case-file-audit, newest)

A format 2 tool is graded whole on every answer (sections may hang on the
audit's details and N/A marks, computed answers follow any date); its date
questions are answered too, in order, so its computed answers are worked out
on the answer path. Compare a tool's format 1 version with its format 2 one:
``--tool case-file-audit@1`` against ``--tool case-file-audit@2``.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from auditui.config import Config
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

TOOL = "case-file-audit"
BLOCK = 10
ANSWERS_PER_AUDIT = 60


def answer_plan(ws: Workspace, tool_id: str, version: int | None) -> list[tuple[str, list[Any]]]:
    """Questions always shown, with the values each can cycle through.

    Dates (format 2 tools) move by a day or two around a week apart in tool
    order, so a date never falls before one an earlier date question names.
    """
    tool = ws.library.get(tool_id, version)
    plan = []
    week = 0
    for section in tool.sections:
        if section.show_if is not None:
            continue  # may not be shown for the bench's case type
        for question in section.questions:
            if question.show_if is not None or question.compute is not None:
                continue
            values = question.choice_values(tool.scale_def)
            if question.type == "date" and tool.format >= 2:
                week += 1
                first = dt.date(2025, 1, 6) + dt.timedelta(weeks=week)
                values = tuple((first + dt.timedelta(days=d)).isoformat() for d in range(3))
            if values:
                plan.append((question.id, list(values)))
    return plan


def run(n: int, profile: bool, tool_id: str = TOOL, version: int | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="auditui-bench-") as tmp:
        ws = Workspace.open(Path(tmp) / "auditui.db", ToolLibrary.load(), Config())
        base = sqlite3.connect(Path(tmp) / "baseline.db", isolation_level=None)
        base.execute("PRAGMA journal_mode = WAL")
        base.execute("PRAGMA synchronous = FULL")
        base.execute("PRAGMA foreign_keys = ON")
        base.execute(
            "CREATE TABLE answers (audit_id TEXT NOT NULL, question_id TEXT NOT NULL, value TEXT,"
            " evidence TEXT, answered_by TEXT NOT NULL, answered_at TEXT NOT NULL)"
        )
        plan = answer_plan(ws, tool_id, version)
        tool = ws.library.get(tool_id, version)
        audit_ids: list[str] = []

        def next_answer(i: int) -> tuple[str, str, Any]:
            if i % ANSWERS_PER_AUDIT == 0:
                audit_ids.append(
                    audits.start_audit(
                        ws,
                        tool_id,
                        f"B{i:06d}",
                        "CP",
                        "North",
                        "Pat",
                        True,
                        tool_version=tool.version,
                    )
                )
            question, values = plan[i % len(plan)]
            return audit_ids[-1], question, values[(i // len(plan)) % len(values)]

        def time_answers(start: int, count: int) -> list[float]:
            out = []
            for i in range(start, start + count):
                audit_id, question, value = next_answer(i)
                t0 = time.perf_counter()
                audits.answer(ws, audit_id, question, value, f"note {i}")
                out.append(time.perf_counter() - t0)
            return out

        def time_inserts(start: int, count: int) -> list[float]:
            out = []
            for i in range(start, start + count):
                row = (
                    f"audit-{i // ANSWERS_PER_AUDIT}",
                    f"q{i % 30}",
                    '"yes"',
                    f"note {i}",
                    "bench",
                    "2026-12-10T10:00:00.000000+00:00",
                )
                t0 = time.perf_counter()
                base.execute("BEGIN IMMEDIATE")
                base.execute(
                    "INSERT INTO answers (audit_id, question_id, value, evidence, answered_by,"
                    " answered_at) VALUES (?, ?, ?, ?, ?, ?)",
                    row,
                )
                base.execute("COMMIT")
                out.append(time.perf_counter() - t0)
            return out

        time_answers(6_000_000, 20)  # warm up both paths (imports, caches, WAL files)
        time_inserts(6_000_000, 20)
        answer_times: list[float] = []
        insert_times: list[float] = []
        profiler = cProfile.Profile() if profile else None
        for start in range(0, n, BLOCK):
            count = min(BLOCK, n - start)
            if profiler is not None:
                profiler.enable()
            answer_times += time_answers(start, count)
            if profiler is not None:
                profiler.disable()
            insert_times += time_inserts(start, count)
        ws.close()
        base.close()

    a50, a95 = percentile(answer_times, 50), percentile(answer_times, 95)
    b50, b95 = percentile(insert_times, 50), percentile(insert_times, 95)
    what = f"{tool_id} v{tool.version} (format {tool.format})"
    print(f"answer() on {what}: {n} calls, {len(audit_ids)} audits, blocks of {BLOCK}")
    print(f"  answer():              p50 {a50 * 1e3:8.3f} ms   p95 {a95 * 1e3:8.3f} ms")
    print(f"  bare INSERT + COMMIT:  p50 {b50 * 1e3:8.3f} ms   p95 {b95 * 1e3:8.3f} ms")
    print(f"  ratio p50 {a50 / b50:.2f}   ratio p95 {a95 / b95:.2f}   (goal <= 2)")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[pct - 1]


def main() -> None:
    argv = sys.argv[1:]
    tool_id, version = TOOL, None
    if "--tool" in argv:
        at = argv.index("--tool")
        tool_id, _, given = argv[at + 1].partition("@")
        version = int(given) if given else None
        del argv[at : at + 2]
    args = [a for a in argv if not a.startswith("--")]
    n = int(args[0]) if args else 500
    if n < 1:
        raise SystemExit("N must be at least 1")
    run(n, "--profile" in argv, tool_id, version)


if __name__ == "__main__":
    main()
