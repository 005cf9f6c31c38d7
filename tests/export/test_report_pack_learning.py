"""The pack's moderation agreement and top themes: figures against an independent count, the
same words in HTML and Word (over a real folder hub: tests/sync/test_report_pack_moderation_hub.py).

Moderation pairs are made the real way (audits ended, a sample drawn, blind re-audits ended
by a moderator); the agreement is worked out here from the grade pairs chosen, kappa from the
k-by-k contingency matrix with quadratic weights, apart from ``domain.moderation``.
"""

from __future__ import annotations

import datetime as dt
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from test_report_pack import says_every_word_in_both

from auditui.services import audits, report_pack
from auditui.services import moderation as service
from auditui.services.report_pack import build_pack
from auditui.services.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))

from moderation_support import DAY, ended_audit, grade_and_end, make_ws, write_tool  # noqa: E402

FIRST, LAST = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
ORDER = ["outstanding", "good", "requires_improvement", "inadequate"]
PAIRS = [
    ("Ann", ("outstanding", "outstanding"), ("good", "good")),
    ("Cai", ("good", "good"), ("good", "good")),
    ("Dee", ("good", "good"), ("requires_improvement", "good")),
    ("Eve", ("requires_improvement", "requires_improvement"), ("good", "good")),
]
"""(auditor, original (plan, visits), moderator's (plan, visits)); overall is the lowest."""
THEMES = {
    "development": [
        {"theme": "SMART planning", "audits": 9},
        {"theme": "Contingency", "audits": 4},
        {"theme": "Chronology", "audits": 4},
        {"theme": "Drift and delay", "audits": 2},
        {"theme": "Management oversight", "audits": 1},
        {"theme": "Partnership", "audits": 1},
    ],
    "strengths": [{"theme": "Voice of the child", "audits": 6}],
}


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    return write_tool(tmp_path / "tools")


def moderated(db: Path, tools: Path) -> Workspace:
    """Four audits by four auditors, each re-audited blind by Bob; returns the lead's."""
    lead = make_ws(db, tools, "Quinn Lead")
    for n, (auditor, (plan, visits), _) in enumerate(PAIRS):
        ended_audit(lead, auditor, f"CF{n:04d}", plan, visits)
    allocations = service.sample(lead, "2026-11", 100, moderators=["Bob"], seed="1")
    bob = make_ws(db, tools, "Bob")
    by_case = {f"CF{n:04d}": pair for n, pair in enumerate(PAIRS)}
    for allocation in allocations:
        again = service.start_moderation(bob, allocation.id)
        _, _, (plan, visits) = by_case[audits.load(bob, again).audit.case_ref]
        grade_and_end(bob, again, plan, visits)
    bob.close()
    return lead


def independent() -> dict[str, Any]:
    """Agreement on the overall (lowest) grades of ``PAIRS``, from first principles."""
    pairs = [
        (max(ORDER.index(g) for g in first), max(ORDER.index(g) for g in second))
        for _, first, second in PAIRS
    ]
    n, k = len(pairs), len(ORDER)
    observed = [
        [Fraction(sum(1 for p in pairs if p == (i, j)), n) for j in range(k)] for i in range(k)
    ]
    rows = [sum(observed[i]) for i in range(k)]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    weight = [[Fraction((i - j) ** 2) for j in range(k)] for i in range(k)]
    agree = sum(weight[i][j] * observed[i][j] for i in range(k) for j in range(k))
    chance = sum(weight[i][j] * rows[i] * cols[j] for i in range(k) for j in range(k))
    return {
        "pairs": n,
        "exact": f"{100 * sum(1 for a, b in pairs if a == b) / n:.1f}%",
        "within_one": f"{100 * sum(1 for a, b in pairs if abs(a - b) <= 1) / n:.1f}%",
        "kappa": f"{float(1 - agree / chance):.3f}",
        # a lower index is a better grade: the original higher means it was generous
        "higher": sum(1 for a, b in pairs if a < b),
        "lower": sum(1 for a, b in pairs if a > b),
    }


def table_of(pack: Any, heading: str) -> dict[str, str]:
    section = next(s for s in pack.sections if s.heading == heading)
    return {row[0]: row[1] for table in section.tables for row in table.rows}


def test_moderation_agreement_against_an_independent_count(tmp_path: Path, tools: Path) -> None:
    lead = moderated(tmp_path / "a.db", tools)
    try:
        pack = build_pack(lead, FIRST, LAST)
        before = build_pack(lead, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    finally:
        lead.close()
    want = independent()
    got = table_of(pack, "Moderation agreement")
    assert got == {
        "Pairs (an audit and its moderator's re-audit)": str(want["pairs"]),
        "Exact agreement on the overall grade": want["exact"],
        "Within one grade": want["within_one"],
        "Weighted kappa (quadratic)": want["kappa"],
        "Original grade higher than the moderator's (generous)": str(want["higher"]),
        "Original grade lower than the moderator's (harsh)": str(want["lower"]),
    }
    assert (want["higher"], want["lower"]) == (2, 1)  # the data says what the test means
    section = next(s for s in before.sections if s.heading == "Moderation agreement")
    assert section.paragraphs == ["No moderated re-audits ended in the period."]
    assert not section.tables


@pytest.fixture
def with_themes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report document as it is with its ``themes`` key (added to ``build_report``)."""
    real = report_pack.build_report

    def build_report(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return {**real(*args, **kwargs), "themes": THEMES}

    monkeypatch.setattr(report_pack, "build_report", build_report)


def test_the_top_themes_in_both_files_the_same(
    tmp_path: Path, tools: Path, with_themes: None
) -> None:
    lead = moderated(tmp_path / "a.db", tools)
    try:
        pack = build_pack(lead, FIRST, LAST)
    finally:
        lead.close()
    section = next(s for s in pack.sections if s.heading == "The top themes")
    development, strengths = section.tables
    assert development.rows == [
        ["SMART planning", "9"],
        ["Chronology", "4"],
        ["Contingency", "4"],
        ["Drift and delay", "2"],
        ["Management oversight", "1"],
    ], "the top five, most audits first, ties by name"
    assert strengths.rows == [["Voice of the child", "6"]]
    says_every_word_in_both(pack)
    headings = [s.heading for s in pack.sections]
    assert headings.index("Moderation agreement") < headings.index("Actions")
    assert headings.index("The top themes") > headings.index("Safeguarding concerns")


def test_the_top_themes_are_the_audits_own_counted_again(tmp_path: Path, tools: Path) -> None:
    """Through the real report (no stand-in): themes recorded on audits that then ended in
    the period, counted again from the SQLite file; one ended before the period is left out."""
    import sqlite3
    from collections import Counter

    from auditui.services.themes import set_themes

    ws = make_ws(tmp_path / "t.db", tools, "Quinn Lead")
    recorded = [
        (["SMART planning", "Drift and delay"], ["Voice of the child"]),
        (["SMART planning"], ["Voice of the child", "Partnership working"]),
        (["Contingency planning", "SMART planning"], []),
    ]
    try:
        for n, (development, strengths) in enumerate([*recorded, (["Risk assessment"], [])]):
            if n == len(recorded):  # ended in October: outside the period
                ws.today = lambda: dt.date(2026, 10, 15)
            audit_id = audits.start_audit(ws, "mod-tool", f"TH{n}", "CP", "North", "Pat", True)
            set_themes(ws, audit_id, {"development": development, "strengths": strengths})
            grade_and_end(ws, audit_id, "good", "good")
            ws.today = lambda: DAY
        pack = build_pack(ws, FIRST, LAST)
    finally:
        ws.close()
    conn = sqlite3.connect(tmp_path / "t.db")
    counted: dict[str, Counter[str]] = {"development": Counter(), "strengths": Counter()}
    for kind, theme in conn.execute(
        "SELECT t.kind, t.theme FROM audit_themes t JOIN audits a ON a.id = t.audit_id"
        " WHERE a.ended_on BETWEEN ? AND ?",
        (FIRST.isoformat(), LAST.isoformat()),
    ):
        counted[kind][theme] += 1
    conn.close()
    section = next(s for s in pack.sections if s.heading == "The top themes")
    development, strengths = section.tables
    for table, kind in ((development, "development"), (strengths, "strengths")):
        want = sorted(counted[kind].items(), key=lambda t: (-t[1], t[0]))[:5]
        assert table.rows == [[theme, str(n)] for theme, n in want], kind
    assert development.rows[0] == ["SMART planning", "3"]
    assert "Risk assessment" not in str(development.rows)


def test_no_themes_key_no_themes_section_and_hidden_themes_say_so(
    tmp_path: Path, tools: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditui.services.pack_learning import themes_section

    real = report_pack.build_report

    def without_themes(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return {k: v for k, v in real(*args, **kwargs).items() if k != "themes"}

    monkeypatch.setattr(report_pack, "build_report", without_themes)
    lead = moderated(tmp_path / "a.db", tools)
    try:
        pack = build_pack(lead, FIRST, LAST)
    finally:
        lead.close()
    assert "The top themes" not in [s.heading for s in pack.sections]
    assert "themes" not in pack.figures
    hidden = themes_section(THEMES, suppressed=True)
    assert not hidden.tables and "hidden" in hidden.paragraphs[0]
