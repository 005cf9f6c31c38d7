"""The demo generator: realistic, graded by the real engine, deterministic, additive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from auditui.config import Config
from auditui.services import audits as audit_service
from auditui.services.demo import generate_demo
from auditui.services.workspace import Workspace

TODAY = dt.date(2026, 11, 22)


def _workspace(path: Path) -> Workspace:
    ws = Workspace.open(path, config=Config())
    ws.today = lambda: TODAY
    return ws


def _dump(ws: Workspace) -> list[tuple]:
    rows = ws.store.query("SELECT * FROM audits ORDER BY id")
    rows += ws.store.query("SELECT * FROM answers ORDER BY audit_id, question_id")
    rows += ws.store.query("SELECT * FROM actions ORDER BY id")
    return [tuple(r) for r in rows]


def test_same_seed_gives_the_same_data(tmp_path: Path) -> None:
    a, b = _workspace(tmp_path / "a.db"), _workspace(tmp_path / "b.db")
    generate_demo(a, 60, seed=7)
    generate_demo(b, 60, seed=7)
    assert _dump(a) == _dump(b)
    c = _workspace(tmp_path / "c.db")
    generate_demo(c, 60, seed=8)
    assert _dump(c) != _dump(a)


def test_demo_adds_and_never_deletes(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "a.db")
    generate_demo(ws, 40, seed=1)
    first_ids = {r[0] for r in ws.store.query("SELECT id FROM audits")}
    generate_demo(ws, 40, seed=1)
    ids = {r[0] for r in ws.store.query("SELECT id FROM audits")}
    assert len(ids) == 80 and first_ids < ids


def test_demo_data_is_realistic_and_consistent(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "a.db")
    report = generate_demo(ws, 400, seed=3)
    assert report.audits == 400
    assert set(report.by_status) == {"draft", "finalised", "closed_incomplete"}
    tools = {r[0] for r in ws.store.query("SELECT DISTINCT tool_id FROM audits")}
    assert tools == set(ws.library.ids())
    present = {r[0] for r in ws.store.query("SELECT DISTINCT practitioner_present FROM audits")}
    assert present == {0, 1}
    oldest = ws.store.one("SELECT min(started_on) FROM audits")[0]
    assert dt.date.fromisoformat(oldest) >= TODAY - dt.timedelta(days=365)
    # Every finalised audit is complete against its tool, as the real grading engine says.
    for (audit_id,) in ws.store.query("SELECT id FROM audits WHERE status = 'finalised' LIMIT 60"):
        state = audit_service.load(ws, audit_id)
        assert state.grading.complete, (audit_id, state.problems)
        assert state.audit.overall_grade == state.grading.overall.final
    # Overrides carry a rationale.
    overrides = ws.store.query(
        "SELECT rationale FROM grades WHERE chosen IS NOT NULL AND suggested IS NOT NULL"
        " AND chosen != suggested"
    )
    assert overrides and all(r[0] for r in overrides)
    # Actions done on time, done late, and still open.
    kinds = ws.store.query(
        "SELECT DISTINCT CASE WHEN status = 'open' THEN 'open'"
        " WHEN completed_on <= due THEN 'on time' ELSE 'late' END FROM actions"
    )
    assert {k[0] for k in kinds} == {"open", "on time", "late"}
    # Ended audits are queued for sync, drafts are not.
    ended = ws.store.one("SELECT count(*) FROM audits WHERE status != 'draft'")[0]
    assert ws.store.one("SELECT count(*) FROM outbox")[0] == ended


def test_demo_audits_are_marked_demo(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "demo.db")
    generate_demo(ws, 20, seed=2)
    generate_demo(ws, 5, seed=3, as_demo=False)  # benchmarks' stand-in for real audits
    rows = ws.store.query("SELECT demo, count(*) FROM audits GROUP BY demo ORDER BY demo")
    assert [tuple(r) for r in rows] == [(0, 5), (1, 20)]
    ws.close()
