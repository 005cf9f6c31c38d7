"""`programme show` and `programme progress` on a month that is over, as real subprocesses.

spec/cli.md is a contract with scripts outside auditui: show's status is
"planned | started | ended | missed (month over and not ended)", and
progress counts {planned, started, ended, missed, ended_pct, groups} with
those meanings. A planned audit started last month and not ended is
therefore missed; auditui says besides, in keys and words of its own, that
the work is under way.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from cli_support import RunCli, ok

from auditui.domain.sampling import Month

LAST_MONTH = Month.of(dt.date.today()).shift(-1)


def plan_last_month_and_start_one(run_cli: RunCli, tmp_path: Path) -> list[dict[str, Any]]:
    """Six North cases, two planned for Ann last month, the first of them started and not
    ended; returns the plan's items as `programme show --format json` gives them."""
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
    items: list[dict[str, Any]] = json.loads(ok(run_cli("programme", "show", "--format", "json")))
    ok(run_cli("audit", "new", "--plan", items[0]["id"]))
    return items


def test_contract_an_item_started_in_a_past_month_and_not_ended_is_missed(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """spec/cli.md's contract: "missed" in show json, counted in progress json "missed"
    (and in auditui's added "missed_under_way"), never "started"."""
    items = plan_last_month_and_start_one(run_cli, tmp_path)

    shown = {i["id"]: i for i in json.loads(ok(run_cli("programme", "show", "--format", "json")))}
    begun, untouched = shown[items[0]["id"]], shown[items[1]["id"]]
    assert (begun["status"], begun["under_way"]) == ("missed", True)
    assert begun["audit_id"]
    assert (untouched["status"], untouched["under_way"]) == ("missed", False)

    report = json.loads(ok(run_cli("programme", "progress", "--format", "json")))
    assert {k: report[k] for k in ("planned", "started", "ended", "missed")} == {
        "planned": 2,
        "started": 0,
        "ended": 0,
        "missed": 2,
    }
    assert report["missed_under_way"] == 1
    by_team = json.loads(ok(run_cli("programme", "progress", "--by", "team", "--format", "json")))[
        "groups"
    ]
    assert [(g["group"], g["missed"], g["missed_under_way"]) for g in by_team] == [("North", 2, 1)]


def test_the_table_and_the_forum_line_say_the_missed_one_is_under_way(
    run_cli: RunCli, tmp_path: Path
) -> None:
    plan_last_month_and_start_one(run_cli, tmp_path)
    table = " ".join(ok(run_cli("programme", "show")).split())
    assert "missed (started, not ended)" in table, table
    text = " ".join(ok(run_cli("programme", "progress")).split())
    assert "missed under way" in text
    assert "0 in progress, 0 not started, 2 missed (1 of them started, not yet ended)." in text
    helped = " ".join(ok(run_cli("programme", "progress", "--help")).split())
    assert "missed: the month is over and the audit has not ended, started or not" in helped
    assert "missed_under_way" in helped and "still a draft" in helped
    helped = " ".join(ok(run_cli("programme", "show", "--help")).split())
    assert "missed: the month is over and the audit has not ended, started or not" in helped
    assert "under_way" in helped
