"""Issue 13 items 7, 8 and the report's section titles: what a person reads is in their words.

Date answers read the UK way ("Fri 20 Feb 2026") in the report and `audit
show`, while CSV and JSON keep ISO; what still stops a draft names questions
and sections by number and words; a section the tool numbers itself ("1.
Assessment") shows one number.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner
from export_support import Filled, make_workspace

from auditui.export import build_report, render_html, render_markdown, write_csv
from auditui.services import audits


def test_a_date_answer_reads_the_uk_way_in_the_report_and_iso_in_csv(filled: Filled) -> None:
    report = build_report(filled.ws, filled.finalised)
    line = next(q for s in report.sections for q in s.questions if q.id == "last_visit")
    assert line.answer == "Fri 20 Feb 2026"
    for page in (render_html(report), render_markdown(report)):
        assert "Fri 20 Feb 2026" in page
        assert "2026-02-20" not in page
    out = io.BytesIO()
    write_csv(filled.ws, "answers", out)
    assert "2026-02-20" in out.getvalue().decode("utf-8-sig")
    assert "Fri 20 Feb 2026" not in out.getvalue().decode("utf-8-sig")


def test_audit_show_reads_dates_the_uk_way_and_its_json_keeps_iso(filled: Filled) -> None:
    from auditui.cli.audit_print import show_json, show_text

    state = audits.load(filled.ws, filled.finalised)
    runner = CliRunner()
    with runner.isolation() as (out, _err, _):
        show_text(state, [])
    text = out.getvalue().decode()
    assert "last_visit: Fri 20 Feb 2026" in text
    assert "2026-02-20" not in text
    data = show_json(state, [])
    assert "2026-02-20" in json.dumps(data)
    assert "Feb 2026" not in json.dumps(data)


def test_what_stops_a_draft_names_questions_and_sections_in_their_words(filled: Filled) -> None:
    report = build_report(filled.ws, filled.draft)
    assert report.problems
    for line in report.problems:
        kind, _, name = line.partition(": ")
        assert kind in ("Not answered", "Evidence needed", "No grade", "Rationale needed")
        assert name.startswith(("Q", "Section ", "Overall")), line
    state = audits.load(filled.ws, filled.draft)
    # Ids such as last_visit are not words: none may show (plain words like "seen" may).
    ids = [q.id for q in state.tool.questions] + [s.id for s in state.tool.sections]
    for line in report.problems + state.problems:
        assert not any(i in line for i in ids if "_" in i), line


SELF_NUMBERED_SECTIONS = """\
format: 1
id: self-numbered-sections
version: 1
title: A tool that numbers its own sections
sections:
  - id: assessment
    title: 1. Assessment
    questions:
      - id: seen
        text: Was the child seen?
        type: yes_no
  - id: planning
    title: "2) Planning"
    questions:
      - id: plan
        text: 2.1 Is there a plan?
        type: yes_no
"""


def test_a_section_the_tool_numbers_itself_shows_one_number(
    tmp_path: Path, tools_dir: Path
) -> None:
    (tools_dir / "self-numbered-sections.yaml").write_text(SELF_NUMBERED_SECTIONS, encoding="utf-8")
    ws = make_workspace(tmp_path / "numbered.db", tools_dir)
    try:
        audit_id = audits.start_audit(
            ws, "self-numbered-sections", "N0002", "CP", "North", "Sam Taylor", True
        )
        report = build_report(ws, audit_id)
        problems = audits.load(ws, audit_id).problems
    finally:
        ws.close()
    assert [(s.number, s.title) for s in report.sections] == [
        ("1", "Assessment"),
        ("2", "Planning"),
    ]
    html, markdown = render_html(report), render_markdown(report)
    assert "<h2>1. Assessment</h2>" in html and "<h2>2. Planning</h2>" in html
    assert "## 1\\. Assessment" in markdown or "## 1. Assessment" in markdown
    for page in (html, markdown):
        assert "1. 1." not in page and "1. 1\\." not in page and "2. 2)" not in page
    assert "Section 1 Assessment: no grade" in problems
    assert "Q2.1 Is there a plan?: not answered" in problems
