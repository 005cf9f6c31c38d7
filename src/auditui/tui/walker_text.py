"""The walker's words: what it says about the audit, the question and its evidence.

Plain functions of the audit's state, kept apart from the screen so the
wording can be read (and changed) in one place without the widget code.
"""

from __future__ import annotations

from typing import Any

from textual.markup import escape

from auditui.domain.grading import needs_evidence
from auditui.domain.names import sentence
from auditui.domain.records import Audit
from auditui.domain.working_days import format_day
from auditui.services.audits import AuditState
from auditui.tools.models import Question


def resume_point(state: AuditState) -> str:
    """The first unanswered question, else the first missing its evidence, else the first.

    A computed question (format 2) is never where to resume: nobody answers it.
    """
    grading = state.grading
    for qid in grading.visible:
        if qid not in state.answers and qid not in grading.computed:  # computed: from dates
            return qid
    if grading.missing_evidence:
        return grading.missing_evidence[0]
    return grading.visible[0] if grading.visible else state.tool.questions[0].id


def subtitle(state: AuditState) -> str:
    audit = state.audit
    who = audit.case_ref or audit.practitioner  # a worker audit has no case
    return f"{who} · {state.tool.title} · {audit.team}"


def evidence_label(question: Question, value: Any, has_note: bool, writing: bool) -> str:
    """The line above the evidence box: whether this answer needs a note, and how to write it."""
    if value is not None and needs_evidence(question, value):
        if has_note:
            return "[b]Evidence[/b] (required for this answer) [green]✓[/green]"
        if writing:
            return "[b]Evidence[/b] [b $warning]required for this answer[/]: type it below"
        return "[b]Evidence[/b] [b $warning]required for this answer[/]: press e to write it"
    if question.evidence == "always":
        return "[b]Evidence[/b] (always required for this question)"
    if question.evidence == "when_not_yes":
        return "[b]Evidence[/b] (required unless the answer is Yes)"
    return "[b]Evidence[/b] [dim](optional; e or Tab to write)[/dim]"


def ended_banner(audit: Audit) -> str:
    """Why an ended audit is read-only, and how to reopen it."""
    day = format_day(audit.ended_on) if audit.ended_on else "?"
    if audit.status == "finalised":
        what = f"Finalised on {day}."
    else:
        what = sentence(f"Closed as incomplete on {day}: {audit.end_reason or 'no reason given'}")
    return f"[b]{escape(what)}[/b] Read-only: R reopens it with a reason; A shows its actions."
