"""`programme show` and `programme progress` on a month that is over, as real subprocesses.

A planned audit started last month and not ended is "started, overdue" in
the table (JSON keeps "started"), counted under "started overdue" and not
as missed; one never started is missed.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from auditui.domain.sampling import Month

Result = subprocess.CompletedProcess[str]
RunCli = Callable[..., Result]
LAST_MONTH = Month.of(dt.date.today()).shift(-1)


def ok(result: Result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_last_months_started_audit_is_started_and_overdue_not_missed(
    run_cli: RunCli, tmp_path: Path
) -> None:
    cases = tmp_path / "cases.csv"
    rows = [f"CF{n:04d},CP,North,Worker {n}" for n in range(1, 7)]
    cases.write_text("case_ref,case_type,team,practitioner\n" + "\n".join(rows) + "\n")
    ok(run_cli("cases", "import", cases))
    ok(
        run_cli(
            "programme",
            "plan",
            "--month",
            str(LAST_MONTH),
            "--tool",
            "smart-plans",
            "--per-team",
            "2",
            "--auditor",
            "Ann",
            "--seed",
            "3",
        )  # fmt: skip
    )
    items = json.loads(ok(run_cli("programme", "show", "--format", "json")))
    ok(run_cli("audit", "new", "--plan", items[0]["id"]))
    shown = json.loads(ok(run_cli("programme", "show", "--format", "json")))
    assert sorted(i["status"] for i in shown) == ["missed", "started"]
    table = ok(run_cli("programme", "show"))
    assert "started, overdue" in " ".join(table.split()), table
    report = json.loads(ok(run_cli("programme", "progress", "--format", "json")))
    assert (report["started"], report["started_overdue"], report["missed"]) == (1, 1, 1)
    text = ok(run_cli("programme", "progress"))
    assert "started overdue" in text
    assert "1 in progress (1 overdue), 0 not started, 1 missed." in " ".join(text.split())
    helped = ok(run_cli("programme", "progress", "--help"))
    assert "started overdue" in helped and "no audit was started" in helped
