"""Measures (format 2 `measure`): the percentages reports track, with their targets.

Over a set of finalised audits: **counted** is the audits, on a version of
the tool whose question carries the measure, in which the question is shown
and answered other than `na`; **yes** is how many answered `yes` (`partly`
is not yes). The measure is 100 x yes / counted (null when nothing is
counted) and **meets** its target when ``100 * yes >= target * counted``,
compared exactly. A measure is known by its tool id and question id, and
reports give it the label and target of the newest version that carries it.
Which audits are in the set is the report's choice; this module only counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from auditui.domain.conditions import Details, resolve
from auditui.domain.working_days import DEFAULT_CALENDAR
from auditui.tools.models import AuditTool
from auditui.tools.scales import as_written


@dataclass(frozen=True)
class MeasuredAudit:
    """One finalised audit, as the measures need it."""

    tool: AuditTool
    answers: Mapping[str, Any]
    details: Details | None = None
    sections_na: Mapping[str, str] | None = None
    calendar: str = DEFAULT_CALENDAR


@dataclass
class MeasureTally:
    tool: str
    question: str
    label: str
    target: float | None
    version: int
    counted: int = 0
    yes: int = 0

    @property
    def pct(self) -> float | None:
        return 100 * self.yes / self.counted if self.counted else None

    @property
    def met(self) -> bool | None:
        if self.target is None or not self.counted:
            return None
        return 100 * self.yes >= as_written(self.target) * self.counted

    def to_json(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "question": self.question,
            "label": self.label,
            "target": self.target,
            "counted": self.counted,
            "yes": self.yes,
            "pct": self.pct,
            "met": self.met,
        }


def tally(audits: Iterable[MeasuredAudit], newest: Iterable[AuditTool] = ()) -> list[MeasureTally]:
    """The measures over ``audits``, by (tool id, question id) in first-seen order.

    ``newest`` are the loaded tools: a measure takes the label and target of
    the newest version that carries it (among these and the audits' own).
    """
    found: dict[tuple[str, str], MeasureTally] = {}
    for tool in newest:
        _note(found, tool)
    for audit in audits:
        tool = audit.tool
        _note(found, tool)
        measured = [q for q in tool.questions if q.measure is not None]
        if not measured:
            continue
        shown = resolve(tool, audit.answers, audit.details, audit.sections_na, audit.calendar)
        for question in measured:
            value = shown.answers.get(question.id)
            if value is None or value == "na":
                continue
            entry = found[(tool.id, question.id)]
            entry.counted += 1
            entry.yes += value == "yes"
    return list(found.values())


def _note(found: dict[tuple[str, str], MeasureTally], tool: AuditTool) -> None:
    for question in tool.questions:
        if question.measure is None:
            continue
        key = (tool.id, question.id)
        entry = found.get(key)
        if entry is None:
            found[key] = MeasureTally(
                tool.id, question.id, question.measure.label, question.measure.target, tool.version
            )
        elif tool.version > entry.version:
            entry.label, entry.target = question.measure.label, question.measure.target
            entry.version = tool.version
