"""What an auditor does to an audit, one transaction per call.

Start, answer, grade, finalise, close, reopen: each function checks its
input against the audit's pinned tool version, writes inside one
``store.transaction()``, and returns what a face needs to show next. A
refusal raises an ``AuditUIError`` before anything is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from auditui.domain.conditions import visible_questions
from auditui.domain.grading import AuditGrading, grade_audit
from auditui.domain.records import (
    AUDIT_KINDS,
    CASE_TYPE_LABELS,
    FINDINGS,
    Action,
    Audit,
    parse_date,
)
from auditui.domain.values import check_value
from auditui.errors import IncompleteAuditError, InvalidAnswerError, NotFoundError, StateError
from auditui.services.workspace import Workspace
from auditui.store import actions as action_rows
from auditui.store import audits as rows
from auditui.tools.models import AuditTool

_UNSET: Any = object()


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

    @property
    def problems(self) -> list[str]:
        """Everything that stops finalising, in tool order, in plain words."""
        return missing_lines(self)


def load(ws: Workspace, audit_id: str) -> AuditState:
    with rows_read(ws):
        conn = ws.store.conn
        audit = rows.get_audit(conn, audit_id)
        answers, evidence = rows.load_answers(conn, audit.id)
        chosen, rationale = rows.load_choices(conn, audit.id)
    tool = ws.library.get(audit.tool_id, audit.tool_version)
    grading = grade_audit(tool, answers, evidence, chosen)
    return AuditState(audit, tool, answers, evidence, chosen, rationale, grading)


def rows_read(ws: Workspace) -> Any:
    from auditui.store.db import storage_errors

    return storage_errors()


def start_audit(
    ws: Workspace,
    tool_id: str,
    case_ref: str,
    case_type: str,
    team: str,
    practitioner: str,
    practitioner_present: bool,
    kind: str = "case_file",
    auditor: str | None = None,
    tool_version: int | None = None,
    started_on: dt.date | None = None,
) -> str:
    """Create a draft audit on the tool's newest (or given) version; returns its id."""
    tool = ws.library.get(tool_id, tool_version)
    case_ref = case_ref.strip()
    if not case_ref:
        raise InvalidAnswerError("Case reference: give the reference from the recording system.")
    ws.config.organisation.check_case_reference(case_ref)
    if case_type not in CASE_TYPE_LABELS:
        raise InvalidAnswerError(
            f"Case type: '{case_type}' is not one of {', '.join(CASE_TYPE_LABELS)}."
        )
    if tool.applies_to and case_type not in tool.applies_to:
        raise InvalidAnswerError(
            f"Case type: {tool.title} applies to {', '.join(tool.applies_to)}, not {case_type}."
        )
    team = team.strip()
    if not team:
        raise InvalidAnswerError("Team: give the team that holds the case.")
    ws.config.organisation.check_team(team)
    if not practitioner.strip():
        raise InvalidAnswerError("Practitioner: give the name of the child's social worker.")
    if kind not in AUDIT_KINDS:
        raise InvalidAnswerError(f"Audit kind: '{kind}' is not one of {', '.join(AUDIT_KINDS)}.")
    audit_id = str(uuid.uuid4())
    now = ws.now()
    who = (auditor or ws.user).strip()
    with ws.store.transaction() as conn:
        rows.insert_audit(
            conn,
            {
                "id": audit_id,
                "tool_id": tool.id,
                "tool_version": tool.version,
                "case_ref": case_ref,
                "case_type": case_type,
                "team": team,
                "practitioner": practitioner.strip(),
                "auditor": who,
                "kind": kind,
                "practitioner_present": int(practitioner_present),
                "status": "draft",
                "revision": 1,
                "started_on": (started_on or ws.today()).isoformat(),
                "created_at": now,
                "updated_at": now,
            },
        )
        rows.add_event(conn, audit_id, 1, "started", None, ws.user, now)
        rows.save_grading(conn, audit_id, grade_audit(tool, {}), {}, now)
    return audit_id


def answer(
    ws: Workspace, audit_id: str, question_id: str, value: Any, evidence: Any = _UNSET
) -> AuditState:
    """Record one answer (``value=None`` clears it); committed before this returns."""
    with ws.store.transaction() as conn:
        state = _draft(ws, conn, audit_id)  # not graded: _regrade grades once, after the change
        question = state.tool.question(question_id)
        if question is None:
            raise NotFoundError(f"Audit tool {state.tool.id} has no question '{question_id}'.")
        if question_id not in visible_questions(state.tool, state.answers):
            raise StateError(
                f"Question '{question_id}' is hidden by an earlier answer, so it cannot be answered now."
            )
        if value is not None:
            value = check_value(state.tool, question, value, ws.today())
        note = state.evidence.get(question_id) if evidence is _UNSET else (evidence or None)
        if note is not None and len(note) > 20000:
            raise InvalidAnswerError(
                f"Evidence for '{question_id}' is longer than 20,000 characters."
            )
        now = ws.now()
        rows.write_answer(
            conn, state.audit.id, question_id, rows.encode_value(value), note, ws.user, now
        )
        answers = dict(state.answers)
        evidence_notes = dict(state.evidence)
        _put(answers, question_id, value)
        _put(evidence_notes, question_id, note)
        return _regrade(
            ws, conn, state, answers, evidence_notes, state.chosen, state.rationale, now
        )


def set_evidence(ws: Workspace, audit_id: str, question_id: str, text: str | None) -> AuditState:
    """Record the evidence note alone, keeping the answer."""
    with ws.store.transaction() as conn:
        state = _draft(ws, conn, audit_id)
        if state.tool.question(question_id) is None:
            raise NotFoundError(f"Audit tool {state.tool.id} has no question '{question_id}'.")
        note = (text or "").rstrip() or None
        now = ws.now()
        value = state.answers.get(question_id)
        rows.write_answer(
            conn, state.audit.id, question_id, rows.encode_value(value), note, ws.user, now
        )
        evidence_notes = dict(state.evidence)
        _put(evidence_notes, question_id, note)
        return _regrade(
            ws, conn, state, state.answers, evidence_notes, state.chosen, state.rationale, now
        )


def set_grade(
    ws: Workspace, audit_id: str, scope: str, grade: str | None, rationale: str | None = None
) -> AuditState:
    """The auditor's grade for a section or "overall"; ``None`` accepts the suggestion.

    A grade unlike the suggestion needs a written rationale.
    """
    with ws.store.transaction() as conn:
        state = _draft_state(ws, conn, audit_id)
        scale = state.tool.scale_def
        if scope == "overall":
            suggested = state.grading.overall.suggested
        elif scope in state.grading.sections:
            suggested = state.grading.sections[scope].suggested
        else:
            sections = ", ".join(state.grading.sections)
            raise NotFoundError(
                f"'{scope}' is not a section of {state.tool.id} ({sections}) or 'overall'."
            )
        if grade is not None and grade not in scale.grades:
            raise InvalidAnswerError(f"Grade: '{grade}' is not one of {', '.join(scale.grades)}.")
        rationale = (rationale or "").strip() or None
        if grade is not None and suggested is not None and grade != suggested and not rationale:
            raise InvalidAnswerError(
                f"Rationale: the suggested grade for {scope} is {scale.label(suggested)}; "
                f"choosing {scale.label(grade)} needs a written rationale."
            )
        rows.set_choice(conn, state.audit.id, scope, grade, rationale)
        chosen = dict(state.chosen)
        rationales = dict(state.rationale)
        _put(chosen, scope, grade)
        _put(rationales, scope, rationale)
        return _regrade(
            ws, conn, state, state.answers, state.evidence, chosen, rationales, ws.now()
        )


def set_findings(ws: Workspace, audit_id: str, **findings: str | None) -> AuditState:
    """Practitioner's reflection, strengths, areas for development, summary, feedback sought."""
    unknown = set(findings) - set(FINDINGS)
    if unknown:
        raise InvalidAnswerError(
            f"Unknown finding '{sorted(unknown)[0]}'; known: {', '.join(FINDINGS)}."
        )
    with ws.store.transaction() as conn:
        state = _draft_state(ws, conn, audit_id)
        rows.set_findings(
            conn, state.audit.id, {k: (v or None) for k, v in findings.items()}, ws.now()
        )
    return load(ws, audit_id)


def finalise(ws: Workspace, audit_id: str, on: dt.date | str | None = None) -> AuditState:
    """Lock a complete audit and queue its graded result for sync."""
    with ws.store.transaction() as conn:
        state = _draft_state(ws, conn, audit_id)
        problems = missing_lines(state)
        if problems:
            raise IncompleteAuditError(
                "The audit cannot be finalised yet:\n" + "\n".join(f"- {p}" for p in problems),
                problems,
            )
        ended = parse_date(on, "Finalise date") if on is not None else ws.today()
        if ended < state.audit.started_on:
            raise InvalidAnswerError(
                f"Finalise date: {ended} is before the audit started ({state.audit.started_on})."
            )
        now = ws.now()
        tool = state.tool
        due = ws.calendar.add_working_days(ended, tool.due_working_days).isoformat()
        action_rows.redate_default_actions(conn, state.audit.id, due, now)
        _end(ws, conn, state, "finalised", ended, None, now)
    return load(ws, audit_id)


def close_incomplete(
    ws: Workspace, audit_id: str, reason: str, on: dt.date | str | None = None
) -> AuditState:
    """End an audit that cannot be completed; it counts against "complete against the framework"."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidAnswerError("Reason: say why the audit cannot be completed.")
    with ws.store.transaction() as conn:
        state = _draft_state(ws, conn, audit_id)
        ended = parse_date(on, "Close date") if on is not None else ws.today()
        _end(ws, conn, state, "closed_incomplete", ended, reason, ws.now())
    return load(ws, audit_id)


def reopen(ws: Workspace, audit_id: str, reason: str) -> AuditState:
    """Back to draft as a new revision; the hub keeps the old one until the next end."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidAnswerError("Reason: say why the audit is being reopened.")
    with ws.store.transaction() as conn:
        audit = rows.get_audit(conn, audit_id)
        if not audit.ended:
            raise StateError(
                f"Audit {audit.case_ref} is a draft already; there is nothing to reopen."
            )
        now = ws.now()
        revision = audit.revision + 1
        rows.set_status(conn, audit.id, "draft", None, None, revision, now)
        rows.add_event(conn, audit.id, revision, "reopened", reason, ws.user, now)
    return load(ws, audit_id)


def missing_lines(state: AuditState) -> list[str]:
    """What stops finalising, one line each, naming the question or section."""
    tool = state.tool
    lines = []
    for qid in state.grading.missing:
        lines.append(f"{qid}: not answered ({_question_text(tool, qid)})")
    for qid in state.grading.missing_evidence:
        lines.append(f"{qid}: evidence needed for this answer ({_question_text(tool, qid)})")
    titles = {s.id: s.title for s in tool.sections}
    for scope in state.grading.missing_grades:
        lines.append(f"{scope}: no grade ({titles.get(scope, 'overall grade')})")
    for scope, chosen in state.chosen.items():
        grade = state.grading.overall if scope == "overall" else state.grading.sections.get(scope)
        suggested = grade.suggested if grade is not None else None
        if suggested is not None and chosen != suggested and not state.rationale.get(scope):
            lines.append(f"{scope}: the grade differs from the suggestion and needs a rationale")
    return lines


def _question_text(tool: AuditTool, qid: str) -> str:
    q = tool.question(qid)
    return q.text if q is not None else qid


@dataclass(frozen=True)
class _Draft:
    """A draft audit's rows before grading, for changes that regrade anyway."""

    audit: Audit
    tool: AuditTool
    answers: dict[str, Any]
    evidence: dict[str, str]
    chosen: dict[str, str]
    rationale: dict[str, str]


def _draft_state(ws: Workspace, conn: Any, audit_id: str) -> AuditState:
    d = _draft(ws, conn, audit_id)
    grading = grade_audit(d.tool, d.answers, d.evidence, d.chosen)
    return AuditState(d.audit, d.tool, d.answers, d.evidence, d.chosen, d.rationale, grading)


def _draft(ws: Workspace, conn: Any, audit_id: str) -> _Draft:
    audit = rows.get_audit(conn, audit_id)
    if audit.ended:
        word = "finalised" if audit.status == "finalised" else "closed as incomplete"
        raise StateError(
            f"Audit {audit.case_ref} is {word} and read-only; reopen it with a reason to change it."
        )
    answers, evidence = rows.load_answers(conn, audit.id)
    chosen, rationale = rows.load_choices(conn, audit.id)
    tool = ws.library.get(audit.tool_id, audit.tool_version)
    return _Draft(audit, tool, answers, evidence, chosen, rationale)


def _regrade(
    ws: Workspace,
    conn: Any,
    state: AuditState | _Draft,
    answers: dict[str, Any],
    evidence: dict[str, str],
    chosen: dict[str, str],
    rationale: dict[str, str],
    now: str,
) -> AuditState:
    grading = grade_audit(state.tool, answers, evidence, chosen)
    rows.save_grading(conn, state.audit.id, grading, rationale, now)
    return AuditState(state.audit, state.tool, answers, evidence, chosen, rationale, grading)


def _end(
    ws: Workspace,
    conn: Any,
    state: AuditState,
    status: str,
    ended: dt.date,
    reason: str | None,
    now: str,
) -> None:
    audit = state.audit
    rows.set_status(conn, audit.id, status, ended.isoformat(), reason, audit.revision, now)
    rows.add_event(conn, audit.id, audit.revision, status, reason, ws.user, now)
    rows.save_grading(conn, audit.id, state.grading, state.rationale, now)
    ended_audit = rows.get_audit(conn, audit.id)
    snapshot = ended_snapshot(ended_audit, state, action_rows.actions_of(conn, audit.id))
    rows.add_outbox(conn, audit.id, audit.revision, status, snapshot, now)


def ended_snapshot(audit: Audit, state: AuditState, actions: list[Action]) -> dict[str, Any]:
    """Everything about one ended revision, kept locally in the outbox for sync.

    This is the full local record (case reference and evidence included);
    sync decides what of it may leave the machine.
    """
    grading = state.grading
    tool = state.tool
    return {
        "audit": {
            "id": audit.id,
            "revision": audit.revision,
            "status": audit.status,
            "tool_id": audit.tool_id,
            "tool_version": audit.tool_version,
            "case_ref": audit.case_ref,
            "case_type": audit.case_type,
            "team": audit.team,
            "auditor": audit.auditor,
            "practitioner": audit.practitioner,
            "practitioner_present": audit.practitioner_present,
            "kind": audit.kind,
            "started_on": audit.started_on.isoformat(),
            "ended_on": audit.ended_on.isoformat() if audit.ended_on else None,
            "end_reason": audit.end_reason,
            "complete": grading.complete,
        },
        "sections": {
            sid: {
                **s.to_json(),
                "chosen": s.chosen,
                "rationale": state.rationale.get(sid),
                "overridden": s.chosen is not None
                and s.suggested is not None
                and s.chosen != s.suggested,
            }
            for sid, s in grading.sections.items()
        },
        "overall": {
            **grading.overall.to_json(),
            "chosen": grading.overall.chosen,
            "rationale": state.rationale.get("overall"),
            "overridden": grading.overall.chosen is not None
            and grading.overall.suggested is not None
            and grading.overall.chosen != grading.overall.suggested,
        },
        "answers": [
            {
                "question_id": q.id,
                "section_id": tool.section_of[q.id].id,
                "value": state.answers[q.id],
                "evidence": state.evidence.get(q.id),
                "tags": list(q.tags),
            }
            for q in tool.questions
            if q.id in state.answers
        ],
        "actions": [
            {
                "id": a.id,
                "owner": a.owner,
                "text": a.text,
                "due": a.due.isoformat(),
                "status": a.status,
                "completed_on": a.completed_on.isoformat() if a.completed_on else None,
            }
            for a in actions
        ],
        "findings": dict(audit.findings),
    }


def _put(mapping: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


def list_audits(
    ws: Workspace,
    status: str | None = None,
    search: str | None = None,
    auditor: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[Audit]:
    with rows_read(ws):
        return rows.list_audits(ws.store.conn, status, search, auditor, limit, offset)


def count_audits(
    ws: Workspace, status: str | None = None, search: str | None = None, auditor: str | None = None
) -> int:
    with rows_read(ws):
        return rows.count_audits(ws.store.conn, status, search, auditor)


def status_counts(ws: Workspace, auditor: str | None = None) -> dict[str, int]:
    with rows_read(ws):
        return rows.status_counts(ws.store.conn, auditor)
