"""The life of an audit: started as a draft, ended (finalised or closed
incomplete), reopened as a new revision.

Each call is one transaction. Ending an audit writes its outbox row (the
full snapshot sync sends) in the same transaction that changes its status,
so a crash can never leave an ended audit that the hub will not hear of.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Sequence

from auditui.domain.grading import grade_audit
from auditui.domain.records import (
    AUDIT_KINDS,
    CASE_TYPE_LABELS,
    checked_name,
    checked_note,
    parse_date,
)
from auditui.errors import IncompleteAuditError, InvalidAnswerError, StateError
from auditui.services.audit_snapshot import ended_snapshot
from auditui.services.audit_state import (
    AuditState,
    accepting,
    current_draft,
    load,
    missing_lines,
    state_of,
    to_accept,
)
from auditui.services.workspace import Workspace
from auditui.store import actions as action_rows
from auditui.store import audits as rows
from auditui.store.values import encode_value


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
    if tool.is_worker_audit:
        case_ref, case_type = _no_case(tool.title, case_ref, case_type)
    else:
        case_ref, case_type = _checked_case(ws, tool.title, tool.applies_to, case_ref, case_type)
    team = checked_name(team, "Team")
    if not team:
        raise InvalidAnswerError("Team: give the team that holds the case.")
    ws.config.organisation.check_team(team)
    practitioner = checked_name(practitioner, "Practitioner")
    if not practitioner:
        whose = "whose file is audited" if tool.is_worker_audit else "of the child's social worker"
        raise InvalidAnswerError(f"Practitioner: give the name {whose}.")
    who = checked_name(auditor or ws.user, "Auditor")
    if not who:
        raise InvalidAnswerError("Auditor: give the name of who does the audit.")
    if auditor is not None:  # a name typed for someone else: as the organisation spells it
        from auditui.services.programme import known_auditor

        who = known_auditor(ws, who)
    if kind not in AUDIT_KINDS:
        raise InvalidAnswerError(f"Audit kind: '{kind}' is not one of {', '.join(AUDIT_KINDS)}.")
    audit_id = str(uuid.uuid4())
    now = ws.now()
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
                "practitioner": practitioner,
                "auditor": who,
                "kind": kind,
                "practitioner_present": int(practitioner_present),
                "status": "draft",
                "revision": 1,
                "started_on": (started_on or ws.today()).isoformat(),
                "created_at": now,
                "updated_at": now,
                "calendar": ws.config.organisation.calendar,
                "subject": "worker" if tool.is_worker_audit else "case",
            },
        )
        rows.add_event(conn, audit_id, 1, "started", None, ws.user, now)
        rows.save_grading(conn, audit_id, grade_audit(tool, {}), {}, now)
    return audit_id


def _checked_case(
    ws: Workspace, title: str, applies_to: Sequence[str] | None, case_ref: str, case_type: str
) -> tuple[str, str]:
    case_ref = checked_name(case_ref or "", "Case reference")
    if not case_ref:
        raise InvalidAnswerError("Case reference: give the reference from the recording system.")
    case_ref = ws.config.organisation.check_case_reference(case_ref)
    if not case_type:
        raise InvalidAnswerError(
            f"Case type: give one of {', '.join(applies_to or CASE_TYPE_LABELS)}."
        )
    if case_type not in CASE_TYPE_LABELS:
        raise InvalidAnswerError(
            f"Case type: '{case_type}' is not one of {', '.join(CASE_TYPE_LABELS)}."
        )
    if applies_to and case_type not in applies_to:
        raise InvalidAnswerError(
            f"Case type: {title} applies to {', '.join(applies_to)}, not {case_type}."
        )
    return case_ref, case_type


def _no_case(title: str, case_ref: str | None, case_type: str | None) -> tuple[str, str]:
    """A worker audit (``subject: worker``) has no case: none may be given."""
    if (case_ref or "").strip() or (case_type or "").strip():
        raise InvalidAnswerError(
            f"{title} audits a practitioner's own file: give no case reference or case type."
        )
    return "", ""


def finalise(ws: Workspace, audit_id: str, on: dt.date | str | None = None) -> AuditState:
    """Lock a complete audit and queue its graded result for sync."""
    with ws.store.transaction() as conn:
        state = state_of(current_draft(ws, conn, audit_id))
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
        state = _accept_suggestions(conn, state)
        now = ws.now()
        tool = state.tool
        due = ws.calendar.add_working_days(ended, tool.due_working_days).isoformat()
        action_rows.redate_default_actions(conn, state.audit.id, due, now)
        _keep_computed(ws, conn, state, now)
        _end(ws, conn, state, "finalised", ended, None, now)
    return load(ws, audit_id)


def _accept_suggestions(conn: sqlite3.Connection, state: AuditState) -> AuditState:
    """Finalising accepts each suggested grade the auditor has not yet accepted, and each
    the answers moved since they did (the review lists them: ``to_accept``), so a
    finalised audit owes nothing and its progress is 100%."""
    found = dict(to_accept(state))
    for scope, grade in found.items():
        rows.set_choice(conn, state.audit.id, scope, grade, state.rationale.get(scope))
    return accepting(state, found) if found else state


def close_incomplete(
    ws: Workspace, audit_id: str, reason: str, on: dt.date | str | None = None
) -> AuditState:
    """End an audit that cannot be completed; it counts against "complete against the framework"."""
    reason = checked_note(reason or "", "Reason")
    if not reason:
        raise InvalidAnswerError("Reason: say why the audit cannot be completed.")
    with ws.store.transaction() as conn:
        state = state_of(current_draft(ws, conn, audit_id))
        ended = parse_date(on, "Close date") if on is not None else ws.today()
        if ended < state.audit.started_on:
            raise InvalidAnswerError(
                f"Close date: {ended} is before the audit started ({state.audit.started_on})."
            )
        _end(ws, conn, state, "closed_incomplete", ended, reason, ws.now())
    return load(ws, audit_id)


def reopen(ws: Workspace, audit_id: str, reason: str) -> AuditState:
    """Back to draft as a new revision; the hub keeps the old one until the next end."""
    reason = checked_note(reason or "", "Reason")
    if not reason:
        raise InvalidAnswerError("Reason: say why the audit is being reopened.")
    with ws.store.transaction() as conn:
        audit = rows.get_audit(conn, audit_id)
        if not audit.ended:
            raise StateError(
                f"Audit {audit.case_ref or audit.practitioner} is a draft already; there is nothing to reopen."
            )
        now = ws.now()
        revision = audit.revision + 1
        rows.set_status(conn, audit.id, "draft", None, None, revision, now)
        rows.add_event(conn, audit.id, revision, "reopened", reason, ws.user, now)
    return load(ws, audit_id)


def _keep_computed(ws: Workspace, conn: sqlite3.Connection, state: AuditState, now: str) -> None:
    """Store each computed answer as finalised (format 2), so the audit keeps the counts it was
    finalised with and every export shows them; grading still works them out from the dates."""
    for question in state.tool.computed_questions:
        value = state.grading.computed.get(question.id)
        stored = encode_value(value)
        rows.write_answer(
            conn, state.audit.id, question.id, stored, state.evidence.get(question.id), ws.user, now
        )


def _end(
    ws: Workspace,
    conn: sqlite3.Connection,
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
