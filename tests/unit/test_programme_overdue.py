"""A planned audit started but not ended when its month is over is missed, and under way.

spec/cli.md fixes the words, and scripts outside auditui rely on them:
missed is "month over and not ended", started or not. The reviewer saw
every started audit of a month just over reported as plainly missed ("10
missed", "missed overdue (Nov)" on home), as if nobody had begun; so
auditui keeps the spec's word and says besides that the work is under way:
``under_way`` on the item, ``missed_under_way`` in ``programme progress``
(JSON, groups and the forum line: "2 missed (1 of them started, not yet
ended)") and "started, not ended (Dec 26)" in the auditor's "Planned for
you".
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


def test_a_started_audit_whose_month_is_over_is_missed_and_counted_under_way(
    ws: Workspace, tmp_path: Path
) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    items = make_plan(ws, per_team=4, auditors=["Ann"]).items
    service.start_planned_audit(ws, items[0].id)
    ended = service.start_planned_audit(ws, items[1].id)
    audits.close_incomplete(ws, ended, "Case closed")
    during = as_json(progress(ws, "2026-12"))
    assert (during["started"], during["missed"], during["missed_under_way"]) == (1, 0, 0)

    ws.today = lambda: dt.date(2027, 1, 4)
    report = progress(ws, "2026-12", by="auditor")
    shown = as_json(report)
    counts = ("planned", "started", "ended", "missed", "missed_under_way")
    assert {k: shown[k] for k in counts} == {
        "planned": 4,
        "started": 0,
        "ended": 1,
        "missed": 3,  # the started one too: its month is over and it has not ended
        "missed_under_way": 1,
    }
    assert {k: shown["groups"][0][k] for k in counts} == {k: shown[k] for k in counts}
    assert forum_line(report) == (
        "Audit programme Dec 2026: 1 of 4 planned audits ended (25.0%), 0 in progress, "
        "0 not started, 3 missed (1 of them started, not yet ended)."
    )
    found = {i.id: i for i in service.show(ws)}
    assert (found[items[0].id].status, found[items[0].id].under_way) == ("missed", True)
    assert (found[items[2].id].status, found[items[2].id].under_way) == ("missed", False)
    assert (found[items[1].id].status, found[items[1].id].under_way) == ("ended", False)
    assert found[items[0].id].as_json()["under_way"] is True

    mine = {p.item.id: p for p in planned_for_you(ws)}
    assert (mine[items[0].id].item.status, mine[items[0].id].due) == (
        "missed",
        "started, not ended (Dec 26)",
    )
    assert (mine[items[2].id].item.status, mine[items[2].id].due) == ("missed", "overdue (Dec 26)")
    assert mine[items[0].id].overdue and mine[items[2].id].overdue
    assert items[1].id not in mine, "an earlier month's ended item is done with"

    baseline = plan_rows.progress_baseline(ws.store, ["2026-12"], "2027-01")
    assert [(r["started"], r["ended"], r["missed"], r["missed_under_way"]) for r in baseline] == [
        (0, 1, 3, 1)
    ]


def test_a_started_item_of_this_month_is_started_and_under_way_not_missed(
    ws: Workspace, tmp_path: Path
) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    items = make_plan(ws, per_team=2, auditors=["Ann"]).items
    service.start_planned_audit(ws, items[0].id)
    found = service.find_item(ws, items[0].id)
    assert (found.status, found.under_way) == ("started", True)
    mine = {p.item.id: p for p in planned_for_you(ws)}
    assert (mine[items[0].id].due, mine[items[0].id].overdue) == ("due by 31 Dec", False)


def test_the_forum_line_says_how_many_of_the_missed_were_started(
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
        "Audit programme Nov 2026 to Dec 2026: 0 of 4 planned audits ended (0.0%), 1 in "
        "progress, 1 not started, 2 missed (1 of them started, not yet ended)."
    ), line
    later = progress(ws, by="team")
    assert (later["missed"], later["missed_under_way"]) == (2, 1)


def test_the_forum_line_adds_nothing_when_no_missed_item_was_started(
    ws: Workspace, tmp_path: Path
) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    make_plan(ws, month="2026-11", per_team=2, auditors=["Ann"])
    assert forum_line(progress(ws)).endswith(" 2 missed."), forum_line(progress(ws))
