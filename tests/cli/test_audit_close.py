"""`auditui audit close`: an audit cannot end before it started.

Finalise already refused an end date before the audit's start; closing
as incomplete must refuse it the same way, naming the field and both
dates, exit 1, and change nothing.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from test_audit_cli import NEW, RunCli, ok, refused


def test_close_refuses_a_date_before_the_audit_started(run_cli: RunCli, isolated_env: Any) -> None:
    audit_id = ok(run_cli(*NEW)).strip()
    started = json.loads(ok(run_cli("audit", "show", audit_id, "--format", "json")))["started_on"]

    err = refused(
        run_cli("audit", "close", audit_id, "--reason", "Case transferred.", "--on", "2000-01-03")
    )
    assert err.strip() == (
        f"auditui: Close date: 2000-01-03 is before the audit started ({started})."
    )
    shown = json.loads(ok(run_cli("audit", "show", audit_id, "--format", "json")))
    assert shown["status"] == "draft"
    with sqlite3.connect(isolated_env.db) as conn:
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0

    out = ok(run_cli("audit", "close", audit_id, "--reason", "Case transferred.", "--on", started))
    assert f"as incomplete on {started}" in out
    shown = json.loads(ok(run_cli("audit", "show", audit_id, "--format", "json")))
    assert shown["status"] == "closed_incomplete"
