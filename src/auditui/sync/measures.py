"""The published measures, computed in one place (../shared/domain.md, "How auditui computes them").

Over the audits that ended (finalised, or closed as incomplete):

- with the practitioner = ended audits with the practitioner present / ended audits;
- complete against the framework = audits finalised complete against their tool / ended audits;
- good or better = finalised audits whose final overall grade is one of the
  scale's top two (``met`` alone on the three-point scale) / finalised audits;
- actions on time = actions completed on or before their due date /
  (actions completed + open actions past their due date); open actions not
  yet due, and cancelled ones, do not count.

Counting (``count_facts``) turns facts into integer ``Counts`` per group;
``render_report`` turns counts into the report (percentages 0..100, one
decimal rounded half up, null when the denominator is 0; small groups
suppressed, see ``hidden_groups``). The PostgreSQL hub's views count in SQL
that mirrors ``count_facts`` (tests hold them equal) and share
``render_report``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from auditui.domain.percent import percent
from auditui.sync.facts import AuditFact, Facts
from auditui.tools.scales import SCALES

GOOD_OR_BETTER = frozenset(g for s in SCALES.values() for g in s.good_or_better)
"""Every scale's top grades; the scales share no grade names, so one set serves all."""

GRADE_ORDER = tuple(g for s in SCALES.values() for g in s.grades)
"""Grades best-first, scale by scale: the order the distribution is shown in."""

TARGETS = {
    "with_practitioner_pct": 75,
    "complete_against_framework_pct": 75,
    "actions_on_time_pct": 75,
}
"""West Sussex's targets for the three measures that have one."""

GROUPINGS = ("team", "month", "tool", "section", "case_type", "kind", "auditor")
ATTRIBUTE_GROUPINGS = ("case_type", "kind", "auditor")
"""Groupings by a field of the graded result that ``AuditFact`` may not carry: a source
that lacks them passes ``attributes`` (audit id -> field -> value) to ``count_facts``."""
THEMES_SHOWN = 10
NO_CASE_TYPE = "none (worker's file)"
"""The case-type group of audits with no case type (``subject: worker`` tools)."""

Period = tuple[str | None, str | None]
"""First and last day (ISO, inclusive) of the ended dates counted; None is open-ended."""


@dataclass
class Counts:
    """Integer counts for one group: everything a percentage is made from."""

    audits: int = 0
    finalised: int = 0
    closed_incomplete: int = 0
    with_practitioner: int = 0
    complete: int = 0
    good_or_better: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    actions: int = 0
    actions_open: int = 0
    actions_done: int = 0
    actions_cancelled: int = 0
    actions_on_time: int = 0
    actions_overdue: int = 0

    def add_audit(self, audit: AuditFact, grade: str | None, actions: ActionCounts | None) -> None:
        self.audits += 1
        finalised = audit.status == "finalised"
        self.finalised += finalised
        self.closed_incomplete += audit.status == "closed_incomplete"
        self.with_practitioner += audit.practitioner_present
        self.complete += finalised and audit.complete
        if finalised and grade is not None:
            self.good_or_better += grade in GOOD_OR_BETTER
            self.grades[grade] = self.grades.get(grade, 0) + 1
        if actions is not None:
            self.actions += actions.total
            self.actions_open += actions.open
            self.actions_done += actions.done
            self.actions_cancelled += actions.cancelled
            self.actions_on_time += actions.on_time
            self.actions_overdue += actions.overdue


@dataclass
class ActionCounts:
    total: int = 0
    open: int = 0
    done: int = 0
    cancelled: int = 0
    on_time: int = 0
    overdue: int = 0


@dataclass
class ThemeCounts:
    tool_id: str
    question_id: str
    tags: tuple[str, ...]
    answered: int = 0
    partly: int = 0
    no: int = 0


@dataclass
class Counted:
    overall: Counts
    groups: dict[str, Counts]
    themes: list[ThemeCounts]


def pct(numerator: int, denominator: int) -> float | None:
    """A percentage 0..100 to one decimal, half up; None when there is nothing to divide by."""
    return percent(numerator, denominator)


def in_period(day: str, period: Period | None) -> bool:
    if period is None:
        return True
    start, end = period
    return (start is None or day >= start) and (end is None or day <= end)


def hidden_groups(sizes: Mapping[str, int], min_group: int) -> set[str]:
    """Which groups of a breakdown to hide: small ones, and enough others that none can be
    derived by subtracting the shown groups from the total.

    Primary suppression hides every group under ``min_group`` audits. If any is
    hidden, the smallest shown groups (by size, then name) are hidden with it
    until at least two groups are hidden and together they hold at least
    ``min_group`` audits: the total minus the shown groups then reveals only a
    sum of two or more groups, never fewer than ``min_group`` audits. If no
    such set exists, every group is hidden. The PostgreSQL views make the same
    choice in SQL (``pg_views``), in the same order.
    """
    order = sorted(sizes, key=lambda g: (sizes[g], g))
    primary = sum(1 for g in order if sizes[g] < min_group)
    if primary == 0:
        return set()
    running = 0
    for rank, group in enumerate(order, start=1):
        running += sizes[group]
        if rank >= primary and rank >= 2 and running >= min_group:
            return set(order[:rank])
    return set(order)


def month_of(day: str) -> str:
    return day[:7]


def group_of(audit: AuditFact, by: str, attributes: Mapping[str, Mapping[str, str]] | None) -> str:
    """The group an audit falls in for a grouping other than ``section``."""
    if by == "team":
        return audit.team
    if by == "month":
        return month_of(audit.ended_on)
    if by == "tool":
        return audit.tool_id
    value = getattr(audit, by, None)  # a source whose facts carry the field
    if not value and attributes is not None:
        value = attributes.get(audit.audit_id, {}).get(by)
    if not value and by == "case_type":
        return NO_CASE_TYPE  # an audit of a worker's own file is about no child's case
    if not value:
        raise ValueError(f"the facts do not carry {by!r}")
    return str(value)


def count_facts(
    facts: Facts,
    by: str | None,
    today: str,
    period: Period | None = None,
    attributes: Mapping[str, Mapping[str, str]] | None = None,
) -> Counted:
    """Count audits, grades, actions and theme answers, overall and per group, over the
    audits that ended in ``period`` (their actions and answers come with them)."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    per_audit: dict[str, ActionCounts] = defaultdict(ActionCounts)
    for action in facts.actions:
        c = per_audit[action.audit_id]
        c.total += 1
        if action.status == "open":
            c.open += 1
            c.overdue += action.due < today
        elif action.status == "done":
            c.done += 1
            c.on_time += action.completed_on is not None and action.completed_on <= action.due
        else:
            c.cancelled += 1
    overall = Counts()
    groups: dict[str, Counts] = defaultdict(Counts)
    known: dict[str, AuditFact] = {}
    for audit in facts.audits:
        if not in_period(audit.ended_on, period):
            continue
        known[audit.audit_id] = audit
        actions = per_audit.get(audit.audit_id)
        overall.add_audit(audit, audit.grade, actions)
        if by is not None and by != "section":
            groups[group_of(audit, by, attributes)].add_audit(audit, audit.grade, actions)
    if by == "section":
        for section in facts.sections:
            audit = known.get(section.audit_id)  # type: ignore[assignment]
            if audit is not None:
                groups[section.section].add_audit(
                    audit, section.grade, per_audit.get(audit.audit_id)
                )
    themes: dict[tuple[str, str], ThemeCounts] = {}
    for theme in facts.themes:
        if theme.audit_id not in known:
            continue
        t = themes.get((theme.tool_id, theme.question_id))
        if t is None:
            t = themes[(theme.tool_id, theme.question_id)] = ThemeCounts(
                theme.tool_id, theme.question_id, theme.tags
            )
        t.tags = max(t.tags, theme.tags)  # the same choice the hub's SQL makes: max(tags)
        t.answered += 1
        t.partly += theme.value == "partly"
        t.no += theme.value == "no"
    return Counted(overall, dict(groups), list(themes.values()))


def measures(counts: Counts) -> dict[str, Any]:
    """The report's figures for one group, from its counts."""
    completed_or_overdue = counts.actions_done + counts.actions_overdue
    return {
        "audits": counts.audits,
        "finalised": counts.finalised,
        "closed_incomplete": counts.closed_incomplete,
        "good_or_better_pct": pct(counts.good_or_better, counts.finalised),
        "with_practitioner_pct": pct(counts.with_practitioner, counts.audits),
        "complete_against_framework_pct": pct(counts.complete, counts.audits),
        "actions_on_time_pct": pct(counts.actions_on_time, completed_or_overdue),
        "grades": {g: counts.grades[g] for g in _grade_order(counts.grades)},
        "overdue_actions": counts.actions_overdue,
        "actions": {
            "total": counts.actions,
            "open": counts.actions_open,
            "done": counts.actions_done,
            "cancelled": counts.actions_cancelled,
            "on_time": counts.actions_on_time,
            "late": counts.actions_done - counts.actions_on_time,
            "overdue": counts.actions_overdue,
        },
    }


def _grade_order(grades: dict[str, int]) -> list[str]:
    known = [g for g in GRADE_ORDER if g in grades]
    return known + sorted(g for g in grades if g not in GRADE_ORDER)


def render_report(
    counted: Counted,
    by: str | None,
    today: str,
    min_group: int,
    source: str,
    suppressed: int | None = None,
) -> dict[str, Any]:
    """The report document (``report --format json``) from counts.

    Groups chosen by ``hidden_groups``, and tagged questions (``question_themes``) with
    fewer than ``min_group`` answers, are left out (the themes findings raise are
    attached by ``theme_counts``); ``suppressed_groups`` says how many
    groups; ``suppressed`` overrides that count when the source has already
    dropped them (the PostgreSQL views).
    """
    hidden = hidden_groups({k: c.audits for k, c in counted.groups.items()}, min_group)
    groups = [
        {"group": key, **measures(counted.groups[key])}
        for key in sorted(counted.groups)
        if key not in hidden
    ]
    overall_hidden = 0 < counted.overall.audits < min_group  # nothing at all hides nobody
    top = measures(counted.overall)
    if overall_hidden:
        top = {k: (None if not isinstance(v, dict) else {}) for k, v in top.items()}
    return {
        "source": source,
        "today": today,
        "by": by,
        "small_group_threshold": min_group,
        "suppressed": overall_hidden,
        **top,
        "targets": dict(TARGETS),
        "groups": groups,
        "suppressed_groups": len(hidden) if suppressed is None else suppressed,
        "question_themes": [] if overall_hidden else themes_json(counted.themes, min_group),
        "themes": {"development": [], "strengths": []},  # filled by theme_counts
    }


def themes_json(themes: Iterable[ThemeCounts], min_group: int) -> list[dict[str, Any]]:
    """The tagged questions most often answered no or partly, worst first."""
    shown = [t for t in themes if t.answered >= min_group and t.partly + t.no > 0]
    shown.sort(key=lambda t: (-(t.partly + t.no), t.tool_id, t.question_id))
    return [
        {
            "tool_id": t.tool_id,
            "question_id": t.question_id,
            "tags": list(t.tags),
            "answered": t.answered,
            "no": t.no,
            "partly": t.partly,
            "no_or_partly_pct": pct(t.no + t.partly, t.answered),
        }
        for t in shown[:THEMES_SHOWN]
    ]


def build_report(
    facts: Facts,
    by: str | None,
    today: str,
    min_group: int = 1,
    source: str = "local",
    period: Period | None = None,
    attributes: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """The whole report from facts: the function every local and folder report goes through."""
    counted = count_facts(facts, by, today, period, attributes)
    report = render_report(counted, by, today, min_group, source)
    return with_period(report, period)


def with_period(report: dict[str, Any], period: Period | None) -> dict[str, Any]:
    """The report says which ended dates it counts (null: open-ended)."""
    start, end = period or (None, None)
    report["from"], report["to"] = start, end
    return report
