"""Small-group suppression that subtraction cannot undo, and percentages rounded half up.

Hiding only the groups under the threshold let anyone with the total work
out the one hidden group (``report_all`` minus the sum of ``report_tool``).
Complementary suppression hides at least one more, so that what the total
reveals beyond the shown groups is always two or more groups holding at
least the threshold's audits. The same choice is made in Python (local
store, folder hub) and in the PostgreSQL reader's views.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sync_support import PgHub, finished_audit, make_config, new_hub, open_workspace

from auditui.domain.percent import percent, round_half_up
from auditui.services.report import build_report
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.facts import AuditFact, Facts
from auditui.sync.measures import build_report as report_of_facts
from auditui.sync.measures import hidden_groups


def test_whatever_the_sizes_no_hidden_group_can_be_derived() -> None:
    rng = random.Random(1717)
    cases = 0
    for _ in range(3000):
        k = rng.randint(1, 8)
        sizes = {f"g{i}": rng.randint(1, 15) for i in range(rng.randint(0, 7))}
        hidden = hidden_groups(sizes, k)
        cases += 1
        assert {g for g, n in sizes.items() if n < k} <= hidden
        if not hidden:
            continue
        total = sum(sizes.values())
        shown = sum(n for g, n in sizes.items() if g not in hidden)
        if hidden != set(sizes):  # some shown: the total minus them is what is revealed
            assert len(hidden) >= 2, sizes
            assert total - shown >= k, sizes
        elif total >= k:  # all hidden: only the total shows, and it is big enough
            assert len(hidden) >= 2 or len(sizes) == 1
    assert cases == 3000


def test_hidden_groups_picks_the_smallest_others_by_size_then_name() -> None:
    assert hidden_groups({"a": 9, "b": 3, "c": 1}, 2) == {"b", "c"}
    assert hidden_groups({"a": 3, "b": 3, "c": 1}, 2) == {"a", "c"}  # tie: by name
    assert hidden_groups({"a": 9, "b": 5, "c": 1, "d": 1}, 3) == {"b", "c", "d"}
    assert hidden_groups({"a": 9, "b": 5}, 3) == set()
    assert hidden_groups({"a": 9, "b": 1}, 3) == {"a", "b"}
    assert hidden_groups({}, 3) == set()


def _three_tools(ws: Workspace) -> None:
    for n in range(3):
        finished_audit(ws, f"CIN-S{n}", "note", tool_id="smart-plans")
        finished_audit(ws, f"CIN-V{n}", "note", tool_id="childs-voice")
    finished_audit(ws, "CIN-L1", "note", tool_id="life-story-work")


@pytest.mark.postgres
def test_the_reader_cannot_subtract_to_find_the_hidden_tool(pg_server: Any, tmp_path: Path) -> None:
    hub: PgHub = new_hub(pg_server, threshold=2)
    workspace = open_workspace(tmp_path / "a.db", make_config(tmp_path, threshold=2))
    _three_tools(workspace)
    run_sync(workspace, hub.submitter)
    with psycopg.connect(hub.reader, autocommit=True) as conn:
        total = conn.execute("SELECT audits FROM auditui.report_all").fetchone()
        shown = conn.execute("SELECT grp, audits FROM auditui.report_tool").fetchall()
        hidden = conn.execute(
            "SELECT groups FROM auditui.report_suppressed WHERE dimension = 'tool'"
        ).fetchone()
    assert total == (7,)
    # life-story-work (1 audit) is hidden, and childs-voice with it (smallest, then by name).
    assert shown == [("smart-plans", 3)]
    assert hidden == (2,)
    assert total[0] - sum(n for _, n in shown) == 4  # two tools together, not the one audit
    # The same choice over a folder hub and in the hub report.
    folder = tmp_path / "hub"
    folder.mkdir()
    workspace.store.conn.execute("UPDATE outbox SET sent_at = NULL")
    run_sync(workspace, str(folder))
    for target in (hub.reader, str(folder)):
        report = build_report(workspace, target, "tool", tmp_path / "index.db")
        assert [g["group"] for g in report["groups"]] == ["smart-plans"], target
        assert report["suppressed_groups"] == 2 and report["audits"] == 7
    workspace.close()


def test_percentages_round_half_up() -> None:
    assert percent(25, 80) == 31.3  # 31.25: Excel and PostgreSQL say 31.3, round() said 31.2
    assert percent(1, 8) == 12.5 and percent(1, 3) == 33.3 and percent(2, 3) == 66.7
    assert percent(0, 0) is None
    assert round_half_up(31.25) == 31.3 and round_half_up(0.125, 2) == 0.13
    facts = Facts(
        audits=[
            AuditFact(f"a{i}", "finalised", "2026-01-15", "North", "t", i < 25, True, "good")
            for i in range(80)
        ]
    )
    assert report_of_facts(facts, None, "2026-03-02")["with_practitioner_pct"] == 31.3


@pytest.mark.postgres
def test_python_rounds_every_fraction_as_postgresql_does(pg_hub: PgHub) -> None:
    rows = pg_hub.query(
        "SELECT n, d, round(100.0 * n / d, 1)::text FROM generate_series(1, 400) d,"
        " generate_series(0, 400) n WHERE n <= d"
    )
    assert len(rows) > 80_000
    wrong = [(n, d, sql) for n, d, sql in rows if percent(n, d) != float(sql)]
    assert wrong == []


@pytest.mark.postgres
def test_the_hub_hides_exactly_the_groups_python_hides(pg_hub: PgHub) -> None:
    """Seeded configurations of group sizes and thresholds: the SQL mirror of
    ``hidden_groups`` (ties broken by name in code-point order) hides the same groups."""
    rng = random.Random(4242)
    names = ["North", "north", "South", "Éast", "East", "Z", "a b", "Team 10", "Team 9"]
    insert = (
        "INSERT INTO auditui.results (audit_id, revision, status, recorded_at, tool_id,"
        " tool_version, case_key, case_type, team, auditor, practitioner_present, kind,"
        " started_on, ended_on, complete, overall_overridden, payload, submitted_by)"
        " VALUES (%s, 1, 'finalised', now(), 't', 1, 'k', 'CIN', %s, 'A', true, 'case_file',"
        " '2026-01-01', '2026-01-02', true, false, '{}', 'x')"
    )
    with psycopg.connect(pg_hub.admin, autocommit=True) as conn:
        for case in range(40):
            k = rng.randint(1, 6)
            sizes = {n: rng.randint(1, 7) for n in rng.sample(names, rng.randint(1, 6))}
            conn.execute("DELETE FROM auditui.results")
            conn.execute(
                "UPDATE auditui.meta SET value = %s WHERE key = 'small_group_threshold'", (str(k),)
            )
            with conn.cursor() as cur:
                cur.executemany(
                    insert,
                    [(f"c{case}-{t}-{i}", t) for t, n in sizes.items() for i in range(n)],
                )
            rows = conn.execute(
                "SELECT grp, audits FROM auditui.report_groups('team', NULL, NULL)"
            ).fetchall()
            shown = {grp: n for grp, n in rows if grp is not None}
            expected = {g: n for g, n in sizes.items() if g not in hidden_groups(sizes, k)}
            assert shown == expected, (k, sizes)
            assert len(rows) == len(sizes)
