"""Issue 13 item 17: the practitioner's audit report, on a real database through the services.

Long notes wrap on the page, overdue actions say so, done ones show when and
how, every answer says who gave it and when, every reopening its reason, and
a question the tool numbers itself shows one number.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from export_support import USER, Filled, make_workspace

from auditui.export import build_report, render_html, render_markdown
from auditui.services import actions, audits
from auditui.services.workspace import Workspace

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

LONG = "https://records.example/" + "x" * 600
"""An evidence note with no place to break: a pasted link."""


def _open_action(ws: Workspace, audit_id: str, text: str) -> str:
    found = actions.list_actions(ws, audit_id=audit_id)
    return next(v.action.id for v in found if v.action.text == text)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_a_long_unbroken_note_wraps_inside_the_page(filled: Filled, tmp_path: Path) -> None:
    """Laid out by a real browser at a narrow width, nothing runs off the side."""
    audits.reopen(filled.ws, filled.finalised, "Add the link to the plan.")
    audits.set_evidence(filled.ws, filled.finalised, "plan_smart", LONG)
    audits.set_findings(filled.ws, filled.finalised, strengths=LONG)
    actions.add_action(filled.ws, filled.finalised, "Sam Taylor", "Read " + LONG)
    page = render_html(build_report(filled.ws, filled.finalised))
    assert "overflow-wrap: anywhere" in page
    # The report forbids scripts; this copy alone measures the laid-out page.
    measured = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page).replace(
        "</body>",
        "<script>document.body.setAttribute('data-overflow',"
        " String(document.documentElement.scrollWidth - document.documentElement.clientWidth))"
        "</script></body>",
    )
    file = tmp_path / "report.html"
    file.write_text(measured, encoding="utf-8")
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=500,800",
            "--dump-dom",
            file.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r'data-overflow="(-?\d+)"', done.stdout)
    assert found, done.stderr[-2000:]
    assert int(found.group(1)) <= 0, "the page is wider than the window"


def test_an_open_action_past_due_says_overdue_and_a_done_one_when_and_how(filled: Filled) -> None:
    report = build_report(filled.ws, filled.finalised)
    late = next(a for a in report.actions if a.text == "See the child alone")
    # Due Wed 11 Feb 2026; the reader's today is Mon 2 Mar 2026.
    assert late.status == "Overdue by 13 working days" and late.overdue
    assert "Overdue by 13 working days" in render_html(report)
    assert "**Overdue by 13 working days**" in render_markdown(report)

    action_id = _open_action(filled.ws, filled.finalised, "See the child alone")
    actions.complete_action(
        filled.ws, action_id, dt.date(2026, 2, 27), "Seen alone at school, see case note 12."
    )
    report = build_report(filled.ws, filled.finalised)
    done = next(a for a in report.actions if a.text == "See the child alone")
    assert (done.status, done.completed_on, done.overdue) == ("Done", "Fri 27 Feb 2026", False)
    assert done.evidence == "Seen alone at school, see case note 12."
    for text in (render_html(report), render_markdown(report)):
        assert "Done on Fri 27 Feb 2026" in text
        assert "Seen alone at school, see case note 12." in text
        assert "Overdue" not in text


def test_each_answer_says_who_gave_it_and_when(
    filled: Filled, tmp_path: Path, tools_dir: Path
) -> None:
    filled.ws.close()
    other = make_workspace(filled.ws.store.path, tools_dir, user="Jo Reviewer")
    try:
        other.now = lambda: "2026-02-10T12:30:00+00:00"
        audits.answer(other, filled.draft, "seen_alone", "yes")
        report = build_report(other, filled.draft)
    finally:
        other.close()
    lines = {q.id: q for s in report.sections for q in s.questions}
    assert lines["seen_alone"].answered_by.startswith("Jo Reviewer, Tue 10 Feb 2026 ")
    assert lines["plan_smart"].answered_by.startswith(USER + ", ")
    assert lines["quality"].answered_by == ""  # not answered: nobody to name
    page, markdown = render_html(report), render_markdown(report)
    assert "Answered by Jo Reviewer, Tue 10 Feb 2026" in page
    assert "Answered by Jo Reviewer, Tue 10 Feb 2026" in markdown


def test_each_reopening_shows_its_reason_and_date(filled: Filled) -> None:
    filled.ws.now = lambda: "2026-01-20T12:00:00+00:00"
    audits.reopen(filled.ws, filled.finalised, "The manager asked for the findings.")
    audits.finalise(filled.ws, filled.finalised, "2026-01-21")
    filled.ws.now = lambda: "2026-02-03T12:00:00+00:00"
    audits.reopen(filled.ws, filled.finalised, "A grade was entered against the wrong section.")
    report = build_report(filled.ws, filled.finalised)
    headings = [heading for heading, _ in report.reopened]
    assert len(headings) == 2
    assert headings[0].startswith("Revision 2, reopened Tue 20 Jan 2026 ")
    assert headings[1].startswith("Revision 3, reopened Tue 3 Feb 2026 ")
    assert all(heading.endswith(f" by {USER}") for heading in headings)
    assert [r for _, r in report.reopened] == [
        "The manager asked for the findings.",
        "A grade was entered against the wrong section.",
    ]
    for text in (render_html(report), render_markdown(report)):
        assert "The manager asked for the findings." in text
        assert "Revision 3, reopened Tue 3 Feb 2026" in text


SELF_NUMBERED_TOOL = """\
format: 1
id: self-numbered
version: 1
title: A tool that numbers its own questions
sections:
  - id: intro
    title: Introduction
    questions:
      - id: seen
        text: Was the child seen?
        type: yes_no
  - id: early_help
    title: Early help
    questions:
      - id: caf
        text: 1.1 Was a CAF completed?
        type: yes_no
      - id: caf_review
        text: "1.2a) Was it reviewed?"
        type: yes_no
"""


def test_a_question_the_tool_numbers_itself_shows_one_number(
    tmp_path: Path, tools_dir: Path
) -> None:
    (tools_dir / "self-numbered.yaml").write_text(SELF_NUMBERED_TOOL, encoding="utf-8")
    ws = make_workspace(tmp_path / "numbered.db", tools_dir)
    try:
        audit_id = audits.start_audit(
            ws, "self-numbered", "N0001", "CP", "North", "Sam Taylor", True
        )
        report = build_report(ws, audit_id)
    finally:
        ws.close()
    lines = {q.id: (q.number, q.text) for s in report.sections for q in s.questions}
    assert lines == {
        "seen": ("1.1", "Was the child seen?"),
        "caf": ("1.1", "Was a CAF completed?"),
        "caf_review": ("1.2a", "Was it reviewed?"),
    }
    for text in (render_html(report), render_markdown(report)):
        assert "2.1" not in text and "2.2" not in text
        assert "1.1 Was a CAF completed?" in text
