"""A small two-section tool and helpers for the moderation tests: audits ended with chosen
grades by named auditors in one real SQLite file (each person a Workspace of their own)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from auditui.config import Config, UserConfig
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

TOOL = """\
format: 1
id: mod-tool
version: 1
title: Moderation test tool
grading: {overall: lowest_section}
sections:
  - id: plan
    title: The plan
    questions:
      - id: plan_quality
        text: How good is the plan?
        type: grade
  - id: visits
    title: Visits
    questions:
      - id: visit_quality
        text: How good are the visits?
        type: grade
"""

DAY = dt.date(2026, 11, 20)


def write_tool(directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "mod-tool.yaml").write_text(TOOL, encoding="utf-8")
    return directory


def make_ws(db: Path, tools: Path, user: str, today: dt.date = DAY) -> Workspace:
    library = ToolLibrary.load([tools], include_shipped=False)
    ws = Workspace.open(db, library, Config(user=UserConfig(name=user)))
    ws.today = lambda: today
    return ws


def grade_and_end(ws: Workspace, audit_id: str, plan: str, visits: str) -> None:
    audits.answer(ws, audit_id, "plan_quality", plan)
    audits.answer(ws, audit_id, "visit_quality", visits)
    audits.set_grade(ws, audit_id, "plan", plan)
    audits.set_grade(ws, audit_id, "visits", visits)
    audits.finalise(ws, audit_id)


def ended_audit(
    ws: Workspace,
    auditor: str,
    case_ref: str,
    plan: str = "good",
    visits: str = "good",
    team: str = "North",
) -> str:
    audit_id = audits.start_audit(
        ws, "mod-tool", case_ref, "CP", team, "Pat Worker", True, auditor=auditor
    )
    grade_and_end(ws, audit_id, plan, visits)
    return audit_id
