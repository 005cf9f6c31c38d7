"""The demo's answers: realistic values for each question, with evidence where asked.

Split from ``demo`` so each file holds one idea: ``demo`` makes audits, grades
and actions; this makes the answers a tool's questions get, dates in order so
that computed counts and linked date limits hold.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from auditui.domain.conditions import holds, resolve
from auditui.domain.grading import needs_evidence
from auditui.tools.format2_models import QuestionRef
from auditui.tools.models import AuditTool, Question

EVIDENCE = (
    "Plan reviewed at the last core group; actions lack timescales.",
    "Child seen at school on their own; views recorded in their own words.",
    "No record of the contingency being discussed with the family.",
    "Supervision notes are descriptive rather than reflective.",
    "Chronology last updated four months ago.",
    "Direct work used Three Houses; the child's words shaped the plan.",
    "Manager oversight recorded but decisions not explained.",
)


def answers(
    rng: random.Random,
    tool: AuditTool,
    quality: float,
    share: float,
    today: dt.date,
    details: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, str]]:
    answers: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    # Dates run forward through the tool, so limits naming an earlier date hold.
    cursor = today - dt.timedelta(days=rng.randint(60, 120))
    for section in tool.sections:
        if section.show_if is not None and not holds(section.show_if, answers, details):
            continue
        for q in section.questions:
            cursor = _answer_one(
                rng, tool, q, quality, share, today, details, answers, evidence, cursor
            )
    for qid, value in resolve(tool, answers, details).computed.items():
        computed_q = tool.question(qid)
        if value is not None and computed_q is not None and needs_evidence(computed_q, value):
            evidence[qid] = rng.choice(EVIDENCE)  # say why the count was over the limit
    return answers, evidence


def _answer_one(
    rng: random.Random,
    tool: AuditTool,
    q: Question,
    quality: float,
    share: float,
    today: dt.date,
    details: dict[str, Any],
    answers: dict[str, Any],
    evidence: dict[str, str],
    cursor: dt.date,
) -> dt.date:
    """Answer one question into ``answers``; returns the date the next date answer starts from."""
    if q.compute is not None:
        return cursor  # worked out from its dates by grading
    if q.show_if is not None and not holds(q.show_if, answers, details):
        return cursor
    if q.type == "date" and isinstance(q.max, QuestionRef) and q.max.question in answers:
        earlier = dt.date.fromisoformat(answers[q.max.question]) - dt.timedelta(rng.randint(7, 60))
        answers[q.id] = earlier.isoformat()
        return cursor
    if q.type == "date":
        cursor = min(today, cursor + dt.timedelta(days=rng.randint(0, 12)))
        answers[q.id] = cursor.isoformat()
        return cursor
    if share < 1.0 and rng.random() > share:
        return cursor
    if not q.required and rng.random() < 0.3:
        return cursor
    value = _value(rng, tool, q, quality, today)
    answers[q.id] = value
    if needs_evidence(q, value) or rng.random() < 0.15:
        if share == 1.0 or rng.random() < 0.7:
            evidence[q.id] = rng.choice(EVIDENCE)
    return cursor


def _value(rng: random.Random, tool: AuditTool, q: Question, quality: float, today: dt.date) -> Any:
    good = rng.random() < quality
    if q.allow_na and rng.random() < 0.05:
        return "na"
    if q.type == "yes_no":
        return "yes" if good else "no"
    if q.type == "yes_partly_no":
        return "yes" if good else rng.choice(("partly", "partly", "no"))
    if q.type == "grade":
        grades = tool.scale_def.grades
        index = min(len(grades) - 1, int((1 - quality) * len(grades) + rng.uniform(-0.7, 0.7)))
        return grades[max(0, index)]
    if q.type == "choice":
        return q.option_ids[0] if good else rng.choice(q.option_ids)
    if q.type == "multi":
        return [i for i in q.option_ids if rng.random() < 0.4] or [q.option_ids[0]]
    if q.type == "text":
        return rng.choice(EVIDENCE)[: q.text_limit]
    if q.type == "number":
        low = q.min if isinstance(q.min, int | float) else 0
        high = q.max if isinstance(q.max, int | float) else low + 60
        number = rng.uniform(low, high)
        return int(number) if q.integer or rng.random() < 0.8 else round(number, 1)
    if q.type == "date":
        return (today - dt.timedelta(days=rng.randint(1, 120))).isoformat()
    raise ValueError(q.type)
