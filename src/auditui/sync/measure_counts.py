"""Measures (format 2 ``measure``) counted the same way over every source.

A measure is known by (tool id, question id). Over the finalised audits that
ended in a period, **counted** is those in which its question was shown and
answered other than ``na``, **yes** those answered ``yes``; the percentage
is rounded half up (``domain.percent``) and **met** compares exactly
(``100 * yes >= target * counted``), as ``spec/audit-tool-format.md`` says.

Whether a question was shown needs the whole audit (answers, details,
sections marked N/A, calendar), which only the auditor's machine has. So the
graded result carries, per finalised audit, the value of each measure
question as shown (``shown_measure_values``), and hubs count those values
(``measure_facts_of`` reads them defensively: a record without them, from an
older auditui, counts for no measure). The local store resolves its own
audits with the same function, so the three sources agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from auditui.domain.conditions import Details, resolve
from auditui.domain.measures import tally
from auditui.domain.percent import percent
from auditui.domain.working_days import DEFAULT_CALENDAR
from auditui.sync.facts import AuditFact
from auditui.sync.measures import Period, group_of, hidden_groups, in_period
from auditui.tools.models import AuditTool
from auditui.tools.scales import as_written

MEASURE_VALUES = ("yes", "partly", "no")
"""The answers a measure counts: ``na`` and no answer are not counted."""

Key = tuple[str, str]
"""(tool id, question id)."""


class MeasureFact(NamedTuple):
    audit_id: str
    tool_id: str
    question_id: str
    value: str


@dataclass
class MeasureCount:
    counted: int = 0
    yes: int = 0


@dataclass(frozen=True)
class MeasureInfo:
    """A measure's label and target, from the newest loaded version of its tool."""

    label: str
    target: float | int | None


@dataclass
class MeasuresCounted:
    overall: dict[Key, MeasureCount] = field(default_factory=dict)
    groups: dict[str, dict[Key, MeasureCount]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    """Ended audits per group: the sizes the report hides small groups by."""
    audits: int = 0
    """Ended audits in the period, overall."""


def shown_measure_values(
    tool: AuditTool,
    answers: Mapping[str, Any],
    details: Details | None = None,
    sections_na: Mapping[str, str] | None = None,
    calendar: str = DEFAULT_CALENDAR,
) -> list[dict[str, str]]:
    """The graded result's ``measures``: each measure question shown and answered yes,
    partly or no, as ``{"tool", "question", "value"}``, in tool order."""
    measured = [q for q in tool.questions if q.measure is not None]
    if not measured:
        return []
    shown = resolve(tool, answers, details, sections_na, calendar).answers
    return [
        {"tool": tool.id, "question": q.id, "value": shown[q.id]}
        for q in measured
        if shown.get(q.id) in MEASURE_VALUES
    ]


def measure_facts_of(record: Mapping[str, Any]) -> list[MeasureFact]:
    """The measure values a graded-result dict carries, read defensively: none when the
    record has no ``measures`` (older auditui) or is not finalised; an entry of another
    tool, a value other than yes/partly/no, or a question given twice counts once or not."""
    if record.get("status") != "finalised":
        return []
    items = record.get("measures")
    if not isinstance(items, list | tuple):
        return []
    audit_id, tool_id = record.get("audit_id"), record.get("tool_id")
    seen: dict[str, MeasureFact] = {}
    for item in items:
        if not isinstance(item, Mapping):
            continue
        question, value = item.get("question"), item.get("value")
        if item.get("tool") != tool_id or not isinstance(question, str) or question in seen:
            continue
        if value in MEASURE_VALUES:
            seen[question] = MeasureFact(str(audit_id), str(tool_id), question, str(value))
    return list(seen.values())


def catalogue(tools: Iterable[AuditTool]) -> dict[Key, MeasureInfo]:
    """Every measure the given tools mark, with the label and target of the newest
    version that carries it, in the tools' order."""
    return {(t.tool, t.question): MeasureInfo(t.label, t.target) for t in tally((), tools)}


def count_measures(
    audits: Iterable[AuditFact],
    values: Iterable[MeasureFact],
    by: str | None,
    period: Period | None = None,
    attributes: Mapping[str, Mapping[str, str]] | None = None,
) -> MeasuresCounted:
    """Count each measure overall and per group over the audits that ended in ``period``
    (only finalised ones count; every ended one counts towards a group's size)."""
    out = MeasuresCounted()
    group: dict[str, str | None] = {}
    sizes: dict[str, int] = defaultdict(int)
    for audit in audits:
        if not in_period(audit.ended_on, period):
            continue
        out.audits += 1
        key = None
        if by is not None and by != "section":
            key = group_of(audit, by, attributes)
            sizes[key] += 1
        if audit.status == "finalised":
            group[audit.audit_id] = key
    out.sizes = dict(sizes)
    for fact in values:
        if fact.audit_id not in group:
            continue
        _add(out.overall, fact)
        key = group[fact.audit_id]
        if key is not None:
            _add(out.groups.setdefault(key, {}), fact)
    return out


def _add(counts: dict[Key, MeasureCount], fact: MeasureFact) -> None:
    count = counts.setdefault((fact.tool_id, fact.question_id), MeasureCount())
    count.counted += 1
    count.yes += fact.value == "yes"


def measure_json(key: Key, info: MeasureInfo | None, count: MeasureCount | None) -> dict[str, Any]:
    """One measure as the report shows it; an unknown tool's measure is labelled by its id."""
    counted, yes = (count.counted, count.yes) if count is not None else (0, 0)
    target = info.target if info is not None else None
    met = None if target is None or not counted else 100 * yes >= as_written(target) * counted
    return {
        "tool": key[0],
        "question": key[1],
        "label": info.label if info is not None else key[1],
        "target": target,
        "counted": counted,
        "yes": yes,
        "pct": percent(yes, counted),
        "met": met,
    }


def measures_list(
    counts: Mapping[Key, MeasureCount], known: Mapping[Key, MeasureInfo], every: bool
) -> list[dict[str, Any]]:
    """The measures of one group: ``every`` known measure (overall), or only those counted
    in the group; the tools' order first, then measures of tools not loaded, by id."""
    keys = [k for k in known if every or k in counts]
    keys += sorted(k for k in counts if k not in known)
    return [measure_json(k, known.get(k), counts.get(k)) for k in keys]


def hidden_measure(entry: dict[str, Any]) -> dict[str, Any]:
    """A measure whose figures are hidden to protect a small group: label and target stay."""
    return {**entry, "counted": None, "yes": None, "pct": None, "met": None}


def attach_measures(
    report: dict[str, Any], counted: MeasuresCounted, known: Mapping[Key, MeasureInfo]
) -> dict[str, Any]:
    """``measures`` in the report and in each of its groups (the groups the report shows:
    a hidden group is hidden here too); every figure null when the report is suppressed."""
    overall = measures_list(counted.overall, known, every=True)
    report["measures"] = (
        [hidden_measure(m) for m in overall] if report.get("suppressed") else overall
    )
    for group in report.get("groups", []):
        group["measures"] = measures_list(counted.groups.get(group["group"], {}), known, False)
    return report


def shown_groups(counted: MeasuresCounted, min_group: int) -> set[str]:
    """The groups a hub may show: the same choice as the report's (``hidden_groups``)."""
    return set(counted.sizes) - hidden_groups(counted.sizes, min_group)
