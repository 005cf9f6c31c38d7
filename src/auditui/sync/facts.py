"""The few facts per audit that the monthly measures are computed from.

Every report source (the local store, a folder hub's index, a PostgreSQL
hub) reduces graded results to these rows, so the measures themselves are
computed in one place (``measures.py``). ``facts_of`` is the one reduction
of a graded-result dict; ``merge_action`` is the one rule for an action's
state when several records of it exist (the audit's revision, the owner's
later change, a team manager's completion over a hub).

Dates are ISO strings: they order correctly as text and cost nothing to
compare over a hundred thousand rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

THEME_VALUES = ("yes", "partly", "no")
"""Answers that take part in themes: the others (N/A, grades, options) do not say yes or no."""


class AuditFact(NamedTuple):
    audit_id: str
    status: str
    ended_on: str
    team: str
    tool_id: str
    practitioner_present: bool
    complete: bool
    grade: str | None
    """The final overall grade."""
    case_type: str = ""
    kind: str = ""
    auditor: str = ""
    """What ``report --by case_type|kind|auditor`` groups by."""


class SectionFact(NamedTuple):
    audit_id: str
    section: str
    """``tool_id/section_id``: section ids are only unique within a tool."""
    grade: str | None


class ThemeFact(NamedTuple):
    audit_id: str
    tool_id: str
    question_id: str
    tags: tuple[str, ...]
    value: str


class FindingTheme(NamedTuple):
    """One of the organisation's themes an audit's findings raise (graded result schema 4)."""

    audit_id: str
    kind: str
    """``strengths`` or ``development``."""
    theme: str


FINDING_KINDS = ("strengths", "development")


class ActionFact(NamedTuple):
    action_id: str
    audit_id: str
    due: str
    status: str
    completed_on: str | None


@dataclass
class Facts:
    audits: list[AuditFact] = field(default_factory=list)
    sections: list[SectionFact] = field(default_factory=list)
    themes: list[ThemeFact] = field(default_factory=list)
    actions: list[ActionFact] = field(default_factory=list)
    findings: list[FindingTheme] = field(default_factory=list)
    """The themes raised as strengths and for development (none before schema 4)."""

    def add(self, other: Facts) -> None:
        self.audits += other.audits
        self.sections += other.sections
        self.themes += other.themes
        self.actions += other.actions
        self.findings += other.findings


def facts_of(result: Mapping[str, Any], with_actions: bool = True) -> Facts:
    """The facts of one graded-result dict (``GradedResult.dump()`` or ``build.result_record``)."""
    audit_id = result["audit_id"]
    tool_id = result["tool_id"]
    facts = Facts()
    facts.audits.append(
        AuditFact(
            audit_id,
            result["status"],
            result["ended_on"],
            result["team"],
            tool_id,
            bool(result["practitioner_present"]),
            bool(result["complete"]),
            result["overall"]["final"],
            result.get("case_type") or "",
            result.get("kind") or "",
            result.get("auditor") or "",
        )
    )
    facts.sections = [
        SectionFact(audit_id, f"{tool_id}/{s['section_id']}", s["final"])
        for s in result["sections"]
    ]
    facts.themes = [
        ThemeFact(audit_id, tool_id, a["question_id"], tuple(a["tags"]), a["value"])
        for a in result["answers"]
        if a["tags"] and a["value"] in THEME_VALUES
    ]
    facts.findings = finding_themes_of(result)
    if with_actions:
        facts.actions = [
            ActionFact(a["id"], audit_id, a["due"], a["status"], a.get("completed_on"))
            for a in result["actions"]
        ]
    return facts


def finding_themes_of(result: Mapping[str, Any]) -> list[FindingTheme]:
    """The themes a graded-result dict raises, read defensively: none when it carries no
    ``themes`` (schema 1 to 3); a theme named twice in one kind counts once; anything but
    a name of 1 to 200 characters is not a theme. The PostgreSQL hub's ``submit`` reads them the same way."""
    given = result.get("themes")
    if not isinstance(given, Mapping):
        return []
    audit_id = str(result["audit_id"])
    found: list[FindingTheme] = []
    for kind in FINDING_KINDS:
        names = given.get(kind)
        if not isinstance(names, list | tuple):
            continue
        for name in dict.fromkeys(n for n in names if isinstance(n, str) and 0 < len(n) <= 200):
            found.append(FindingTheme(audit_id, kind, name))
    return found


class ActionRecord(NamedTuple):
    """One statement about an action's state, from wherever it came."""

    action_id: str
    audit_id: str
    source: str
    """``owner`` (the audit's revision or the owner's later change) or ``hub`` (a team manager)."""
    recorded_at: str
    """When the change was made, as ``canonical_stamp`` writes it."""
    status: str
    completed_on: str | None
    owner: str | None = None
    due: str | None = None
    text: str | None = None
    evidence: str | None = None
    agreed_on: str | None = None
    """When the action was agreed (owner's records of schema 2 only)."""


@dataclass(frozen=True)
class MergedAction:
    action_id: str
    audit_id: str
    status: str
    completed_on: str | None
    owner: str | None
    due: str | None
    text: str | None
    evidence: str | None
    status_at: str

    def fact(self) -> ActionFact:
        return ActionFact(
            self.action_id, self.audit_id, self.due or "", self.status, self.completed_on
        )


def canonical_stamp(stamp: str) -> str:
    """A timestamp as UTC ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``: text order is then time order."""
    value = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    value = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value.isoformat(timespec="microseconds")


def merge_action(records: Iterable[ActionRecord]) -> MergedAction:
    """One action's state from all its records; the same answer whatever their order.

    - Done or cancelled is final: the earliest recorded completion or
      cancellation wins (an action is completed once), over any "open".
    - Owner, due date and text come from the owner's latest record.
    """
    items = list(records)
    if not items:
        raise ValueError("no records")
    ended = [r for r in items if r.status != "open"]
    first = min(ended, key=_order) if ended else None
    with_fields = [r for r in items if r.owner is not None]
    latest = max(with_fields, key=_order) if with_fields else None
    base = first or max(items, key=_order)
    return MergedAction(
        action_id=base.action_id,
        audit_id=base.audit_id,
        status=first.status if first else "open",
        completed_on=first.completed_on if first else None,
        owner=latest.owner if latest else None,
        due=latest.due if latest else None,
        text=latest.text if latest else None,
        evidence=first.evidence if first else None,
        status_at=base.recorded_at,
    )


def _order(record: ActionRecord) -> tuple[str, str, str, str]:
    """Time first (``recorded_at`` is canonical), then fixed tie-breaks so any order agrees."""
    return (record.recorded_at, record.source, record.status, record.completed_on or "")


def completion_problem(
    status: str, completed_on: str | None, agreed_on: str | None, latest: str
) -> str | None:
    """Why a recorded completion cannot be true, or None when it can.

    ``latest`` is the last day it could have been done on (today, or the day
    the record was made, whichever is earlier, plus a day for time zones).
    Dates are ISO strings.
    """
    if status != "done":
        return None
    if completed_on is None:
        return "marked done with no completion date"
    if agreed_on is not None and completed_on < agreed_on:
        return f"completed on {completed_on}, before the action was agreed ({agreed_on})"
    if completed_on > latest:
        return f"completed on {completed_on}, a date in the future"
    return None


def latest_possible(recorded_at: dt.datetime, today: dt.date) -> str:
    """The last completion date a record made at ``recorded_at`` can carry, read ``today``."""
    made = (
        recorded_at.date() if recorded_at.tzinfo is None else recorded_at.astimezone(dt.UTC).date()
    )
    return (min(made, today) + dt.timedelta(days=1)).isoformat()
