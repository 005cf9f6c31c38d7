"""Progress of the programme through the services, on a real SQLite file.

planned / started / ended / missed by team and auditor, the % ended rounded
half up as Excel would, the forum's one line, and the same counts as a plain
SQL ``GROUP BY`` over the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_programme import case_lines, load_cases, make_plan, make_ws

from auditui.services import audits
from auditui.services import programme as service
from auditui.services.programme_progress import as_json, forum_line, progress
from auditui.services.workspace import Workspace
from auditui.store import programme as plan_rows

SPEC_KEYS = ["planned", "started", "ended", "missed", "ended_pct"]
"""spec/cli.md's counts, in its order; scripts outside auditui read them."""


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = make_ws(tmp_path / "auditui.db")
    yield workspace
    workspace.close()


def test_progress_counts_by_status_team_and_auditor(ws: Workspace, tmp_path: Path) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 20, "South": 20}))
    items = make_plan(ws, per_team=8).items  # 16 items
    ended = service.start_planned_audit(ws, items[0].id)
    audits.close_incomplete(ws, ended, "Case closed")
    service.start_planned_audit(ws, items[1].id)
    report = progress(ws, "2026-12", by="team")
    assert as_json(report) == {
        "planned": 16,
        "started": 1,
        "ended": 1,
        "missed": 0,
        "ended_pct": 6.3,  # 6.25 rounded half up, as Excel would
        "groups": [
            {
                "group": "North",
                "planned": 8,
                "started": 1,
                "ended": 1,
                "missed": 0,
                "ended_pct": 12.5,
                "missed_under_way": 0,
            },
            {
                "group": "South",
                "planned": 8,
                "started": 0,
                "ended": 0,
                "missed": 0,
                "ended_pct": 0.0,
                "missed_under_way": 0,
            },
        ],
        "missed_under_way": 0,
    }
    assert list(as_json(report))[:6] == [*SPEC_KEYS, "groups"]  # spec/cli.md's, in its order
    assert forum_line(report) == (
        "Audit programme Dec 2026: 1 of 16 planned audits ended (6.3%), 1 in progress, "
        "14 not started, 0 missed."
    )
    by_auditor = progress(ws, by="auditor")
    assert [(g["group"], g["planned"]) for g in by_auditor["groups"]] == [("Ann", 8), ("Bob", 8)]
    ws.today = lambda: dt.date(2027, 1, 1)
    later = progress(ws)  # the month over: the started audit is missed, and under way
    assert (later["missed"], later["ended"], later["started"], later["missed_under_way"]) == (
        15,
        1,
        0,
        1,
    )
    baseline = plan_rows.progress_baseline(ws.store, ["2026-12"], "2027-01")
    assert sum(r["missed"] for r in baseline) == 15 and sum(r["ended"] for r in baseline) == 1
    assert sum(r["started"] for r in baseline) == 0
    assert sum(r["missed_under_way"] for r in baseline) == 1


def test_progress_with_nothing_planned(ws: Workspace) -> None:
    report = progress(ws)
    assert as_json(report) == {
        "planned": 0,
        "started": 0,
        "ended": 0,
        "missed": 0,
        "ended_pct": None,
        "groups": [],
        "missed_under_way": 0,
    }
    assert forum_line(report) == "Audit programme: nothing is planned yet."
