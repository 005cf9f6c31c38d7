"""The board's report pack: its figures against an independent count, its wording in both files.

A real database filled by the demo generator (as real audits) plus audits on a
themed tool whose questions are measures, and safeguarding concerns; every
figure in the pack is counted again here straight from the SQLite file with
the published definitions (domain.md), and percentages rounded half up with
``decimal``, independently of the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from auditui.config import Config, OrganisationConfig, UserConfig
from auditui.domain.pack import ReportPack
from auditui.export.pack_docx import write_pack_docx
from auditui.export.pack_html import render_pack_html
from auditui.services import audits, concerns
from auditui.services.demo import generate_demo
from auditui.services.pack_narrative import Narrative
from auditui.services.report_pack import NO_THEMED, build_pack
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

TODAY = dt.date(2026, 7, 15)
FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
SEEN_TOOL = """\
format: 2
id: seen-alone-dip
version: 1
title: Seen alone dip sample
applies_to: [CIN, CP, CLA]
sections:
  - id: seen
    number: "1"
    title: Seeing the child
    grading: score
    questions:
      - id: seen_alone
        number: "1.1"
        text: Was the child seen alone?
        type: yes_no
        allow_na: true
        points: {yes: 1, no: 0}
        measure: {label: Child seen alone, target: 70}
      - id: rhi_72h
        number: "1.2"
        text: Was the return home interview offered within 72 hours?
        type: yes_partly_no
        points: {yes: 2, partly: 1, no: 0}
        measure: {label: RHI within 72 hours, target: 75}
"""
SEEN = [("yes", "yes"), ("no", "partly"), ("na", "yes"), ("yes", "no"), ("yes", "yes")]
"""(seen_alone, rhi_72h) of five audits finalised in the period on the themed tool."""
CONCERN_TEXT = "Child left alone overnight; nobody told the allocated worker."
NARRATIVE = Narrative(
    "Plans are getting SMARTer <b>since</b> March & the forum agreed.",
    "Eighty case-file audits, moderated monthly.",
    "A contingency planning workshop in September.",
)


def pct(yes: int, n: int) -> float | None:
    if not n:
        return None
    exact = Decimal(100 * yes) / Decimal(n)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "seen.yaml").write_text(SEEN_TOOL, encoding="utf-8")
    config = Config(
        user=UserConfig(name="Quinn Lead"), organisation=OrganisationConfig(name="Westshire")
    )
    workspace = Workspace.open(tmp_path / "pack.db", ToolLibrary.load([tools]), config)
    workspace.today = lambda: TODAY
    generate_demo(workspace, 150, seed=7, as_demo=False)
    for n, (seen, rhi) in enumerate(SEEN):
        audit_id = audits.start_audit(
            workspace, "seen-alone-dip", f"SA-{n}", "CP", "North", "Pat", n % 2 == 0,
            started_on=dt.date(2026, 3, 1),
        )  # fmt: skip
        audits.answer(workspace, audit_id, "seen_alone", seen, "noted")
        state = audits.answer(workspace, audit_id, "rhi_72h", rhi, "noted")
        audits.set_grade(workspace, audit_id, "overall", state.grading.overall.suggested or "good")
        audits.finalise(workspace, audit_id, on=dt.date(2026, 3, 10 + n))
    yield workspace
    workspace.close()


def concern_at(ws: Workspace, audit_id: str, raised: str) -> str:
    ws.now = lambda: raised
    return concerns.raise_concern(ws, audit_id, CONCERN_TEXT, "Team manager").id


def reply_at(ws: Workspace, concern_id: str, at: str, outcome: str | None = None) -> None:
    ws.now = lambda: at
    if outcome is None:
        concerns.acknowledge(ws, concern_id)
    else:
        concerns.respond(ws, concern_id, outcome)


def independent(db: Path) -> dict[str, Any]:
    """The figures counted again from the SQLite file, by the published definitions."""
    conn = sqlite3.connect(db)
    ended = conn.execute(
        "SELECT id, status, ended_on, practitioner_present, complete, overall_grade FROM audits"
        " WHERE status IN ('finalised', 'closed_incomplete') AND ended_on BETWEEN ? AND ?",
        (FIRST.isoformat(), LAST.isoformat()),
    ).fetchall()
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in ended:
        groups["all"].append(row)
        groups[row[2][:7]].append(row)
    ids = {r[0] for r in ended}
    acts = [r for r in conn.execute("SELECT audit_id, due, status, completed_on FROM actions")]

    def measures(rows: list[Any]) -> dict[str, Any]:
        final = [r for r in rows if r[1] == "finalised"]
        mine = {r[0] for r in rows}
        on_time = sum(1 for a in acts if a[0] in mine and a[2] == "done" and a[3] <= a[1])
        late = sum(1 for a in acts if a[0] in mine and a[2] == "done" and a[3] > a[1])
        overdue = sum(
            1 for a in acts if a[0] in mine and a[2] == "open" and a[1] < TODAY.isoformat()
        )
        good = sum(1 for r in final if r[5] in ("outstanding", "good", "met"))
        return {
            "with_practitioner_pct": pct(sum(r[3] for r in rows), len(rows)),
            "complete_against_framework_pct": pct(sum(1 for r in final if r[4]), len(rows)),
            "actions_on_time_pct": pct(on_time, on_time + late + overdue),
            "good_or_better_pct": pct(good, len(final)),
        }

    grades: dict[str, int] = defaultdict(int)
    for r in ended:
        if r[1] == "finalised" and r[5]:
            grades[r[5]] += 1
    themed: dict[str, list[int]] = {"seen_alone": [0, 0], "rhi_72h": [0, 0]}
    for audit_id, question, value in conn.execute(
        "SELECT a.audit_id, a.question_id, a.value FROM answers a JOIN audits u"
        " ON u.id = a.audit_id WHERE u.tool_id = 'seen-alone-dip' AND u.status = 'finalised'"
    ):
        if audit_id in ids and question in themed and json.loads(value) not in (None, "na"):
            themed[question][0] += 1
            themed[question][1] += json.loads(value) == "yes"
    conn.close()
    return {
        "overall": measures(groups.pop("all")),
        "months": {m: measures(rows) for m, rows in sorted(groups.items())},
        "grades": dict(grades),
        "audits": len(ended),
        "themed": themed,
        "actions_total": sum(1 for a in acts if a[0] in ids),
    }


def test_the_figures_agree_with_an_independent_count(ws: Workspace) -> None:
    pack = build_pack(ws, FIRST, LAST, narrative=NARRATIVE)
    want = independent(ws.store.path)
    got = pack.figures
    assert want["audits"] > 25, "the period holds enough audits to test anything"
    assert got["audits"] == want["audits"]
    assert got["overall"] == want["overall"]
    assert {m["month"]: {k: v for k, v in m.items() if k != "month"} for m in got["months"]} == (
        want["months"]
    )
    assert got["grades"] == want["grades"]
    assert got["actions"]["total"] == want["actions_total"]
    themed = {t["question"]: t for t in got["themed"]}
    targets = {"seen_alone": 70, "rhi_72h": 75}
    for question, (counted, yes) in want["themed"].items():
        assert counted >= 4, "the five audits of the themed tool are counted"
        t = themed[question]
        assert (t["counted"], t["yes"], t["pct"]) == (counted, yes, pct(yes, counted))
        assert t["met"] == (100 * yes >= targets[question] * counted)
    section = next(s for s in pack.sections if s.heading == "Themed measures")
    shown = {row[0]: row for row in section.tables[0].rows}
    t = themed["seen_alone"]
    assert shown["Child seen alone"] == [
        "Child seen alone", str(t["counted"]), f"{t['pct']:.1f}%", "70%",
        "met" if t["met"] else "not met",
    ]  # fmt: skip


def test_concern_counts_and_response_times_in_working_days(ws: Workspace) -> None:
    audit_id = audits.start_audit(ws, "seen-alone-dip", "C-1", "CP", "North", "Pat", True)
    # Monday 2 March: acknowledged that afternoon, closed Thursday (3 working days).
    a = concern_at(ws, audit_id, "2026-03-02T09:00:00+00:00")
    reply_at(ws, a, "2026-03-02T16:00:00+00:00")
    reply_at(ws, a, "2026-03-05T10:00:00+00:00", "Strategy meeting held.")
    # Friday 3 April 2026 is Good Friday: due on Tuesday 7 April (Easter Monday is closed);
    # answered then, so the same working day, and 0 working days to the response.
    b = concern_at(ws, audit_id, "2026-04-03T11:00:00+00:00")
    reply_at(ws, b, "2026-04-07T09:30:00+00:00", "Child visited; safe.")
    # Friday 22 May, acknowledged the next Tuesday (25 May a bank holiday): late; open.
    c = concern_at(ws, audit_id, "2026-05-22T15:00:00+00:00")
    reply_at(ws, c, "2026-05-26T09:00:00+00:00")
    # 23:30 UTC on 30 June is 00:30 on 1 July in London: outside the period.
    concern_at(ws, audit_id, "2026-06-30T23:30:00+00:00")
    # Never acknowledged, raised Monday 8 June: overdue by 15 July.
    concern_at(ws, audit_id, "2026-06-08T08:00:00+00:00")

    counts = build_pack(ws, FIRST, LAST).figures["concerns"]
    assert counts == {
        "raised": 4,
        "open": 2,
        "closed": 2,
        "acknowledged_same_working_day": 2,
        "not_acknowledged_same_working_day": 2,
        "awaiting_acknowledgement_today": 0,
        "median_response_working_days": 1.5,
        "longest_response_working_days": 3,
    }


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def words(pack: ReportPack) -> list[str]:
    """Every string the pack says, in order: both files must say each of them."""
    out = [pack.title, pack.subtitle]
    for section in pack.sections:
        out += [section.heading, *section.paragraphs]
        for table in section.tables:
            out += table.headers + [cell for row in table.rows for cell in row]
    return out


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    parser = _Text()
    parser.feed(xml)
    return "\n".join(parser.parts)


def says_every_word_in_both(pack: ReportPack) -> tuple[str, _Text, str]:
    """Every word the pack holds (``words``) is on the HTML page and in the Word file; the
    HTML, its parsed text and tags, and the Word file's text, for more checks."""
    html = render_pack_html(pack)
    out = BytesIO()
    write_pack_docx(pack, out)
    word = docx_text(out.getvalue())
    parser = _Text()
    parser.feed(html)
    page = "\n".join(parser.parts)
    for text in words(pack):
        assert text in page, text
        assert text in word, text
    return html, parser, word


def test_html_and_word_say_the_same_and_no_concern_text(ws: Workspace) -> None:
    audit_id = audits.start_audit(ws, "seen-alone-dip", "C-2", "CP", "North", "Pat", True)
    concern_at(ws, audit_id, "2026-03-02T09:00:00+00:00")
    pack = build_pack(ws, FIRST, LAST, narrative=NARRATIVE)
    html, parser, word = says_every_word_in_both(pack)
    page = "\n".join(parser.parts)
    assert "Westshire: audit report for 01 January 2026 to 30 June 2026" in page
    assert NARRATIVE.what_we_know in page and "&lt;b&gt;since&lt;/b&gt;" in html
    assert "<b>since" not in html
    assert CONCERN_TEXT not in html and CONCERN_TEXT not in word
    assert "script" not in parser.tags and "<script" not in html.lower()
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "url(" not in html
    assert html.count("<svg") == 3


def test_a_period_without_themed_measures_says_so(ws: Workspace) -> None:
    pack = build_pack(ws, dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    themed = next(s for s in pack.sections if s.heading == "Themed measures")
    assert themed.paragraphs == [NO_THEMED]
    assert pack.figures["audits"] == 0
    assert "(Not written yet.)" in render_pack_html(pack)


def test_charts_break_at_a_missing_month_and_escape_what_they_show() -> None:
    from auditui.domain.pack import Chart, Series
    from auditui.export.pack_svg import render_chart

    svg = render_chart(
        Chart("line", "<b>Seen</b>", ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"],
              [Series("A & B", [10.0, None, 20.0, 30.0])], 75)
    )  # fmt: skip
    assert svg.count("<polyline") == 1, "Mar-Apr joined; Jan stands alone; no line through Feb"
    assert svg.count("<circle") == 4, "three points and the legend's marker"
    assert "&lt;b&gt;Seen&lt;/b&gt;" in svg and "A &amp; B" in svg and "<b>" not in svg
    assert "Target 75%" in svg
    bars = render_chart(Chart("bars", "Grades", ["Good", "Requires improvement"],
                              [Series("Audits", [45.0, 0.0])]))  # fmt: skip
    assert ">60</text>" in bars and ">45</text>" in bars
