"""The themes most often raised, as areas for development and as strengths, counted alike
over every source.

An audit's findings raise themes from the organisation's list (graded
result schema 4). For a report, each theme counts the **audits** that
ended in the period and raised it (an audit raises a theme once per kind),
overall and in each group the report shows: a group hidden to protect a
small group hides its themes too, and a suppressed report shows none.
Themes are categories, never the findings' words, so they may be counted
in a hub's aggregate views. The PostgreSQL hub counts them in SQL
(``pg_themes``) the same way.

The report carries them under ``themes``::

    {"development": [{"theme": "SMART planning", "audits": 7}, ...],
     "strengths": [{"theme": "Voice of the child", "audits": 9}, ...]}

most often raised first, then by name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from auditui.sync.facts import FINDING_KINDS, AuditFact, FindingTheme
from auditui.sync.measures import Period, group_of, in_period

KindCounts = dict[str, Counter[str]]
"""Audits raising each theme, by kind."""


def _empty() -> KindCounts:
    return {kind: Counter() for kind in FINDING_KINDS}


@dataclass
class ThemesCounted:
    overall: KindCounts = field(default_factory=_empty)
    groups: dict[str, KindCounts] = field(default_factory=dict)

    def add(self, group: str | None, kind: str, theme: str, audits: int = 1) -> None:
        """Count ``audits`` more audits raising ``theme`` overall (``group`` None) or in a group."""
        target = self.overall if group is None else self.groups.setdefault(group, _empty())
        if kind in target:
            target[kind][theme] += audits


def count_themes(
    audits: Iterable[AuditFact],
    themes: Iterable[FindingTheme],
    by: str | None,
    period: Period | None = None,
    attributes: Mapping[str, Mapping[str, str]] | None = None,
) -> ThemesCounted:
    """Count the audits that ended in ``period`` raising each theme, overall and per group
    (none per group for ``section``: a theme is the audit's, not a section's)."""
    counted = ThemesCounted()
    group: dict[str, str | None] = {}
    for audit in audits:
        if not in_period(audit.ended_on, period):
            continue
        key = None
        if by is not None and by != "section":
            key = group_of(audit, by, attributes)
        group[audit.audit_id] = key
    seen: set[FindingTheme] = set()
    for fact in themes:
        if fact.audit_id not in group or fact in seen:
            continue
        seen.add(fact)
        counted.add(None, fact.kind, fact.theme)
        if (key := group[fact.audit_id]) is not None:
            counted.add(key, fact.kind, fact.theme)
    return counted


def themes_json(counts: KindCounts | None) -> dict[str, list[dict[str, Any]]]:
    """The report's ``themes``: each kind's themes, most often raised first, then by name."""
    return {
        kind: [
            {"theme": theme, "audits": n}
            for theme, n in sorted(
                (counts or {}).get(kind, Counter()).items(), key=lambda t: (-t[1], t[0])
            )
            if n > 0
        ]
        for kind in ("development", "strengths")
    }


def attach_themes(report: dict[str, Any], counted: ThemesCounted) -> dict[str, Any]:
    """``themes`` in the report and in each group it shows; none when it is suppressed."""
    report["themes"] = themes_json(None if report.get("suppressed") else counted.overall)
    for group in report.get("groups", []):
        group["themes"] = themes_json(counted.groups.get(group["group"]))
    return report


def top_themes(report: Mapping[str, Any], shown: int = 5) -> list[tuple[str, str]]:
    """The report's short "Top themes" block (the table format): (label, the ``shown``
    most often raised with their audits) per kind raised, development first."""
    themes = report.get("themes") or {}
    lines = []
    for kind, label in (("development", "For development"), ("strengths", "Strengths")):
        items = themes.get(kind) or []
        if items:
            lines.append((label, ", ".join(f"{t['theme']} ({t['audits']})" for t in items[:shown])))
    return lines
