"""An audit as the faces see it: its record, pinned tool, answers and grading.

``load()`` is the one read every screen and command starts from, and
``current()`` is the same read for a service inside its transaction. Both
serve the workspace's ``audit_cache`` while the database is unchanged and
otherwise read the rows and grade them on the audit's pinned tool version.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from auditui.domain.grading import AuditGrading, OverallGrade, SectionGrade, grade_audit
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
    # A grade accepted before the answers moved the suggestion (no rationale: it was the
    # suggestion then) is not the auditor's override: finalising accepts the new one, as it
    # does any suggestion not yet accepted (``to_accept``), so it stops nothing.
    stale = set(drifted(state))
    # (Format 1 owes a rationale only for a grade unlike the suggestion, which set_grade
    # never stores without one: what is left unwritten there is such a stale grade.)
    owed = [scope for scope in grading.missing_rationale if scope not in stale]
    for scope in owed:
        items.append(
            (scope, f"{section_name(tool, scope)}: needs a written rationale for its grade")
        )
    return items


def drifted(state: AuditState) -> list[str]:
    """Scopes whose grade the auditor accepted (or chose with no suggestion to differ from)
    before later answers moved the suggestion: chosen, unlike the suggestion now, with no
    rationale. Not an override: the grade is theirs to accept again, or to argue for."""
    return [
        scope
        for scope, chosen in state.chosen.items()
        if _differs(state, scope, chosen) and not _written(state.rationale.get(scope))
    ]


def to_accept(state: AuditState) -> list[tuple[str, str]]:
    """(scope, grade) for each suggestion finalising accepts, in tool order: those the
    auditor has not accepted yet, and those the answers moved since (``drifted``).

    Accepting a section's grade can move a suggested overall grade that rests on
    the sections, so this accepts on a copy until nothing moves, and lists the end.
    """
    accepted: dict[str, str] = {}
    for _ in range(3):  # sections, then the overall grade that rests on them
        found = _to_accept_once(state)
        if not found:
            break
        accepted.update(found)
        state = accepting(state, found)
    order = [*state.grading.sections, "overall"]
    return [(scope, accepted[scope]) for scope in order if scope in accepted]


def accepting(state: AuditState, grades: dict[str, str]) -> AuditState:
    """``state`` with ``grades`` as the auditor's own, regraded (nothing is stored)."""
    chosen = {**state.chosen, **grades}
    grading = grade_audit(
        state.tool,
        state.answers,
        state.evidence,
        chosen,
        rationales=state.rationale,
        sections_na=state.sections_na,
        details=state.details,
        calendar=state.calendar,
    )
    return dataclasses.replace(state, chosen=chosen, grading=grading)


def _to_accept_once(state: AuditState) -> dict[str, str]:
    grading = state.grading
    stale = set(drifted(state))
    found = {}
    for scope in [*grading.sections, "overall"]:
        grade = _grade(state, scope)
        if grade is None:
            continue
        if scope in stale and grade.suggested is not None:
            found[scope] = grade.suggested
        elif grade.chosen is None and grade.final is not None and scope in grading.unconfirmed:
            found[scope] = grade.final
    return found


def _written(text: str | None) -> bool:
    return bool((text or "").strip())


def _grade(state: AuditState, scope: str) -> SectionGrade | OverallGrade | None:
    return state.grading.overall if scope == "overall" else state.grading.sections.get(scope)


def _differs(state: AuditState, scope: str, chosen: str) -> bool:
    grade = _grade(state, scope)
    return grade is not None and grade.suggested is not None and chosen != grade.suggested
