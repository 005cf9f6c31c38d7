"""Grading: from a tool and its answers to suggested and final grades.

Pure functions, no I/O, exactly the rules of the spec's "Grading" section,
so `auditui tools grade`, the walker, finalise, export and sync all agree.
Each suggestion carries a sentence saying how it was reached, because an
auditor has to be able to explain a grade to the practitioner beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from auditui.domain.conditions import Details, resolve
from auditui.domain.percent import round_half_up
from auditui.domain.rationale import missing_rationales
from auditui.domain.working_days import DEFAULT_CALENDAR
from auditui.tools.models import AuditTool, Question, Section
from auditui.tools.scales import ANSWER_LABELS, Scale, as_written


@dataclass(frozen=True)
class Cap:
    question_id: str
    question_text: str
    answer: Any
    cap: str


@dataclass(frozen=True)
class SectionGrade:
    id: str
    percent: float | None
    suggested: str | None
    final: str | None
    chosen: str | None
    explanation: str
    caps: tuple[Cap, ...] = ()
    shown: int = 0
    to_answer: int = 0
    answered: int = 0
    exact_percent: Fraction | None = None
    """``percent`` without float rounding: thresholds compare against this."""

    def to_json(self) -> dict[str, Any]:
        return {"percent": self.percent, "suggested": self.suggested, "final": self.final}


@dataclass(frozen=True)
class OverallGrade:
    percent: float | None
    suggested: str | None
    final: str | None
    chosen: str | None
    explanation: str

    def to_json(self) -> dict[str, Any]:
        return {"percent": self.percent, "suggested": self.suggested, "final": self.final}


@dataclass(frozen=True)
class AuditGrading:
    """Everything grading says about one audit."""

    sections: dict[str, SectionGrade]
    overall: OverallGrade
    complete: bool
    missing: list[str]
    """Shown, required questions with no answer, in tool order."""
    missing_evidence: list[str]
    """Answered questions whose evidence rule is not met, in tool order."""
    missing_grades: list[str] = field(default_factory=list)
    """Graded sections (by id) and "overall" with no final grade."""
    visible: tuple[str, ...] = ()
    missing_rationale: list[str] = field(default_factory=list)
    """(2) Graded sections, then "overall", whose needed rationale is absent or blank."""
    computed: dict[str, Any] = field(default_factory=dict)
    """(2) Every computed question, in tool order: its value, or None while unanswered."""
    shown_sections: tuple[str, ...] | None = None
    """Sections shown, in tool order (None: every section, as in format 1)."""

    @property
    def unconfirmed(self) -> list[str]:
        """Graded scopes the auditor has still to decide (``progress.unconfirmed``)."""
        from auditui.domain.progress import unconfirmed

        return unconfirmed(self)

    @property
    def answers_in(self) -> bool:
        """Every shown, required question answered and every evidence rule met."""
        return not self.missing and not self.missing_evidence

    @property
    def progress(self) -> float:
        """Share of what the auditor has to do that is done, 0..1 (``progress.progress``)."""
        from auditui.domain.progress import progress

        return progress(self)

    def to_json(self) -> dict[str, Any]:
        """The object `auditui tools grade` prints (spec/audit-tool-format.md)."""
        return {
            "sections": {sid: s.to_json() for sid, s in self.sections.items()},
            "overall": self.overall.to_json(),
            "complete": self.complete,
            "missing": list(self.missing),
            "missing_evidence": list(self.missing_evidence),
            "missing_rationale": list(self.missing_rationale),
            "computed": dict(self.computed),
        }


def grade_audit(
    tool: AuditTool,
    answers: Mapping[str, Any],
    evidence: Mapping[str, str] | None = None,
    grades: Mapping[str, str] | None = None,
    *,
    rationales: Mapping[str, str] | None = None,
    sections_na: Mapping[str, str] | None = None,
    details: Details | None = None,
    calendar: str = DEFAULT_CALENDAR,
) -> AuditGrading:
    """Grade ``answers`` on ``tool``; ``grades`` are the auditor's own choices.

    Format 2 adds the audit's ``details`` (case_type, kind,
    practitioner_present), the sections marked not applicable with their
    reasons, the written ``rationales`` (by section id and "overall") and the
    working-day ``calendar`` that computed answers count in. Answers given to
    computed questions are ignored: their values are worked out.
    """
    evidence = evidence or {}
    grades = grades or {}
    shown_view = resolve(tool, answers, details, sections_na, calendar)
    effective = shown_view.answers
    shown = set(shown_view.visible)
    shown_sections = set(shown_view.sections)
    sections: dict[str, SectionGrade] = {}
    for section in tool.sections:
        graded = section.id in shown_sections and section.graded_by_rule
        sections[section.id] = grade_section(
            tool, section, effective, evidence, shown, grades.get(section.id), graded=graded
        )
    graded_ids = [s.id for s in tool.sections if s.id in shown_sections and s.graded_by_rule]
    overall = grade_overall(tool, sections, grades.get("overall"), graded=graded_ids)
    missing = [
        q.id
        for q in tool.questions
        if q.id in shown and q.required and q.compute is None and q.id not in effective
    ]
    missing_evidence = [
        q.id
        for q in tool.questions
        if q.id in shown
        and q.id in effective
        and needs_evidence(q, effective[q.id])
        and not (evidence.get(q.id) or "").strip()
    ]
    missing_grades = [sid for sid in graded_ids if sections[sid].final is None]
    if overall.final is None:
        missing_grades.append("overall")
    missing_rationale = (
        missing_rationales(tool, sections, graded_ids, overall, rationales or {})
        if tool.format >= 2
        else []
    )
    complete = not (missing or missing_evidence or missing_grades or missing_rationale)
    return AuditGrading(
        sections,
        overall,
        complete,
        missing,
        missing_evidence,
        missing_grades,
        shown_view.visible,
        missing_rationale,
        shown_view.computed,
        shown_view.sections if tool.format >= 2 else None,
    )


def needs_evidence(question: Question, value: Any) -> bool:
    """Whether an answer of ``value`` needs an evidence note."""
    if question.evidence == "always":
        return True
    if question.evidence == "when_not_yes":
        return value != "yes"
    return False


def _counted(q: Question, answers: Mapping[str, Any], shown: set[str]) -> Any | None:
    """The answer if it takes part in grading: shown, answered, not N/A."""
    if q.id not in shown or q.id not in answers:
        return None
    value = answers[q.id]
    return None if value == "na" else value


def grade_section(
    tool: AuditTool,
    section: Section,
    answers: Mapping[str, Any],
    evidence: Mapping[str, str],
    shown: set[str],
    chosen: str | None,
    *,
    graded: bool | None = None,
) -> SectionGrade:
    """One section's grade; ``graded`` False (hidden, or `grading: none`) gives nulls.

    Without ``graded`` the section is graded unless its rule is `none` (the
    format 1 callers' view: every section shown).
    """
    if graded is None:
        graded = section.graded_by_rule
    if not graded:
        in_section = [q for q in section.questions if q.id in shown]
        to_answer = [q for q in in_section if q.required and q.compute is None]
        return SectionGrade(
            id=section.id,
            percent=None,
            suggested=None,
            final=None,
            chosen=None,
            explanation="Not graded" if section.graded_by_rule else "This section is not graded",
            shown=len(in_section),
            to_answer=len(to_answer),
            answered=sum(1 for q in to_answer if q.id in answers),
        )
    scale = tool.scale_def
    rule = section.grading.rule
    percent: float | None = None
    exact: Fraction | None = None
    suggested: str | None = None
    explanation = "Graded by judgement: choose a grade"
    if rule == "score":
        earned_parts: list[int | float] = []
        possible_parts: list[int | float] = []
        for q in section.questions:
            value = _counted(q, answers, shown)
            if value is None:
                continue
            points = _points(q, value, scale)
            if points is not None:
                earned_parts.append(points[0])
                possible_parts.append(points[1])
        earned, possible = _exact_sum(earned_parts), _exact_sum(possible_parts)
        if possible > 0:
            # Exact, as the spec asks: 29 of 50 is 58, not 57.99999999999999.
            exact = Fraction(earned * 100) / possible
            percent = float(exact)
            suggested = scale.from_percent(exact, tool.thresholds(section.grading))
            explanation = f"Scored {_pct(percent)}: {scale.label(suggested)}"
        else:
            explanation = "A score, once an answer that carries points is given"
    elif rule == "lowest":
        found = [
            v
            for q in section.questions
            if q.type == "grade"
            for v in [_counted(q, answers, shown)]
            if v is not None
        ]
        suggested = scale.worst(found)
        explanation = (
            f"The lowest grade given: {scale.label(suggested)}"
            if suggested
            else "The lowest grade given: no grade question answered yet"
        )
    caps: list[Cap] = []
    before_caps = suggested
    if rule in ("score", "lowest") and suggested is not None and before_caps is not None:
        for q in section.questions:
            value = _counted(q, answers, shown)
            if q.limiting is None or value is None:
                continue
            hit = (
                any(v in q.limiting.answers for v in value)
                if isinstance(value, list)
                else value in q.limiting.answers
            )
            if hit:
                caps.append(Cap(q.id, q.text, value, q.limiting.cap))
                if scale.rank(q.limiting.cap) > scale.rank(suggested):
                    suggested = q.limiting.cap
        uncapped = scale.rank(before_caps)
        for cap in caps:
            if scale.rank(cap.cap) <= uncapped:
                continue  # the grade was already this low or lower: the cap changed nothing
            explanation += (
                f"; held at {scale.label(cap.cap)} because '{cap.question_text}' was answered "
                f"{_answer(section, cap, scale)}"
            )
    in_section = [q for q in section.questions if q.id in shown]
    to_answer = [q for q in in_section if q.required and q.compute is None]
    final = chosen or suggested
    return SectionGrade(
        id=section.id,
        percent=percent,
        suggested=suggested,
        final=final,
        chosen=chosen,
        explanation=explanation,
        caps=tuple(caps),
        shown=len(in_section),
        to_answer=len(to_answer),
        answered=sum(1 for q in to_answer if q.id in answers),
        exact_percent=exact,
    )


def _points(q: Question, value: Any, scale: Scale) -> tuple[int | float, int | float] | None:
    """(earned, possible) for one counted answer, or None if it carries no points."""
    if q.type == "grade":
        return scale.position_points(value), scale.max_position_points
    if q.points and isinstance(value, str) and value in q.points:
        return q.points[value], q.points_possible
    if q.points:
        return 0, q.points_possible
    return None


def _exact_sum(parts: list[int | float]) -> int | Fraction:
    """Whole points add up exactly as ints (the usual case); others as fractions."""
    whole = [p for p in parts if isinstance(p, int)]
    if len(whole) == len(parts):
        return sum(whole)
    return sum((as_written(p) for p in parts), Fraction(0))


def grade_overall(
    tool: AuditTool,
    sections: dict[str, SectionGrade],
    chosen: str | None,
    *,
    graded: list[str] | None = None,
) -> OverallGrade:
    """The overall grade from the ``graded`` sections (default: every section not `none`)."""
    if graded is None:
        graded = [s.id for s in tool.sections if s.graded_by_rule]
    in_play = set(graded)
    scale = tool.scale_def
    rule = tool.grading.overall
    percent: float | None = None
    suggested: str | None = None
    explanation = "Overall by judgement, informed by the sections: choose a grade"
    if rule.rule == "lowest_section":
        finals = [s.final for sid, s in sections.items() if sid in in_play]
        if finals and all(f is not None for f in finals):
            suggested = scale.worst([f for f in finals if f is not None])
            assert suggested is not None
            explanation = f"The lowest section grade: {scale.label(suggested)}"
        else:
            explanation = "The lowest section grade, once every section has a grade"
    elif rule.rule == "score":
        weighted = [
            (s.exact_percent, as_written(section.weight))
            for section in tool.sections
            for s in [sections[section.id]]
            if s.exact_percent is not None and section.id in in_play
        ]
        total_weight = sum((w for _, w in weighted), Fraction(0))
        if weighted and total_weight > 0:
            exact = sum((p * w for p, w in weighted), Fraction(0)) / total_weight
            percent = float(exact)
            suggested = scale.from_percent(exact, tool.thresholds(rule))
            explanation = f"Weighted score {_pct(percent)}: {scale.label(suggested)}"
        else:
            explanation = "A weighted score, once a section has one"
    return OverallGrade(percent, suggested, chosen or suggested, chosen, explanation)


def _pct(percent: float) -> str:
    shown = round_half_up(percent, 1)
    return f"{shown:.0f}%" if shown == int(shown) else f"{shown:.1f}%"


def _answer(section: Section, cap: Cap, scale: Scale) -> str:
    """The capping answer in words: "No", an option's label, or a grade's."""
    question = next(q for q in section.questions if q.id == cap.question_id)
    labels = {o.id: o.label for o in question.options or ()}
    labels.update({g: scale.label(g) for g in scale.grades})
    labels.update(ANSWER_LABELS)
    values = cap.answer if isinstance(cap.answer, list) else [cap.answer]
    return ", ".join(labels.get(str(v), str(v)) for v in values)
