"""How far an audit is: what the auditor still has to do, not what the engine has worked out.

Owed: each shown, required question's answer, each evidence note an answer
needs, and each grade the auditor must confirm (the sections that take one,
and the overall grade). A suggested grade is not done until the auditor
accepts it or chooses another: counting suggestions as done showed 23% after
one answer of nine, and 100% before anyone had looked at a grade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditui.domain.grading import AuditGrading


def graded_scopes(grading: AuditGrading) -> list[str]:
    """The sections that take a grade on this audit, in tool order, then "overall".

    A section takes one when it has a final grade or is owed one; a section
    not shown, marked N/A or not graded (`grading: none`) has neither.
    """
    owed = set(grading.missing_grades)
    scopes = [sid for sid, s in grading.sections.items() if s.final is not None or sid in owed]
    return [*scopes, "overall"]


def unconfirmed(grading: AuditGrading) -> list[str]:
    """Graded scopes with no grade of the auditor's own yet, or a rationale still owed."""
    owed = set(grading.missing_rationale)
    left = []
    for scope in graded_scopes(grading):
        grade = grading.overall if scope == "overall" else grading.sections[scope]
        if grade.chosen is None or scope in owed:
            left.append(scope)
    return left


def progress(grading: AuditGrading) -> float:
    """Share of what is owed that is done, 0..1; 1.0 only when nothing at all is left."""
    owed = sum(s.to_answer for s in grading.sections.values())
    owed += len(grading.missing_evidence) + len(graded_scopes(grading))
    left = len(grading.missing) + len(grading.missing_evidence) + len(unconfirmed(grading))
    if not left:
        return 1.0
    # Below 1.0 while anything is left, however it is rounded for show (249 of 250 is 99%).
    return min(max(0.0, 1 - left / owed), 0.99)
