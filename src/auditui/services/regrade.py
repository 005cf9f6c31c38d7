"""Regrade an audit after a change without regrading the sections it did not touch.

Every answer regrades the audit, and on a long tool a full ``grade_audit()``
costs more than the answer's whole database write. A section's grade
depends only on its own questions (which are shown, their answers and
evidence) and on the grade the auditor chose for it; which questions are
shown depends only on the answers to questions that conditions name. So
after one change only the changed question's section (or the section whose
grade was chosen), any section whose shown questions moved, and the
overall grade need grading again; the rest is kept from the last grading.

The result must be exactly ``grade_audit()``'s: a property test checks it
after random sequences of answers, notes and grade choices on every shipped
tool, and with no memo this grades every section from scratch.

A format 2 tool is graded whole by ``grade_audit()`` on every change: its
sections may hang on the audit's details and N/A marks, computed answers
move with any date, and rationales count towards completeness, none of
which the memo tracks. ``bench/answer_latency.py`` measures what that costs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The section and overall rules are grade_audit()'s own; only the bookkeeping is ours.
from auditui.domain.conditions import Details, visible_questions
from auditui.domain.grading import (
    AuditGrading,
    SectionGrade,
    grade_audit,
    grade_overall,
    grade_section,
    needs_evidence,
)
from auditui.domain.working_days import DEFAULT_CALENDAR
from auditui.tools.models import AuditTool, Section, condition_questions


@dataclass(frozen=True)
class _SectionResult:
    grade: SectionGrade
    missing: tuple[str, ...]
    missing_evidence: tuple[str, ...]


@dataclass(frozen=True)
class GradingMemo:
    """One grading of one tool, kept section by section for the next change."""

    tool: AuditTool
    sections: dict[str, _SectionResult]
    visible: tuple[str, ...]
    conditional: frozenset[str]
    """Questions some condition looks at: only their answers can show or hide others."""


def regrade(
    tool: AuditTool,
    answers: Mapping[str, Any],
    evidence: Mapping[str, str],
    chosen: Mapping[str, str],
    memo: GradingMemo | None = None,
    questions: Iterable[str] = (),
    scopes: Iterable[str] = (),
    *,
    rationales: Mapping[str, str] | None = None,
    sections_na: Mapping[str, str] | None = None,
    details: Details | None = None,
    calendar: str = DEFAULT_CALENDAR,
) -> tuple[AuditGrading, GradingMemo]:
    """``grade_audit(tool, answers, evidence, chosen)``, reusing ``memo`` where it still holds.

    ``memo`` must come from grading the same audit just before a change,
    and the change must be named in full: ``questions`` whose answer or
    evidence changed, ``scopes`` (section ids, "overall") whose chosen
    grade changed. Without a memo every section is graded. The keyword
    arguments are format 2's (see ``grade_audit``); a format 1 tool ignores them.
    """
    if tool.format >= 2:
        grading = grade_audit(
            tool,
            answers,
            evidence,
            chosen,
            rationales=rationales,
            sections_na=sections_na,
            details=details,
            calendar=calendar,
        )
        return grading, GradingMemo(tool, {}, grading.visible, frozenset())
    if memo is None or memo.tool is not tool:
        conditional = frozenset(
            name
            for q in tool.questions
            if q.show_if is not None
            for name in condition_questions(q.show_if)
        )
        return _assemble(tool, answers, evidence, chosen, {}, None, conditional)
    section_of = tool.section_of
    questions = set(questions)
    stale = {section_of[qid].id for qid in questions if qid in section_of}
    stale.update(scopes)
    visible = memo.visible
    if not questions.isdisjoint(memo.conditional):
        visible = tuple(visible_questions(tool, answers))
        if visible != memo.visible:
            moved = set(visible).symmetric_difference(memo.visible)
            stale.update(section_of[qid].id for qid in moved)
    kept = {sid: r for sid, r in memo.sections.items() if sid not in stale}
    return _assemble(tool, answers, evidence, chosen, kept, visible, memo.conditional)


def _assemble(
    tool: AuditTool,
    answers: Mapping[str, Any],
    evidence: Mapping[str, str],
    chosen: Mapping[str, str],
    kept: Mapping[str, _SectionResult],
    visible: tuple[str, ...] | None,
    conditional: frozenset[str],
) -> tuple[AuditGrading, GradingMemo]:
    if visible is None:
        visible = tuple(visible_questions(tool, answers))
    shown = set(visible) if len(kept) < len(tool.sections) else set()
    results: dict[str, _SectionResult] = {}
    for section in tool.sections:
        result = kept.get(section.id)
        if result is None:
            result = _grade(tool, section, answers, evidence, shown, chosen)
        results[section.id] = result
    sections = {sid: r.grade for sid, r in results.items()}
    overall = grade_overall(tool, sections, chosen.get("overall"))
    missing = [qid for r in results.values() for qid in r.missing]
    missing_evidence = [qid for r in results.values() for qid in r.missing_evidence]
    missing_grades = [sid for sid, s in sections.items() if s.final is None]
    if overall.final is None:
        missing_grades.append("overall")
    complete = not (missing or missing_evidence or missing_grades)
    grading = AuditGrading(
        sections, overall, complete, missing, missing_evidence, missing_grades, visible
    )
    return grading, GradingMemo(tool, results, visible, conditional)


def _grade(
    tool: AuditTool,
    section: Section,
    answers: Mapping[str, Any],
    evidence: Mapping[str, str],
    shown: set[str],
    chosen: Mapping[str, str],
) -> _SectionResult:
    grade = grade_section(tool, section, answers, evidence, shown, chosen.get(section.id))
    missing: list[str] = []
    missing_evidence: list[str] = []
    for q in section.questions:
        qid = q.id
        if qid not in shown:
            continue
        if qid not in answers:
            if q.required:
                missing.append(qid)
        elif needs_evidence(q, answers[qid]) and not (evidence.get(qid) or "").strip():
            missing_evidence.append(qid)
    return _SectionResult(grade, tuple(missing), tuple(missing_evidence))
