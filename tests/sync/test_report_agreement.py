"""One set of measures: the local store, a folder hub and a PostgreSQL hub agree on the same data.

The measures are computed by one pure function over facts; the PostgreSQL
hub counts in SQL views that mirror it (its reader may see nothing else).
These tests hold all three equal, group by group, for every grouping.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sync_support import PgHub, make_config, open_workspace

from auditui.services import actions
from auditui.services.demo import generate_demo
from auditui.services.report import build_report
from auditui.services.sync import run_sync

pytestmark = pytest.mark.postgres


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in ("source", "quarantined")}


def test_local_folder_and_postgres_reports_agree(tmp_path: Path, pg_hub: PgHub) -> None:
    today = dt.date.today()  # the PostgreSQL views count overdue actions against CURRENT_DATE
    ws = open_workspace(tmp_path / "a.db", make_config(tmp_path), today=today)
    generate_demo(ws, 150, seed=11)
    # Many varied audits are needed, and a real hub takes only real ones: here they count
    # as real (the demo marker is the only difference).
    ws.store.conn.execute("UPDATE audits SET demo = 0")
    open_actions = actions.list_actions(ws, status="open")
    actions.complete_action(ws, open_actions[0].action.id, on=today)  # after finalise: pushed
    folder = tmp_path / "hub"
    folder.mkdir()
    assert run_sync(ws, str(folder)).actions_sent == 1
    # Delivery is per hub: the PostgreSQL hub gets every revision too.
    assert run_sync(ws, pg_hub.submitter).results_sent > 100
    index = tmp_path / "index.db"
    for by in (None, "team", "month", "tool", "section"):
        local = _comparable(build_report(ws, by=by))
        via_folder = _comparable(build_report(ws, str(folder), by, index))
        via_postgres = _comparable(build_report(ws, pg_hub.reader, by))
        assert local["audits"] > 100 and local["question_themes"]
        assert via_folder == local, by
        assert via_postgres == local, by
    # A period, and the groupings by case type, kind and auditor.
    months = sorted({g["group"] for g in build_report(ws, by="month")["groups"]})
    start, end = f"{months[1]}-01", f"{months[-2]}-28"
    for by in ("team", "case_type", "kind", "auditor"):
        local = _comparable(build_report(ws, by=by, start=start, end=end))
        via_postgres = _comparable(build_report(ws, pg_hub.reader, by, start=start, end=end))
        assert 0 < local["audits"] < 150 and len(local["groups"]) > 1, by
        assert local["from"] == start and local["to"] == end
        assert via_postgres == local, by
    for by in ("team", "case_type", "kind", "auditor"):
        local = _comparable(build_report(ws, by=by, start=start, end=end))
        via_folder = _comparable(build_report(ws, str(folder), by, index, start, end))
        assert via_folder == local, by
    ws.close()


def test_both_hubs_hide_the_same_groups_at_a_real_threshold(tmp_path: Path, pg_server: Any) -> None:
    from sync_support import new_hub

    today = dt.date.today()
    ws = open_workspace(tmp_path / "a.db", make_config(tmp_path, threshold=8), today=today)
    generate_demo(ws, 120, seed=5)
    ws.store.conn.execute("UPDATE audits SET demo = 0")  # as above: counted as real audits
    hub = new_hub(pg_server, threshold=8)
    folder = tmp_path / "hub"
    folder.mkdir()
    run_sync(ws, str(folder))
    run_sync(ws, hub.submitter)
    index = tmp_path / "index.db"
    hidden = 0
    for by in (None, "team", "month", "tool", "section"):
        via_folder = _comparable(build_report(ws, str(folder), by, index))
        via_postgres = _comparable(build_report(ws, hub.reader, by))
        assert via_postgres == via_folder, by
        hidden += via_folder["suppressed_groups"]
        if via_folder["suppressed_groups"]:
            shown = sum(g["audits"] for g in via_folder["groups"])
            assert via_folder["suppressed_groups"] >= 2, by
            if by != "section":  # sections are not a partition of the audits
                assert via_folder["audits"] - shown >= 8, by
    assert hidden > 0  # the data does have small groups
    ws.close()
