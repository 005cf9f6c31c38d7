"""After a blind re-audit: the side-by-side comparison, the agreed grade, the agreement report.

The comparison is the one place the original auditor's answers and grades
are given to the moderator, and only once the re-audit has ended (before,
it refuses), so the moderator's own judgement is made blind.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from auditui.domain import moderation
from auditui.domain.moderation import GradePair
from auditui.domain.plan_items import ENDED_AUDIT_STATUSES
from auditui.domain.records import parse_date
from auditui.errors import ProgrammeError, StateError
from auditui.services.moderation import find
from auditui.services.workspace import Workspace
from auditui.store import moderation as rows

REASON_LIMIT = 20_000
OVERALL = "overall"


@dataclass(frozen=True)
class SectionSide:
    """One section (or the overall grade) as each auditor graded it."""

    section: str
    title: str
    original: str | None
    moderated: str | None


@dataclass(frozen=True)
class AnswerSide:
    question: str
    text: str
    original: Any
    moderated: Any


@dataclass(frozen=True)
class Comparison:
    audit_id: str
    moderation_audit_id: str
    auditor: str
    moderator: str
    sections: list[SectionSide]
    answers: list[AnswerSide]
    agreed_grade: str | None
    case_ref: str = ""


def comparison(ws: Workspace, allocation_or_audit: str) -> Comparison:
    """Both audits side by side, section by section; refused until the re-audit has ended."""
    row = find(ws, allocation_or_audit)
    _require_ended_reaudit(row)
    tool = ws.library.get(row["tool_id"], row["tool_version"])
    original = _original_grades(ws, row)
    moderated = rows.final_grades(ws.store, row["moderation_audit_id"])
    sections = [SectionSide(OVERALL, "Overall", original.get(OVERALL), moderated.get(OVERALL))]
    sections += [
        SectionSide(s.id, s.title, original.get(s.id), moderated.get(s.id)) for s in tool.sections
    ]
    first = rows.answers(ws.store, row["audit_id"])
    second = rows.answers(ws.store, row["moderation_audit_id"])
    answers = [
        AnswerSide(q.id, q.text, _value(first.get(q.id)), _value(second.get(q.id)))
        for s in tool.sections
        for q in s.questions
    ]
    return Comparison(
        row["audit_id"],
        row["moderation_audit_id"],
        row["auditor"],
        row["moderator"],
        sections,
        answers,
        row["agreed_grade"],
        row["case_ref"],
    )


def agree(ws: Workspace, allocation_or_audit: str, grade: str, reason: str) -> Any:
    """Record the grade both auditors agreed, who recorded it and why (both audits ended)."""
    row = find(ws, allocation_or_audit)
    short = row["audit_id"][:8]
    _require_ended_reaudit(row)
    if row["original_status"] not in ENDED_AUDIT_STATUSES and not row["original_grades"]:
        raise StateError(f"Audit {short} has not ended; agree a grade once it has.")
    if row["agreed_grade"] is not None:
        raise StateError(
            f"Audit {short} already has an agreed grade ({row['agreed_grade']}, by "
            f"{row['agreed_by']})."
        )
    scale = ws.library.get(row["tool_id"], row["tool_version"]).scale_def
    if grade not in scale.grades:
        raise ProgrammeError(
            f"--grade: '{grade[:40]}' is not a grade of this tool; give one of "
            f"{', '.join(scale.grades)}."
        )
    why = reason.strip()
    if not why or len(why) > REASON_LIMIT:
        raise ProgrammeError(f"--reason: say why, in 1 to {REASON_LIMIT:,} characters.")
    with ws.store.transaction() as conn:
        rows.record_agreement(conn, row["id"], grade, ws.user, why, ws.now())
    return find(ws, row["id"])


def _require_ended_reaudit(row: Any) -> None:
    short = row["audit_id"][:8]
    if row["moderation_audit_id"] is None:
        raise StateError(f"Audit {short} has not been re-audited yet (`audit new --moderate`).")
    if row["moderation_status"] not in ENDED_AUDIT_STATUSES:
        raise StateError(
            f"The moderation of audit {short} has not ended; the original's answers and "
            "grades are shown once it has."
        )


def _original_grades(ws: Workspace, row: Any) -> dict[str, str]:
    if row["original_status"] is not None:
        return rows.final_grades(ws.store, row["audit_id"])
    return dict(json.loads(row["original_grades"] or "{}"))


def _value(stored: str | None) -> Any:
    if stored is None:
        return None
    try:
        return json.loads(stored)
    except ValueError:
        return stored


def pairs(ws: Workspace, start: str | None = None, end: str | None = None) -> list[GradePair]:
    """Every (original, moderator) grade pair of re-audits that ended between the days."""
    first = parse_date(start, "--from").isoformat() if start else None
    last = parse_date(end, "--to").isoformat() if end else None
    out: list[GradePair] = []
    for row in rows.allocations(ws.store):
        ended_on = row["moderation_ended_on"]
        if row["moderation_status"] not in ENDED_AUDIT_STATUSES or ended_on is None:
            continue
        if (first and ended_on < first) or (last and ended_on[:10] > last):
            continue
        original = _original_grades(ws, row)
        moderated = rows.final_grades(ws.store, row["moderation_audit_id"])
        order = ws.library.get(row["tool_id"], row["tool_version"]).scale_def.grades
        for scope in sorted(set(original) & set(moderated)):
            if original[scope] in order and moderated[scope] in order:
                out.append(
                    GradePair(
                        original[scope],
                        moderated[scope],
                        order=order,
                        auditor=row["auditor"],
                        team=row["team"],
                        section="" if scope == OVERALL else scope,
                    )
                )
    return out


def report(
    ws: Workspace, start: str | None = None, end: str | None = None, by: str | None = None
) -> dict[str, Any]:
    """The object of ``report moderation --format json``."""
    if by is not None and by not in moderation.GROUP_BYS:
        raise ProgrammeError(f"--by: give one of {', '.join(moderation.GROUP_BYS)}.")
    found: Sequence[GradePair] = pairs(ws, start, end)
    return moderation.report(found, by)
