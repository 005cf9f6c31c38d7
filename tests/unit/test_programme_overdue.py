"""A planned audit started but not ended when its month is over is started and overdue.

The reviewer saw every started audit of a month just over reported as
missed: "0 of 10 planned audits ended (0.0%), 0 in progress, 0 not started,
10 missed." and "missed overdue (Nov)" on home. Missed now means the month
is over and no audit was started; a started one stays started, counted
again as ``started_overdue``, the same in ``programme progress`` (JSON and
forum line), ``programme show`` and the auditor's "Planned for you".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_programme import case_lines, load_cases, make_plan, make_ws

from auditui.services import audits
from auditui.services import programme as service
from auditui.services.planned_for_you import planned_for_you
from auditui.services.programme_progress import as_json, forum_line, progress
from auditui.services.workspace import Workspace
from auditui.store import programme as plan_rows


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = make_ws(tmp_path / "auditui.db", user="Ann")
    yield workspace
    workspace.close()


def test_a_started_audit_is_still_started_once_its_month_is_over_and_counted_overdue(
    ws: Workspace, tmp_path: Path
) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    items = make_plan(ws, per_team=4, auditors=["Ann"]).items
    service.start_planned_audit(ws, items[0].id)
    ended = service.start_planned_audit(ws, items[1].id)
    audits.close_incomplete(ws, ended, "Case closed")
    during = as_json(progress(ws, "2026-12"))
    assert (during["started"], during["started_overdue"], during["missed"]) == (1, 0, 0)

    ws.today = lambda: dt.date(2027, 1, 4)
    report = progress(ws, "2026-12", by="auditor")
    shown = as_json(report)
    assert {k: shown[k] for k in ("planned", "started", "started_overdue", "ended", "missed")} == {
        "planned": 4,
        "started": 1,
        "started_overdue": 1,
        "ended": 1,
        "missed": 2,
    }
    assert shown["groups"][0]["started_overdue"] == 1
    assert forum_line(report) == (
        "Audit programme Dec 2026: 1 of 4 planned audits ended (25.0%), 1 in progress (1 "
        "overdue), 0 not started, 2 missed."
    )
    found = {i.id: i for i in service.show(ws)}
    assert (found[items[0].id].status, found[items[0].id].overdue) == ("started", True)
    assert (found[items[2].id].status, found[items[2].id].overdue) == ("missed", True)
    assert (found[items[1].id].status, found[items[1].id].overdue) == ("ended", False)

    mine = {p.item.id: p for p in planned_for_you(ws)}
    assert (mine[items[0].id].item.status, mine[items[0].id].due) == ("started", "overdue (Dec 26)")
    assert mine[items[0].id].overdue
    assert items[1].id not in mine, "an earlier month's ended item is done with"

    baseline = plan_rows.progress_baseline(ws.store, ["2026-12"], "2027-01")
    assert [(r["started"], r["missed"], r["ended"]) for r in baseline] == [(1, 2, 1)]


def test_the_forum_line_counts_one_overdue_among_several_in_progress(
    ws: Workspace, tmp_path: Path
) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    make_plan(ws, month="2026-11", per_team=2, auditors=["Ann"])
    dec = make_plan(ws, per_team=2, auditors=["Ann"], seed="9").items
    nov = [i for i in service.show(ws) if i.month == "2026-11"]
    service.start_planned_audit(ws, nov[0].id)
    service.start_planned_audit(ws, dec[0].id)
    line = forum_line(progress(ws))
    assert line == (
        "Audit programme Nov 2026 to Dec 2026: 0 of 4 planned audits ended (0.0%), 2 in "
        "progress (1 overdue), 1 not started, 1 missed."
    ), line
