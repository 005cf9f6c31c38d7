"""The audit programme from the command line: cases import and list, programme plan, show,
assign and progress, and `audit new --plan`, as real `python -m auditui` subprocesses.

Bad input gives exit 1 and one sentence on stderr, never a traceback; the
JSON documents carry the keys spec/cli.md gives, in its order and with its
meanings, and after them only the keys auditui adds (``under_way``,
``missed_under_way``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import RunCli, ok, refused

from auditui.domain.sampling import Month

MONTH = Month.of(dt.date.today()).shift(2)
"""A month still to come whenever the suite runs, so its items are planned, not missed."""


SHOW_KEYS = [
    "id",
    "month",
    "case_ref",
    "case_type",
    "team",
    "tool",
    "kind",
    "auditor",
    "status",
    "audit_id",
]


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """A case list as Excel's "CSV UTF-8" saves it: a byte order mark, CRLF, UK dates."""
    lines = ["Case ID,Type,Team,Worker,Opened"]
    for n in range(1, 13):
        team = "North" if n % 2 else "South"
        lines.append(f"CF{n:04d},CP,{team},Worker {n},0{n % 9 + 1}/03/2026")
    lines.append('CF0099,CIN,South,"=HYPERLINK(""http://x"")",01/01/2026')
    path = tmp_path / "Mosaic export.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return path


MAPS = ("--map", "Case ID=case_ref", "--map", "Type=case_type", "--map", "Worker=practitioner")
PLAN = ("programme", "plan", "--month", str(MONTH), "--tool", "smart-plans", "--per-team", "2")


def imported(run_cli: RunCli, case_file: Path) -> None:
    out = ok(run_cli("cases", "import", case_file, *MAPS, "--map", "Opened=opened_on"))
    assert "Imported 13 cases in 2 teams from Mosaic export.csv" in out


def test_import_then_list_as_json_and_formula_safe_csv(run_cli: RunCli, case_file: Path) -> None:
    imported(run_cli, case_file)
    found = json.loads(ok(run_cli("cases", "list", "--team", "South", "--format", "json")))
    assert [c["case_ref"] for c in found] == [
        "CF0002",
        "CF0004",
        "CF0006",
        "CF0008",
        "CF0010",
        "CF0012",
        "CF0099",
    ]
    assert found[0] == {
        "case_ref": "CF0002",
        "case_type": "CP",
        "team": "South",
        "practitioner": "Worker 2",
        "opened_on": "2026-03-03",
        "closed_on": None,
    }
    text = ok(run_cli("cases", "list", "--format", "csv"))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["case_ref", "case_type", "team", "practitioner", "opened_on", "closed_on"]
    assert rows[-1][3] == '\'=HYPERLINK("http://x")'  # shown as text, never run
    assert "13 cases." in ok(run_cli("cases", "list"))


def test_a_bad_row_is_refused_naming_file_line_and_column(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("case_ref,team,opened_on\nCF1,North,2026-01-01\nCF2,North,32/01/2026\n")
    line = refused(run_cli("cases", "import", path))
    assert "bad.csv line 3, column 'opened_on': Opened on: '32/01/2026'" in line
    assert json.loads(ok(run_cli("cases", "list", "--format", "json"))) == []
    assert "not a regular file" in refused(run_cli("cases", "import", tmp_path))


def test_plan_show_assign_and_progress(run_cli: RunCli, case_file: Path) -> None:
    imported(run_cli, case_file)
    out = ok(run_cli(*PLAN, "--auditor", "Ann", "--auditor", "Bob", "--seed", "7"))
    assert f"Planned 4 audits for {MONTH} in 2 teams (seed 7;" in out
    items = json.loads(ok(run_cli("programme", "show", "--month", str(MONTH), "--format", "json")))
    # spec/cli.md's keys in its order, then one added key (no spec key changes meaning)
    assert [list(i) for i in items] == [[*SHOW_KEYS, "under_way"]] * 4
    assert [(i["team"], i["auditor"], i["status"]) for i in items] == [
        ("North", "Ann", "planned"),
        ("North", "Bob", "planned"),
        ("South", "Ann", "planned"),
        ("South", "Bob", "planned"),
    ]
    ok(run_cli("programme", "assign", items[0]["id"][:8], "--auditor", "Cai"))
    csv_rows = list(
        csv.reader(io.StringIO(ok(run_cli("programme", "show", "--format", "csv")), newline=""))
    )
    assert csv_rows[0] == SHOW_KEYS and csv_rows[1][7] == "Cai"
    report = json.loads(ok(run_cli("programme", "progress", "--by", "auditor", "--format", "json")))
    spec_keys = ["planned", "started", "ended", "missed", "ended_pct"]
    assert list(report) == [*spec_keys, "groups", "missed_under_way"]
    assert [list(g) for g in report["groups"]] == [["group", *spec_keys, "missed_under_way"]] * 3
    assert (report["planned"], report["ended_pct"]) == (4, 0.0)
    assert [g["group"] for g in report["groups"]] == ["Ann", "Bob", "Cai"]
    table = ok(run_cli("programme", "progress", "--month", str(MONTH)))
    shown = f"{MONTH.first_day:%b %Y}"  # the forum line writes a month the UK way
    assert f"Audit programme {shown}: 0 of 4 planned audits ended (0.0%)" in table


def test_the_same_seed_reprints_the_same_plan_elsewhere(
    run_cli: RunCli, case_file: Path, tmp_path: Path
) -> None:
    imported(run_cli, case_file)
    ok(run_cli(*PLAN, "--auditor", "Ann", "--seed", "spring"))
    first = json.loads(ok(run_cli("programme", "show", "--format", "json")))
    other = tmp_path / "other.db"
    ok(run_cli("--db", other, "cases", "import", case_file, *MAPS))
    ok(run_cli("--db", other, *PLAN, "--auditor", "Ann", "--seed", "spring"))
    second = json.loads(ok(run_cli("--db", other, "programme", "show", "--format", "json")))
    assert [i["case_ref"] for i in first] == [i["case_ref"] for i in second]


def test_help_names_the_generator(run_cli: RunCli) -> None:
    assert "Mersenne Twister" in ok(run_cli("programme", "plan", "--help"))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--month", "2026-13"), "--month: '2026-13' is not a month; write it as YYYY-MM"),
        (("--tool", "nope"), "No audit tool 'nope' is loaded"),
        (("--per-team", "9"), f"planned since {MONTH.shift(-12)}): North 6, South 7."),
        ((), "Name at least one auditor"),
    ],
)
def test_a_plan_is_refused_in_one_sentence(
    run_cli: RunCli, case_file: Path, args: tuple[str, ...], words: str
) -> None:
    imported(run_cli, case_file)
    base = dict(zip(PLAN[2::2], PLAN[3::2], strict=True))
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    command = ["programme", "plan", *[x for kv in base.items() for x in kv]]
    if args:
        command += ["--auditor", "Ann"]
    assert words in refused(run_cli(*command))
    assert json.loads(ok(run_cli("programme", "show", "--format", "json"))) == []


def test_audit_new_plan_starts_the_item_s_audit(run_cli: RunCli, case_file: Path) -> None:
    imported(run_cli, case_file)
    ok(run_cli(*PLAN, "--auditor", "Ann", "--seed", "1"))
    item = json.loads(ok(run_cli("programme", "show", "--format", "json")))[0]
    audit_id = ok(run_cli("audit", "new", "--plan", item["id"][:8])).strip()
    shown = json.loads(ok(run_cli("audit", "show", audit_id, "--format", "json")))
    assert (shown["case_type"], shown["team"], shown["auditor"]) == ("CP", item["team"], "Ann")
    after = json.loads(ok(run_cli("programme", "show", "--format", "json")))[0]
    assert (after["status"], after["audit_id"]) == ("started", audit_id)
    assert "already has audit" in refused(run_cli("audit", "new", "--plan", item["id"]))


def test_two_plans_made_at_once_never_take_the_same_case(
    run_cli: RunCli, case_file: Path, child_env: dict[str, str]
) -> None:
    """Two QA leads' scripts plan the same month with the same seed at the same moment:
    the second draws from what the first left, so no case is planned twice."""
    imported(run_cli, case_file)
    command = [sys.executable, "-m", "auditui", *PLAN, "--per-team", "3", "--auditor", "Ann"]
    command += ["--seed", "same"]
    runs = [
        subprocess.Popen(command, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    items = json.loads(ok(run_cli("programme", "show", "--format", "json")))
    refs = [i["case_ref"] for i in items]
    assert len(refs) == 12 and len(set(refs)) == 12


def test_help_says_a_quota_per_case_type_is_one_plan_per_type(run_cli: RunCli) -> None:
    text = " ".join(ok(run_cli("programme", "plan", "--help")).split())
    assert "A quota per case type is one plan per type" in text
