"""What planning a month and reporting progress cost against plain SQL over the same rows.

A QA lead plans each month from the whole case list (a large council's
export is about 100,000 rows) and reports progress over the year's plans.
This builds an N-case list (20 teams; imported through ``cases import``'s
service from a real CSV file), makes 12 months of plans (2026-01 to
2026-12, 1/400 of the list per team each month), starts and ends some of
their audits, then times, interleaved so both see the same machine load:

- planning month 13 (``programme.plan``: the eligibility query with the
  12-month window, the seeded draw, allocation and one transaction writing
  the items) against the eligibility query alone, fetched (the plain SQL
  that reads the same rows);
- ``progress`` over all 12 months by team (every item read, its status
  derived in Python) against one ``GROUP BY`` query giving the same counts
  (``store.programme.progress_baseline``), checked equal first: spec/cli.md's
  planned, started, ended and missed (a month over and not ended, started
  or not), and missed_under_way (the drafts left among the missed).

It prints the medians and their ratios. Usage: python bench/programme.py [N]
(default 100000).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from auditui.config import Config, UserConfig
from auditui.domain.sampling import Month
from auditui.services import audits
from auditui.services import programme as service
from auditui.services.cases import import_cases
from auditui.services.programme_progress import progress
from auditui.services.workspace import Workspace
from auditui.store import cases as case_rows
from auditui.store import programme as plan_rows
from auditui.tools.library import ToolLibrary

TEAMS = 20
TYPES = ("CP", "CIN", "CLA")
REPEATS = 5
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def write_case_list(path: Path, n: int) -> None:
    lines = ["Case ID,Type,Team,Worker,Opened"]
    for i in range(n):
        team = f"Team {i % TEAMS:02d}"
        lines.append(f"CF{i:07d},{TYPES[i % 3]},{team},Worker {i % 500},{1 + i % 28}/03/2025")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(n: int) -> None:
    per_team = max(1, n // TEAMS // 100)
    with tempfile.TemporaryDirectory(prefix="auditui-bench-") as tmp:
        config = Config(user=UserConfig(name="Quinn Lead"))
        ws = Workspace.open(Path(tmp) / "auditui.db", ToolLibrary.load(), config)
        ws.today = lambda: dt.date(2026, 1, 5)
        csv_path = Path(tmp) / "cases.csv"
        write_case_list(csv_path, n)
        maps = ("Case ID=case_ref", "Type=case_type", "Worker=practitioner", "Opened=opened_on")
        took = timed(lambda: import_cases(ws, csv_path, maps))
        print(f"import {n:,} cases: {took:.2f} s")
        auditors = ["Ann", "Bob", "Cai", "Dee", "Eve"]
        for month in MONTHS:
            service.plan(ws, month, "smart-plans", per_team, auditors, seed=month)
        items = service.show(ws)
        for item in items[: min(200, len(items))]:
            audit_id = service.start_planned_audit(ws, item.id)
            if int(item.case_ref[2:]) % 2:
                audits.close_incomplete(ws, audit_id, "Bench")
        print(f"12 months of plans: {len(items):,} items, {per_team} per team a month")
        first_month = Month.parse(min(i.month for i in items[:200])) or Month(2026, 1)
        ws.today = lambda: first_month.first_day  # the month the first audits were started
        assert same_counts(ws, MONTHS)["started"] > 0, "drafts of a month not over: started"
        ws.today = lambda: dt.date(2027, 1, 5)  # the year's plans are over: some missed
        assert same_counts(ws, MONTHS)["missed_under_way"] > 0, "drafts left: missed, under way"

        report_rows = progress(ws, by="team")
        months = report_rows["months"]
        progress_s, sql_s = [], []
        for _ in range(REPEATS):
            sql_s.append(timed(lambda: plan_rows.progress_baseline(ws.store, months, "2027-01")))
            progress_s.append(timed(lambda: progress(ws, by="team")))
        report(
            f"progress over {len(months)} months ({report_rows['planned']:,} items)",
            progress_s,
            sql_s,
        )
        types = list(ws.library.get("smart-plans").applies_to or [])

        def baseline_eligible(month: Month) -> list[object]:
            """The rows plan() reads for ``month``: the same query, the same 12-month window."""
            since = month.shift(-12)
            return case_rows.eligible_cases(
                ws.store, types, since.first_day.isoformat(), str(since), str(month.shift(12))
            )

        eligible = len(baseline_eligible(Month(2027, 1)))
        plan_s, query_s = [], []
        for k in range(REPEATS):
            month = Month(2027, k + 1)  # each run plans a month of its own, as a QA lead would
            query_s.append(timed(lambda month=month: baseline_eligible(month)))
            plan_s.append(
                timed(
                    lambda month=month: service.plan(
                        ws, str(month), "smart-plans", per_team, auditors, seed="bench"
                    )
                )
            )
        report(f"plan a month ({eligible:,} eligible cases)", plan_s, query_s)

        ws.close()


COUNTED = ("planned", "started", "ended", "missed", "missed_under_way")


def same_counts(ws: Workspace, months: list[str]) -> dict[str, int]:
    """Check ``progress`` by team equals the baseline SQL on ``ws.today()``; the totals."""
    this_month = str(Month.of(ws.today()))
    groups = progress(ws, by="team")["groups"]
    base_rows = plan_rows.progress_baseline(ws.store, months, this_month)
    assert [g["group"] for g in groups] == [r["grp"] for r in base_rows]
    for group, row in zip(groups, base_rows, strict=True):
        got = tuple(group[k] for k in COUNTED)
        assert got == tuple(row[k] for k in COUNTED), (this_month, got, dict(row))
    return {k: sum(row[k] for row in base_rows) for k in COUNTED}


def report(what: str, ours: list[float], baseline: list[float]) -> None:
    a, b = statistics.median(ours), statistics.median(baseline)
    print(f"{what}: {a * 1000:.1f} ms vs plain SQL {b * 1000:.1f} ms; ratio {a / b:.2f}")


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
