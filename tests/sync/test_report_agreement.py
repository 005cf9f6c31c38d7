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
    open_actions = actions.list_actions(ws, status="open")
    actions.complete_action(ws, open_actions[0].action.id, on=today)  # after finalise: pushed
    folder = tmp_path / "hub"
    folder.mkdir()
    assert run_sync(ws, str(folder)).actions_sent == 1
    # The same outbox again, now to PostgreSQL (an outbox normally feeds one hub).
    ws.store.conn.execute("UPDATE outbox SET sent_at = NULL")
    ws.store.conn.execute("UPDATE action_outbox SET sent_at = NULL")
    assert run_sync(ws, pg_hub.submitter).results_sent > 100
    for by in (None, "team", "month", "tool", "section"):
        local = _comparable(build_report(ws, by=by))
        via_folder = _comparable(build_report(ws, str(folder), by, tmp_path / "index.db"))
        via_postgres = _comparable(build_report(ws, pg_hub.reader, by))
        assert local["audits"] > 100 and local["themes"]
        assert via_folder == local, by
        assert via_postgres == local, by
    ws.close()
