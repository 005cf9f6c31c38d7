"""An audit as the faces see it: its record, pinned tool, answers and grading.

``load()`` is the one read every screen and command starts from, and
``current()`` is the same read for a service inside its transaction. Both
serve the workspace's ``audit_cache`` while the database is unchanged and
otherwise read the rows and grade them on the audit's pinned tool version.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from auditui.domain.grading import AuditGrading, OverallGrade, SectionGrade
from auditui.domain.names import question_name, section_name
from auditui.domain.records import Audit
from auditui.errors import StateError
from auditui.services.audit_cache import CachedAudit
from auditui.services.regrade import regrade
from auditui.services.workspace import Workspace
from auditui.store import audit_sections
from auditui.store import audits as rows
from auditui.store.db import storage_errors
from auditui.tools.models import AuditTool


@dataclass(frozen=True)
class AuditState:
    """An audit with its tool, answers and grading, as of one read."""

    audit: Audit
    tool: AuditTool
    answers: dict[str, Any]
    evidence: dict[str, str]
    chosen: dict[str, str]
    rationale: dict[str, str]
    grading: AuditGrading
    sections_na: dict[str, str] = field(default_factory=dict)
    """(2) Reasons by section id, for the sections marked not applicable."""
    calendar: str = "england-and-wales"
    """(2) The working-day calendar computed answers count in."""

    @property
    def details(self) -> dict[str, Any]:
        """The audit details conditions may test (format 2)."""
        return details_of(self.audit)

    @property
    def problems(self) -> list[str]:
        """Everything that stops finalising, in tool order, in plain words."""
        return missing_lines(self)


def load(ws: Workspace, audit_id: str) -> AuditState:
    with storage_errors():
        return state_of(current(ws, ws.store.conn, audit_id))


def current(ws: Workspace, conn: sqlite3.Connection, audit_id: str) -> CachedAudit:
    """The audit as stored now: from the cache if nothing changed, else from the rows.

    Inside a write transaction this is exact; outside one, the change token
    is read before the rows, so a write landing in between can only make
    the cached copy look older than it is, never newer.
    """
    token = ws.store.change_token()
    entry = ws.audit_cache.get(audit_id, token)
    if entry is not None and ws.library.get(entry.audit.tool_id, entry.audit.tool_version) is (
        entry.tool
    ):
        return entry
    audit = rows.get_audit(conn, audit_id)
    stored = rows.answer_rows(conn, audit.id)
    answers, evidence = rows.decode_answers(stored)
    grade_rows = rows.stored_grades(conn, audit.id)
    chosen, rationale = rows.choices(grade_rows)
    tool = ws.library.get(audit.tool_id, audit.tool_version)
    sections_na: dict[str, str] = {}
    calendar = "england-and-wales"
    if tool.format >= 2:
        sections_na = audit_sections.sections_na(conn, audit.id)
        calendar = audit_sections.calendar_and_subject(conn, audit.id)[0]
    grading, memo = regrade(
        tool,
        answers,
        evidence,
        chosen,
        rationales=rationale,
        sections_na=sections_na,
        details=details_of(audit),
        calendar=calendar,
    )
    entry = CachedAudit(
        audit,
        tool,
        stored,
        answers,
        evidence,
        chosen,
        rationale,
        grade_rows,
        grading,
        memo,
        token,
        sections_na,
        calendar,
    )
    ws.audit_cache.put(entry)
    return entry


def current_draft(ws: Workspace, conn: sqlite3.Connection, audit_id: str) -> CachedAudit:
    """``current()``, refusing an audit that has ended."""
    entry = current(ws, conn, audit_id)
    audit = entry.audit
    if audit.ended:
        word = "finalised" if audit.status == "finalised" else "closed as incomplete"
        raise StateError(
            f"Audit {audit.case_ref or audit.practitioner} is {word} and read-only; "
            "reopen it with a reason to change it."
        )
    return entry


def state_of(entry: CachedAudit) -> AuditState:
    """What a caller gets: copies, so nothing it does can change the cached entry."""
    g = entry.grading
    grading = AuditGrading(
        dict(g.sections),
        g.overall,
        g.complete,
        list(g.missing),
        list(g.missing_evidence),
        list(g.missing_grades),
        g.visible,
        list(g.missing_rationale),
        dict(g.computed),
        g.shown_sections,
    )
    return AuditState(
        entry.audit,
        entry.tool,
        dict(entry.answers),
        dict(entry.evidence),
        dict(entry.chosen),
        dict(entry.rationale),
        grading,
        dict(entry.sections_na),
        entry.calendar,
    )


def details_of(audit: Audit) -> dict[str, Any]:
    """case_type (none for a worker audit), kind and practitioner_present, as conditions see them."""
    return {
        "case_type": audit.case_type or None,
        "kind": audit.kind,
        "practitioner_present": audit.practitioner_present,
    }


def missing_lines(state: AuditState) -> list[str]:
    """What stops finalising, one line each, naming the question or section in its own words."""
    return [line for _, line in missing_items(state)]


def missing_items(state: AuditState) -> list[tuple[str, str]]:
    """``missing_lines`` with where each leads: (question id or section id or "overall", line).

    Lines name a question by its number and words ("Q2.3 Is the child's voice
    recorded?: not answered") and a section by its number and title ("Section
    4 Engagement: no grade"), never by the ids the tool file uses.
    """
    tool = state.tool
    grading = state.grading
    items = []
    for qid in grading.missing:
        items.append((qid, f"{question_name(tool, qid)}: not answered"))
    for qid in grading.missing_evidence:
        items.append((qid, f"{question_name(tool, qid)}: evidence needed for this answer"))
    for scope in grading.missing_grades:
        items.append((scope, f"{section_name(tool, scope)}: no grade"))
    owed = list(grading.missing_rationale)
    if tool.format < 2:  # format 2 counts every needed rationale in missing_rationale
        owed += [
            scope
            for scope, chosen in state.chosen.items()
            if _differs(state, scope, chosen) and not state.rationale.get(scope)
        ]
    for scope in owed:
        items.append((scope, f"{section_name(tool, scope)}: {_why_rationale(state, scope)}"))
    return items


def _grade(state: AuditState, scope: str) -> SectionGrade | OverallGrade | None:
    return state.grading.overall if scope == "overall" else state.grading.sections.get(scope)


def _differs(state: AuditState, scope: str, chosen: str) -> bool:
    grade = _grade(state, scope)
    return grade is not None and grade.suggested is not None and chosen != grade.suggested


def _why_rationale(state: AuditState, scope: str) -> str:
    grade = _grade(state, scope)
    label = state.tool.scale_def.label
    if grade is not None and grade.chosen and grade.suggested and grade.chosen != grade.suggested:
        return (
            f"graded {label(grade.chosen)} where the answers suggest "
            f"{label(grade.suggested)}; write why, or accept the suggestion"
        )
    return "needs a written rationale for its grade"
