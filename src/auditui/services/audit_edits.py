"""Changes to a draft audit: an answer, an evidence note, a grade, the findings.

These are the calls an auditor makes many times per audit, so each one is
a single short transaction: the audit comes from the workspace's cache
when the database is unchanged (``audit_state.current``), the answer and
its history row are written without reading them back, only the sections
the change touched are regraded, and only grade rows that changed are
written. The new state goes into the cache after the commit, never before.
A refusal raises an ``AuditUIError`` before anything is written.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from auditui.domain.date_limits import check_linked_dates
from auditui.domain.names import question_name, section_name
from auditui.domain.records import FINDINGS, Audit, checked_note
from auditui.domain.values import check_value
from auditui.errors import InvalidAnswerError, NotFoundError, StateError
from auditui.services.audit_cache import CachedAudit
from auditui.services.audit_state import (
    AuditState,
    current_draft,
    details_of,
    load,
    state_of,
)
from auditui.services.regrade import regrade
from auditui.services.workspace import Workspace
from auditui.store import audits as rows
from auditui.store.answer_guard import Seen
from auditui.store.values import decode_value, encode_value

_UNSET: Any = object()
EVIDENCE_LIMIT = 20000


def answer(
    ws: Workspace,
    audit_id: str,
    question_id: str,
    value: Any,
    evidence: Any = _UNSET,
    *,
    seen: Seen | None = None,
) -> AuditState:
    """Record one answer (``value=None`` clears it); committed before this returns.

    ``seen`` is what the caller last showed of this answer: the write is
    refused (``ChangedElsewhereError``) if that has changed since.
    """
    with ws.store.transaction() as conn:
        entry = current_draft(ws, conn, audit_id)
        tool = entry.tool
        question = tool.question(question_id)
        if question is None:
            raise NotFoundError(f"Audit tool {tool.id} has no question '{question_id}'.")
        if question_id not in entry.grading.visible:
            raise StateError(
                f"{question_name(tool, question_id)} is hidden by an earlier answer, so it "
                "cannot be answered now."
            )
        if value is not None:
            today = ws.today() if question.type == "date" else None  # only dates need it
            value = check_value(tool, question, value, today)
        if tool.format >= 2 and question.type == "date":
            after = dict(entry.answers)
            _put(after, question_id, value)
            check_linked_dates(tool, after, details_of(entry.audit), entry.sections_na)
        note = entry.evidence.get(question_id) if evidence is _UNSET else (evidence or None)
        if note is not None and len(note) > EVIDENCE_LIMIT:
            raise InvalidAnswerError(
                f"Evidence for {question_name(tool, question_id)} is longer than 20,000 characters."
            )
        stored_value = encode_value(value)
        entry = _write_answer(ws, conn, entry, question_id, stored_value, note, seen)
    ws.audit_cache.put(entry)
    return state_of(entry)


def set_evidence(
    ws: Workspace,
    audit_id: str,
    question_id: str,
    text: str | None,
    *,
    seen: Seen | None = None,
) -> AuditState:
    """Record the evidence note alone, keeping the answer; ``seen`` as for ``answer()``."""
    with ws.store.transaction() as conn:
        entry = current_draft(ws, conn, audit_id)
        if entry.tool.question(question_id) is None:
            raise NotFoundError(f"Audit tool {entry.tool.id} has no question '{question_id}'.")
        note = (text or "").rstrip() or None
        stored_value = (entry.stored.get(question_id) or (None, None))[0]
        entry = _write_answer(ws, conn, entry, question_id, stored_value, note, seen)
    ws.audit_cache.put(entry)
    return state_of(entry)


def set_grade(
    ws: Workspace, audit_id: str, scope: str, grade: str | None, rationale: str | None = None
) -> AuditState:
    """The auditor's grade for a section or "overall"; ``None`` accepts the suggestion.

    A grade unlike the suggestion needs a written rationale, and so does
    every grade where the tool's rule says ``rationale: always`` (format 2).
    """
    with ws.store.transaction() as conn:
        entry = current_draft(ws, conn, audit_id)
        tool = entry.tool
        scale = tool.scale_def
        grading = entry.grading
        section = next((s for s in tool.sections if s.id == scope), None)
        if scope == "overall":
            suggested = grading.overall.suggested
            always = tool.grading.overall.always_rationale
        elif section is not None and scope in grading.sections:
            if not section.graded_by_rule:
                raise StateError(f"{section_name(tool, scope)} is not graded.")
            suggested = grading.sections[scope].suggested
            always = section.grading.always_rationale
        else:
            sections = ", ".join(grading.sections)
            raise NotFoundError(
                f"'{scope}' is not a section of {entry.tool.id} ({sections}) or 'overall'."
            )
        if grade is not None and grade not in scale.grades:
            raise InvalidAnswerError(f"Grade: '{grade}' is not one of {', '.join(scale.grades)}.")
        rationale = checked_note(rationale or "", "Rationale") or None
        if grade is not None and suggested is not None and grade != suggested and not rationale:
            raise InvalidAnswerError(
                f"Rationale: the suggested grade for {section_name(tool, scope)} is "
                f"{scale.label(suggested)}; "
                f"choosing {scale.label(grade)} needs a written rationale."
            )
        if grade is not None and always and not rationale:
            raise InvalidAnswerError(
                f"Rationale: every grade for {section_name(tool, scope)} needs a written "
                "rationale (the tool asks for one always)."
            )
        rows.set_choice(conn, entry.audit.id, scope, grade, rationale)
        chosen = dict(entry.chosen)
        rationales = dict(entry.rationale)
        _put(chosen, scope, grade)
        _put(rationales, scope, rationale)
        entry = _regraded(
            ws, conn, entry, ws.now(), scopes=(scope,), chosen=chosen, rationale=rationales
        )
    ws.audit_cache.put(entry)
    return state_of(entry)


def set_findings(ws: Workspace, audit_id: str, **findings: str | None) -> AuditState:
    """Practitioner's reflection, strengths, areas for development, summary, feedback sought."""
    unknown = set(findings) - set(FINDINGS)
    if unknown:
        raise InvalidAnswerError(
            f"Unknown finding '{sorted(unknown)[0]}'; known: {', '.join(FINDINGS)}."
        )
    checked = {
        name: (checked_note(text, name.replace("_", " ").capitalize()) or None)
        if text is not None
        else None
        for name, text in findings.items()
    }
    with ws.store.transaction() as conn:
        entry = current_draft(ws, conn, audit_id)
        rows.set_findings(conn, entry.audit.id, checked, ws.now())
    return load(ws, audit_id)


def _write_answer(
    ws: Workspace,
    conn: sqlite3.Connection,
    entry: CachedAudit,
    question_id: str,
    stored_value: str | None,
    note: str | None,
    seen: Seen | None = None,
) -> CachedAudit:
    """Write one answer row (and its history) and regrade; returns the new entry.

    The new entry holds exactly what a fresh read would: the row as now
    stored, and the value decoded from it.
    """
    now = ws.now()
    audit_id = entry.audit.id
    old = entry.stored.get(question_id)
    row = rows.record_answer(
        conn, audit_id, question_id, old, stored_value, note, ws.user, now, seen
    )
    stored = dict(entry.stored)
    answers = dict(entry.answers)
    evidence = dict(entry.evidence)
    _put(stored, question_id, row)
    new_value, new_note = row if row is not None else (None, None)
    _put(answers, question_id, decode_value(new_value))
    _put(evidence, question_id, new_note or None)
    return _regraded(
        ws,
        conn,
        entry,
        now,
        questions=(question_id,),
        stored=stored,
        answers=answers,
        evidence=evidence,
    )


def _regraded(
    ws: Workspace,
    conn: sqlite3.Connection,
    entry: CachedAudit,
    now: str,
    *,
    questions: tuple[str, ...] = (),
    scopes: tuple[str, ...] = (),
    stored: dict[str, tuple[str | None, str | None]] | None = None,
    answers: dict[str, Any] | None = None,
    evidence: dict[str, str] | None = None,
    chosen: dict[str, str] | None = None,
    rationale: dict[str, str] | None = None,
) -> CachedAudit:
    """Regrade after a change, write the grades that moved, and build the new entry.

    ``questions`` and ``scopes`` name what changed (see ``regrade``).
    """
    stored = entry.stored if stored is None else stored
    answers = entry.answers if answers is None else answers
    evidence = entry.evidence if evidence is None else evidence
    chosen = entry.chosen if chosen is None else chosen
    rationale = entry.rationale if rationale is None else rationale
    grading, memo = regrade(
        entry.tool,
        answers,
        evidence,
        chosen,
        entry.memo,
        questions,
        scopes,
        rationales=rationale,
        sections_na=entry.sections_na,
        details=details_of(entry.audit),
        calendar=entry.calendar,
    )
    audit_id = entry.audit.id
    progress = grading.progress
    grade_rows = rows.write_grading(
        conn, audit_id, grading, rationale, entry.grade_rows, now, progress
    )
    audit = _summarised(entry.audit, progress, grading.overall.final, grading.complete, now)
    token = ws.store.change_token(since=entry.token)
    return CachedAudit(
        audit,
        entry.tool,
        stored,
        answers,
        evidence,
        chosen,
        rationale,
        grade_rows,
        grading,
        memo,
        token,
        entry.sections_na,
        entry.calendar,
    )


def _summarised(
    audit: Audit, progress: float, overall_grade: str | None, complete: bool, updated_at: str
) -> Audit:
    """``dataclasses.replace(audit, ...)`` for the summary columns an answer moves.

    Built field by field because ``replace()`` cost a tenth of an answer.
    """
    new = object.__new__(Audit)
    fields = new.__dict__
    fields.update(audit.__dict__)
    fields["progress"] = progress
    fields["overall_grade"] = overall_grade
    fields["complete"] = complete
    fields["updated_at"] = updated_at
    return new


def _put(mapping: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value
