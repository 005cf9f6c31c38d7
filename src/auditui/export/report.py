"""One audit as a record to share: what the practitioner and manager read and file.

``build_report`` gathers everything the two renderers (``report_markdown``,
``report_html``) show, already in words: answers as labels, grades as their
scale's names, dates as people write them. It reads the store directly and
grades with the same pure function as the services, so the report says
exactly what the audit screen says.

The child is named by the case reference from the recording system only; the
report never holds more about the child than the audit does.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field

from auditui.domain.grading import AuditGrading, OverallGrade, SectionGrade, grade_audit
from auditui.domain.names import own_number, question_name, section_name
from auditui.domain.percent import round_half_up
from auditui.domain.records import CASE_TYPE_LABELS, KIND_LABELS, STATUS_LABELS, Action, Audit
from auditui.domain.values import display_value
from auditui.domain.working_days import format_day, format_due, working_days_between
from auditui.export.computed import computed_figure
from auditui.export.source import ExportSource, reading_connection
from auditui.store import actions as action_rows
from auditui.store import audit_sections as na_rows
from auditui.store import audits as audit_rows
from auditui.store import report_reads
from auditui.store.db import storage_errors
from auditui.tools.models import AuditTool, Question
from auditui.tools.numbering import form_numbers


@dataclass(frozen=True)
class QuestionLine:
    number: str
    """"2.3": section and question, as the auditor saw them."""
    id: str
    text: str
    answer: str
    """The answer in words ("Partly", "Mind of My Own; Other"), or "Not answered"."""
    answered: bool
    required: bool
    """False for an optional question: leaving it unanswered is not a gap."""
    evidence: str | None
    answered_by: str = ""
    """(issue 13) Who last changed the answer and when ("Sam Taylor, Wed 14 Jan 2026 10:02")."""


@dataclass(frozen=True)
class GradeLine:
    title: str
    percent: float | None
    suggested: str | None
    final: str | None
    overridden: bool
    rationale: str | None
    explanation: str


@dataclass(frozen=True)
class SectionPart:
    number: int | str
    """The section's number: its position, or (format 2) the form's own."""
    id: str
    title: str
    grade: GradeLine
    questions: list[QuestionLine]
    not_applicable: str | None = None
    """(2) The auditor's reason the section does not apply; it is then not graded."""
    shown: bool = True
    """(2) False when the section's condition does not hold for this audit."""


@dataclass(frozen=True)
class ActionLine:
    text: str
    owner: str
    due: str
    """"due Tue 12 Jan 2027, 20 working days" from the audit's end."""
    status: str
    """"Open", "Overdue by 3 working days", "Done", "Cancelled"."""
    completed_on: str | None
    evidence: str | None = None
    """What shows a done action was done, as recorded when it was completed."""
    overdue: bool = False


@dataclass(frozen=True)
class AuditReport:
    audit: Audit
    tool: AuditTool
    details: list[tuple[str, str]]
    """Case and audit details as (label, value), in reading order."""
    sections: list[SectionPart]
    overall: GradeLine
    findings: list[tuple[str, str]]
    """Summary, strengths, areas for development, practitioner's reflection: those written."""
    actions: list[ActionLine]
    complete: bool
    problems: list[str] = field(default_factory=list)
    """For a draft: what still stops it being finalised."""
    generated_on: str = ""
    reopened: list[tuple[str, str]] = field(default_factory=list)
    """(heading, reason) for each reopening: ("Revision 2, reopened Wed 14 Jan 2026 by …", why)."""

    @property
    def title(self) -> str:
        if self.tool.is_worker_audit:
            return f"Audit report: {self.tool.title}, {self.audit.practitioner}"
        return f"Audit report: {self.tool.title}, case {self.audit.case_ref}"


FINDING_TITLES = (
    ("summary", "Summary"),
    ("strengths", "Strengths"),
    ("development", "Areas for development"),
    ("reflection", "Practitioner's reflection"),
)


def build_report(source: ExportSource, audit_id: str) -> AuditReport:
    """Everything the report shows about one audit (a unique id prefix will do)."""
    conn = reading_connection(source.store)  # its own: safe from a TUI worker thread
    conn.row_factory = sqlite3.Row
    try:
        with storage_errors():
            audit = audit_rows.get_audit(conn, audit_id)
            answers, evidence = audit_rows.load_answers(conn, audit.id)
            chosen, rationale = audit_rows.load_choices(conn, audit.id)
            actions = action_rows.actions_of(conn, audit.id)
            sections_na = na_rows.sections_na(conn, audit.id)
            audit_calendar = na_rows.calendar_and_subject(conn, audit.id)[0]
            authors = report_reads.answer_authors(conn, audit.id)
            reopenings = report_reads.reopenings(conn, audit.id)
    finally:
        conn.close()
    tool = source.library.get(audit.tool_id, audit.tool_version)
    details = {
        "case_type": audit.case_type or None,
        "kind": audit.kind,
        "practitioner_present": audit.practitioner_present,
    }
    grading = grade_audit(
        tool,
        answers,
        evidence,
        chosen,
        rationales=rationale,
        sections_na=sections_na,
        details=details,
        calendar=audit_calendar,
    )
    numbers = form_numbers(tool) if tool.format >= 2 else {}
    shown_sections = grading.shown_sections
    scale = tool.scale_def
    today = source.today()

    def grade_line(title: str, g: SectionGrade | OverallGrade, why: str | None) -> GradeLine:
        return GradeLine(
            title=title,
            percent=g.percent,
            suggested=scale.label(g.suggested) if g.suggested else None,
            final=scale.label(g.final) if g.final else None,
            overridden=g.chosen is not None and g.suggested is not None and g.chosen != g.suggested,
            rationale=why,
            explanation=g.explanation,
        )

    visible = set(grading.visible)
    sections = []
    for n, section in enumerate(tool.sections, start=1):
        lines = []
        shown = [q for q in section.questions if q.id in visible]
        for m, q in enumerate(shown, start=1):
            value = answers.get(q.id)
            words = _answer_words(tool, q, value)
            if q.compute is not None:
                value = grading.computed.get(q.id)
                words = computed_figure(q, value, answers, audit_calendar)
            # A tool that numbers its own questions ("1.1 Was a CAF…") shows that number once.
            number, text = own_number(numbers.get(q.id, f"{n}.{m}"), q.text, q.number is not None)
            who, when = authors.get(q.id, ("", ""))
            lines.append(
                QuestionLine(
                    number=number,
                    id=q.id,
                    text=text,
                    answer=words,
                    answered=value is not None,
                    required=q.required,
                    evidence=evidence.get(q.id),
                    answered_by=", ".join(p for p in (who, _when(when)) if p)
                    if value is not None and q.compute is None
                    else "",
                )
            )
        # And its own sections ("1. Assessment"): "1. Assessment", not "1. 1. Assessment".
        section_number, title = own_number(
            str(numbers.get(section.id, n)), section.title, section.number is not None
        )
        sections.append(
            SectionPart(
                section_number,
                section.id,
                title,
                grade_line(section.title, grading.sections[section.id], rationale.get(section.id)),
                lines,
                sections_na.get(section.id) if section.allow_na else None,
                shown_sections is None or section.id in shown_sections,
            )
        )
    ended = audit.ended_on
    return AuditReport(
        audit=audit,
        tool=tool,
        details=_details(audit, tool, grading),
        sections=sections,
        overall=grade_line("Overall", grading.overall, rationale.get("overall")),
        findings=[
            (title, text)
            for name, title in FINDING_TITLES
            if (text := (audit.findings.get(name) or "").strip())
        ],
        actions=[_action_line(a, ended, audit_calendar, today) for a in actions],
        complete=grading.complete,
        problems=_problems(tool, grading) if audit.status == "draft" else [],
        generated_on=format_day(today),
        reopened=[
            (
                f"Revision {r.revision}, reopened {_when(r.at)}" + (f" by {r.by}" if r.by else ""),
                r.reason,
            )
            for r in reopenings
        ],
    )


def _when(at: str) -> str:
    """A stored ISO timestamp as people write it ("Wed 14 Jan 2026 10:02"); as stored if odd."""
    try:
        moment = dt.datetime.fromisoformat(at)
    except ValueError:
        return at
    if len(at) <= 10:
        return format_day(moment.date())
    if moment.tzinfo is not None:  # stored in UTC: shown in the reader's own time
        moment = moment.astimezone()
    return f"{format_day(moment.date())} {moment:%H:%M}"


def _answer_words(tool: AuditTool, q: Question, value: object) -> str:
    if value is not None:
        return display_value(tool, q, value)
    return "Not answered" if q.required else "Not answered (optional)"


def _details(audit: Audit, tool: AuditTool, grading: AuditGrading) -> list[tuple[str, str]]:
    if audit.status == "finalised" and audit.ended_on:
        status = f"Finalised on {format_day(audit.ended_on)}"
    elif audit.status == "closed_incomplete" and audit.ended_on:
        status = f"Closed as incomplete on {format_day(audit.ended_on)}: {audit.end_reason or ''}"
    else:
        done = round_half_up(grading.progress * 100, 0)
        status = f"{STATUS_LABELS.get(audit.status, audit.status)}, {done:.0f}% done"
    case: list[tuple[str, str]] = [
        ("Case reference", audit.case_ref),
        ("Case type", CASE_TYPE_LABELS.get(audit.case_type, audit.case_type)),
    ]
    if tool.is_worker_audit:  # a practitioner's own file: there is no case
        case = [("Audit of", f"{audit.practitioner}'s own file")]
    return [
        *case,
        ("Team", audit.team),
        ("Practitioner", audit.practitioner),
        ("Practitioner present", "Yes" if audit.practitioner_present else "No"),
        ("Auditor", audit.auditor),
        ("Audit tool", f"{tool.title} (version {tool.version})"),
        ("Kind of audit", KIND_LABELS.get(audit.kind, audit.kind)),
        ("Started", format_day(audit.started_on)),
        ("Status", status.rstrip(": ")),
        ("Revision", str(audit.revision)),
        ("Audit id", audit.id),
    ]


def _action_line(
    action: Action, ended: dt.date | None, calendar: str, today: dt.date
) -> ActionLine:
    start = ended or action.created_on
    due = (
        format_due(action.due, start, calendar)
        if action.due >= start
        else f"due {format_day(action.due)}"
    )
    status = {"open": "Open", "done": "Done", "cancelled": "Cancelled"}.get(
        action.status, action.status
    )
    late = action.status == "open" and action.due < today
    if late:
        n = -working_days_between(today, action.due, calendar)
        status = (
            f"Overdue by {n} working day{'' if n == 1 else 's'}"
            if n > 0
            else f"Overdue since {format_day(action.due)}"
        )
    return ActionLine(
        text=action.text,
        owner=action.owner,
        due=due,
        status=status,
        completed_on=format_day(action.completed_on) if action.completed_on else None,
        evidence=action.evidence if action.status == "done" else None,
        overdue=late,
    )


def _problems(tool: AuditTool, grading: AuditGrading) -> list[str]:
    """What stops finalising, each question and section by its number and words."""
    lines = []
    for qid in grading.missing:
        lines.append(f"Not answered: {question_name(tool, qid, longest=200)}")
    for qid in grading.missing_evidence:
        lines.append(f"Evidence needed: {question_name(tool, qid, longest=200)}")
    for scope in grading.missing_grades:
        lines.append(f"No grade: {section_name(tool, scope)}")
    for scope in grading.missing_rationale:
        lines.append(f"Rationale needed: {section_name(tool, scope)}")
    return lines


def percent_text(percent: float | None) -> str:
    return "" if percent is None else f"{round_half_up(percent, 0):.0f}%"
