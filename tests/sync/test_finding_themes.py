"""The themes findings raise: in the graded result, kept by both hubs, counted in reports.

One auditor's real audits (real SQLite file, themes recorded through the
themes service before each audit ends) go to a real folder hub and a real
PostgreSQL hub as graded results; the report's ``themes`` over the local
store, the folder hub and the PostgreSQL hub must agree with each other and
with a count written here from the data, overall, per group and over a
period; a hub's small-group suppression hides a group's themes with it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sync_support import PgHub, finished_audit, make_config, new_hub, open_workspace

from auditui.services import themes as theme_service
from auditui.services.report import build_report
from auditui.services.sync import run_sync, tool_lookup
from auditui.services.workspace import Workspace
from auditui.sync.build import graded_result
from auditui.sync.facts import finding_themes_of
from auditui.sync.folder import FolderHub
from auditui.sync.postgres import PostgresHub
from auditui.sync.pseudonym import load_or_create_key
from auditui.sync.result import GradedResult
from auditui.sync.result_extras import result_extras

THEMES = (
    "Voice of the child",
    "SMART planning",
    "Contingency planning",
    "Risk assessment",
    "Management oversight",
    "Drift and delay",
)
TEAMS = ["North Locality"] * 6 + ["South Locality"] * 5 + ["East Locality"] * 3
FEBRUARY = ("2026-02-01", "2026-02-28")


def _themes_for(n: int) -> dict[str, list[str]]:
    """A spread of themes: some audits none, some several, kinds overlapping."""
    return {
        "strengths": [THEMES[k] for k in range(len(THEMES)) if (n + k) % 3 == 0],
        "development": [THEMES[k] for k in range(len(THEMES)) if (n + 2 * k) % 5 < 2][: n % 3],
    }


def _ended_on(n: int) -> dt.date:
    return dt.date(2026, 1, 12) if n % 2 else dt.date(2026, 2, 9) + dt.timedelta(days=n % 5)


def _audits(ws: Workspace) -> list[dict[str, Any]]:
    """Real audits, themes recorded while each is open; what each is, for the test's count."""
    from auditui.services import audits

    made = []
    for n, team in enumerate(TEAMS):
        ended = _ended_on(n)
        audit_id = finished_audit(
            ws, f"CIN-{7000 + n}", "note", team=team, ended_on=ended, finalise=False
        )
        made.append({"id": audit_id, "team": team, "ended_on": ended.isoformat()})
    for n, audit in enumerate(made):  # themes recorded, reopened and re-ended as an auditor would
        audits.reopen(ws, audit["id"], "Themes to record")
        theme_service.set_themes(ws, audit["id"], _themes_for(n))
        audit["themes"] = _themes_for(n)
        audits.close_incomplete(ws, audit["id"], "Closed again", on=_ended_on(n))
    return made


def _expected(made: list[dict[str, Any]], by: str | None, period: tuple[str, str] | None):
    """The themes block written from the data, independently of auditui's counting."""
    counts: dict[str | None, dict[str, Counter[str]]] = {}
    for audit in made:
        if period and not (period[0] <= audit["ended_on"] <= period[1]):
            continue
        keys: list[str | None] = [None]
        if by == "team":
            keys.append(audit["team"])
        elif by == "month":
            keys.append(audit["ended_on"][:7])
        for key in keys:
            kinds = counts.setdefault(key, {"development": Counter(), "strengths": Counter()})
            for kind, names in audit["themes"].items():
                kinds[kind].update(set(names))

    def block(key: str | None) -> dict[str, list[dict[str, Any]]]:
        kinds = counts.get(key, {"development": Counter(), "strengths": Counter()})
        return {
            kind: [
                {"theme": t, "audits": n}
                for t, n in sorted(kinds[kind].items(), key=lambda i: (-i[1], i[0]))
            ]
            for kind in ("development", "strengths")
        }

    return block(None), {k: block(k) for k in counts if k is not None}


def _records(ws: Workspace) -> list[GradedResult]:
    """The graded results sync builds: each latest ended revision with its store extras."""
    key = load_or_create_key(ws.config.sync.resolved_key_file())
    rows = ws.store.query(
        "SELECT o.audit_id, o.payload, o.created_at FROM outbox o WHERE o.revision ="
        " (SELECT max(revision) FROM outbox i WHERE i.audit_id = o.audit_id)"
    )
    extras = result_extras(ws.store, [r[0] for r in rows])
    return [
        graded_result(json.loads(r[1]), r[2], key, False, tool_lookup(ws), extras=extras.get(r[0]))
        for r in rows
    ]


def _to_hubs(ws: Workspace, folder: Path, pg: PgHub) -> None:
    records = _records(ws)
    hub = FolderHub.open(
        folder, 1, mark_empty=True, signing_key=ws.config.sync.resolved_signing_key_file()
    )
    try:
        assert hub.submit(records, []).applied == len(records)
    finally:
        hub.close()
    pg_hub = PostgresHub.connect(pg.submitter)
    try:
        assert pg_hub.submit(records, []).applied == len(records)
    finally:
        pg_hub.close()


def _themes(report: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    return report["themes"], {g["group"]: g["themes"] for g in report["groups"]}


@pytest.fixture
def made(workspace: Workspace) -> list[dict[str, Any]]:
    return _audits(workspace)


def test_local_folder_and_postgres_reports_count_the_same_themes(
    workspace: Workspace, made: list[dict[str, Any]], tmp_path: Path, pg_hub: PgHub
) -> None:
    folder = tmp_path / "share" / "hub"
    folder.mkdir(parents=True)
    _to_hubs(workspace, folder, pg_hub)
    index = tmp_path / "index.db"
    for by, period in [
        (None, None),
        ("team", None),
        ("month", None),
        ("team", FEBRUARY),
        ("tool", None),
        ("auditor", FEBRUARY),
    ]:
        start, end = period or (None, None)
        local = build_report(workspace, None, by, None, start, end)
        via_folder = build_report(workspace, str(folder), by, index, start, end)
        via_postgres = build_report(workspace, pg_hub.reader, by, None, start, end)
        assert _themes(via_folder) == _themes(local), (by, period)
        assert _themes(via_postgres) == _themes(local), (by, period)
        if by in (None, "team", "month"):
            overall, groups = _expected(made, by, period)
            assert local["themes"] == overall, (by, period)
            if by is not None:
                assert _themes(local)[1] == groups, (by, period)
    everything = build_report(workspace)["themes"]
    assert everything["development"] and everything["strengths"]
    counts = [t["audits"] for t in everything["development"]]
    assert counts == sorted(counts, reverse=True)  # most often raised first
    section = build_report(workspace, pg_hub.reader, "section")
    assert section["themes"] == everything  # a section has no themes of its own
    assert all(g["themes"] == {"development": [], "strengths": []} for g in section["groups"])


def test_a_hidden_group_hides_its_themes_and_a_suppressed_report_shows_none(
    workspace: Workspace, made: list[dict[str, Any]], tmp_path: Path, pg_server: Any
) -> None:
    folder = tmp_path / "share" / "hub"
    folder.mkdir(parents=True)
    pg = new_hub(pg_server, threshold=4)
    _to_hubs(workspace, folder, pg)
    reader = open_workspace(workspace.store.path, make_config(tmp_path / "lead", threshold=4))
    try:
        overall, groups = _expected(made, "team", None)
        for hub in (str(folder), pg.reader):
            report = build_report(reader, hub, "team", tmp_path / "index.db")
            # East (3 audits) is under 4; South (5), the next smallest, goes with it.
            assert [g["group"] for g in report["groups"]] == ["North Locality"], hub
            assert report["suppressed_groups"] == 2
            assert _themes(report) == (overall, {"North Locality": groups["North Locality"]})
            # Two audits ended on 2026-02-09: too few to show anything, themes included.
            day = "2026-02-09"
            lone = build_report(reader, hub, "team", tmp_path / "index.db", day, day)
            assert lone["suppressed"] and lone["groups"] == []
            assert lone["themes"] == {"development": [], "strengths": []}
    finally:
        reader.close()
    with psycopg.connect(pg.reader, autocommit=True) as conn:  # what the reader role may see
        rows = conn.execute("SELECT kind, theme, audits FROM auditui.report_findings").fetchall()
        expected = {(k, t["theme"], t["audits"]) for k, items in overall.items() for t in items}
        assert set(rows) == expected
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM auditui.finding_themes")  # per audit: not the reader's
    for login in (pg.submitter, pg.manager):
        with psycopg.connect(login, autocommit=True) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("SELECT * FROM auditui.report_finding_themes('team', NULL, NULL)")


def test_postgres_keeps_only_theme_names_from_a_hostile_record(
    workspace: Workspace, pg_hub: PgHub
) -> None:
    audit_id = finished_audit(workspace, "CIN-1", "note")
    [record] = _records(workspace)
    payload = record.dump()
    payload["themes"] = {
        "strengths": ["Chronology", "Chronology", 5, "", None, "x" * 201, ["Nested"]],
        "development": "Drift and delay",
        "evidence": ["The mother said ..."],
    }
    with psycopg.connect(pg_hub.submitter, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO auditui.staging_results (batch, payload) VALUES"
            " ('00000000-0000-0000-0000-000000000001', %s)",
            (json.dumps(payload),),
        )
        conn.execute("SELECT * FROM auditui.submit('00000000-0000-0000-0000-000000000001')")
    rows = pg_hub.query("SELECT audit_id, kind, theme FROM auditui.finding_themes")
    assert rows == [(audit_id, "strengths", "Chronology")]
    assert [tuple(t) for t in finding_themes_of(payload)] == rows  # the Python reading agrees


def test_a_hub_migrated_to_schema_4_counts_the_themes_it_already_held(
    workspace: Workspace, made: list[dict[str, Any]], pg_hub: PgHub
) -> None:
    from auditui.sync.postgres import init_hub

    hub = PostgresHub.connect(pg_hub.submitter)
    try:
        hub.submit(_records(workspace), [])
    finally:
        hub.close()
    before = build_report(workspace, pg_hub.reader, "team")
    # As a hub at schema 3 that an auditui of schema 4 synced to before hub init ran again.
    with psycopg.connect(pg_hub.admin, autocommit=True) as conn:
        conn.execute("DROP TABLE auditui.finding_themes")
        conn.execute("UPDATE auditui.meta SET value = '3' WHERE key = 'schema_version'")
    assert "migrated (schema 4" in init_hub(pg_hub.admin, 1)
    after = build_report(workspace, pg_hub.reader, "team")
    assert _themes(after) == _themes(before) == _themes(build_report(workspace, None, "team"))
    assert after["themes"]["development"]


def test_sync_sends_the_themes_and_the_hubs_report_them(
    workspace: Workspace, made: list[dict[str, Any]], tmp_path: Path, pg_hub: PgHub
) -> None:
    folder = tmp_path / "hub"
    folder.mkdir()
    assert run_sync(workspace, str(folder)).results_sent == 2 * len(made)  # each ended twice
    assert run_sync(workspace, pg_hub.submitter).results_sent == 2 * len(made)  # each ended twice
    local = build_report(workspace, None, "month")
    assert _themes(build_report(workspace, str(folder), "month", tmp_path / "i.db")) == _themes(
        local
    )
    assert _themes(build_report(workspace, pg_hub.reader, "month")) == _themes(local)
    assert local["themes"] == _expected(made, None, None)[0]


def test_report_prints_top_themes_in_table_csv_and_json(
    workspace: Workspace, made: list[dict[str, Any]], tmp_path: Path
) -> None:
    import csv
    import io
    import subprocess
    import sys

    from sync_support import subprocess_env, write_config

    config = write_config(tmp_path / "config.toml", tmp_path / "hub-key")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "auditui", "--db", str(workspace.store.path)]
            + ["--config", str(config), "report", *args],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            timeout=120,
        )

    workspace.close()
    overall, groups = _expected(made, "team", None)
    shown = json.loads(run("--by", "team", "--format", "json").stdout)
    assert _themes(shown) == (overall, groups)
    table = run("--by", "team")
    assert table.returncode == 0, table.stderr
    top = overall["development"][0]
    assert "Top themes" in table.stdout
    line = next(x for x in table.stdout.splitlines() if "For development" in x)
    assert f"{top['theme']} ({top['audits']})" in line
    rows = list(csv.DictReader(io.StringIO(run("--by", "team", "--format", "csv").stdout)))
    assert [r["group"] for r in rows] == [
        "all",
        "East Locality",
        "North Locality",
        "South Locality",
    ]
    for row in rows:
        block = overall if row["group"] == "all" else groups[row["group"]]
        for kind, items in block.items():
            for t in items:
                assert int(row[f"{kind}_{t['theme']}"]) == t["audits"]
        raised = sum(int(v) for k, v in row.items() if k.startswith(("development_", "strengths_")))
        assert raised == sum(t["audits"] for items in block.values() for t in items)


def test_a_folder_hub_refuses_a_signed_record_with_themes_it_cannot_believe(
    workspace: Workspace, made: list[dict[str, Any]], tmp_path: Path
) -> None:
    from auditui.sync.signing import load_or_create_machine_key

    folder = tmp_path / "share" / "hub"
    folder.mkdir(parents=True)
    hub = FolderHub.open(
        folder, 1, mark_empty=True, signing_key=workspace.config.sync.resolved_signing_key_file()
    )
    records = _records(workspace)
    hub.submit(records, [])
    hub.close()
    key = load_or_create_machine_key(workspace.config.sync.resolved_signing_key_file())
    forged = {**records[0].dump(), "revision": 9}
    forged["themes"] = {"strengths": ["Chronology", "Chronology"], "development": []}
    name = f"{forged['audit_id']}.r9.json"
    (folder / name).write_text(json.dumps(key.seal("graded-result", forged)), encoding="utf-8")
    report = build_report(workspace, str(folder), "team", tmp_path / "index.db")
    assert report["quarantined"] == [
        {
            "file": name,
            "reason": "not a graded result this auditui knows: themes.strengths: "
            "Value error, a theme is named twice",
        }
    ]
    assert _themes(report) == _themes(build_report(workspace, None, "team"))  # revision 2 stands


def test_sync_sends_a_moderation_with_what_it_moderates_and_the_agreed_grade(
    workspace: Workspace, tmp_path: Path, pg_hub: PgHub
) -> None:
    from test_graded_result import _answer_all_and_finalise

    from auditui.services import moderation, moderation_review
    from auditui.sync.signing import unseal

    original = finished_audit(workspace, "CIN-77", "note")
    [allocation] = moderation.sample(workspace, "2026-03", 100, moderators=["Bob Reed"], seed="1")
    bob = open_workspace(workspace.store.path, make_config(tmp_path, user="Bob Reed"))
    try:
        again = moderation.start_moderation(bob, allocation.id)
        _answer_all_and_finalise(bob, again)
        moderation_review.agree(bob, allocation.id, "good", "Agreed at the panel.")
        folder = tmp_path / "hub"
        folder.mkdir()
        run_sync(bob, str(folder))
        run_sync(bob, pg_hub.submitter)
    finally:
        bob.close()
    sealed = json.loads((folder / f"{again}.r1.json").read_text(encoding="utf-8"))
    opened = unseal(sealed, "graded-result")
    assert not isinstance(opened, str)
    link = opened[0]["moderation"]
    assert (link["moderates"], link["agreed_grade"], link["agreed_by"]) == (
        original,
        "good",
        "Bob Reed",
    )
    [(held,)] = pg_hub.query(
        "SELECT payload->'moderation' FROM auditui.results WHERE audit_id = %s", (again,)
    )
    assert held == link
    assert "Agreed at the panel." not in json.dumps(sealed)
