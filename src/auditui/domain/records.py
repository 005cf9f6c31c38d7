"""Audits and actions as the rest of the code sees them.

Plain frozen dataclasses: the store builds them from rows, the services
return them, the faces show them. No I/O here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from auditui.errors import InvalidAnswerError

AUDIT_KINDS = ("case_file", "themed", "dip_sample", "deep_dive", "moderation")
KIND_LABELS = {
    "case_file": "Case file audit",
    "themed": "Themed audit",
    "dip_sample": "Dip sample",
    "deep_dive": "Deep dive",
    "moderation": "Moderation",
}
STATUSES = ("draft", "finalised", "closed_incomplete")
STATUS_LABELS = {
    "draft": "Draft",
    "finalised": "Finalised",
    "closed_incomplete": "Closed incomplete",
}
ACTION_STATUSES = ("open", "done", "cancelled")
CASE_TYPE_LABELS = {
    "EH": "Early Help",
    "CIN": "Child in Need",
    "CP": "Child Protection",
    "CLA": "Child Looked After",
    "CL": "Care Leaver",
    "PF": "Private Fostering",
    "PB": "Pre-birth",
}
DUE_WITHIN_LIMIT = 2600
"""The furthest a due-date filter looks ahead: ten years of working days."""
NAME_LIMIT = 200
"""Characters in a name (team, practitioner, auditor, action owner, case reference): the
most a hub accepts (``sync.result.Name``), so nothing typed here fails every later sync."""
NOTE_LIMIT = 20_000
"""Characters in free text (action text, evidence, a reason): the most a hub accepts
(``sync.result.Note``)."""
FINDINGS = ("reflection", "strengths", "development", "summary", "feedback_sought")


@dataclass(frozen=True)
class Audit:
    id: str
    tool_id: str
    tool_version: int
    case_ref: str
    case_type: str
    team: str
    practitioner: str
    auditor: str
    kind: str
    practitioner_present: bool
    status: str
    revision: int
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str | None
    progress: float
    overall_grade: str | None
    complete: bool
    findings: dict[str, str | None]
    updated_at: str
    demo: bool = False
    """Made by ``auditui demo``: never sent to a real hub."""

    @property
    def ended(self) -> bool:
        return self.status != "draft"

    @classmethod
    def from_row(cls, row: Any) -> Audit:
        return cls(
            id=row["id"],
            tool_id=row["tool_id"],
            tool_version=row["tool_version"],
            case_ref=row["case_ref"],
            case_type=row["case_type"],
            team=row["team"],
            practitioner=row["practitioner"],
            auditor=row["auditor"],
            kind=row["kind"],
            practitioner_present=bool(row["practitioner_present"]),
            status=row["status"],
            revision=row["revision"],
            started_on=dt.date.fromisoformat(row["started_on"]),
            ended_on=dt.date.fromisoformat(row["ended_on"]) if row["ended_on"] else None,
            end_reason=row["end_reason"],
            progress=row["progress"],
            overall_grade=row["overall_grade"],
            complete=bool(row["complete"]),
            findings={name: row[name] for name in FINDINGS},
            updated_at=row["updated_at"],
            demo=bool(row["demo"]) if "demo" in row.keys() else False,
        )


@dataclass(frozen=True)
class Action:
    id: str
    audit_id: str
    owner: str
    text: str
    due: dt.date
    status: str
    created_on: dt.date
    completed_on: dt.date | None
    evidence: str | None
    team: str = ""
    case_ref: str = ""

    @property
    def on_time(self) -> bool | None:
        if self.completed_on is None:
            return None
        return self.completed_on <= self.due

    @classmethod
    def from_row(cls, row: Any) -> Action:
        keys = row.keys()
        return cls(
            id=row["id"],
            audit_id=row["audit_id"],
            owner=row["owner"],
            text=row["text"],
            due=dt.date.fromisoformat(row["due"]),
            status=row["status"],
            created_on=dt.date.fromisoformat(row["created_on"]),
            completed_on=dt.date.fromisoformat(row["completed_on"])
            if row["completed_on"]
            else None,
            evidence=row["evidence"],
            team=row["team"] if "team" in keys else "",
            case_ref=row["case_ref"] if "case_ref" in keys else "",
        )


_NOT_IN_A_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters and the bidirectional overrides that make a name display as another."""


def checked_name(text: str, field: str) -> str:
    """A name as typed, trimmed; refused, naming ``field``, when empty, too long or not one line."""
    name = text.strip()
    if len(name) > NAME_LIMIT:
        raise InvalidAnswerError(
            f"{field}: {len(name):,} characters is longer than the {NAME_LIMIT} a name may have."
        )
    if _NOT_IN_A_NAME.search(name):
        raise InvalidAnswerError(
            f"{field}: a name is one line of text, without tabs, line breaks or control characters."
        )
    return name


def checked_note(text: str, field: str) -> str:
    """Free text as typed, trimmed; refused, naming ``field``, when longer than a hub accepts."""
    note = text.strip()
    if len(note) > NOTE_LIMIT:
        raise InvalidAnswerError(
            f"{field}: {len(note):,} characters is longer than the {NOTE_LIMIT:,} a note may have."
        )
    return note


_DATE_LIKE = re.compile(r"\s*[0-9]{1,4}\s*[-/.]\s*[0-9]{1,2}\s*[-/.]\s*[0-9]{1,4}\s*")
"""Text that is only a date, valid or not (``31/02/2027``, ``2027-2-31``)."""


def checked_action_text(text: str) -> str:
    """An action's text as typed: required, within a hub's limit, and never just a date
    (typed into the wrong box, a date became an action's whole text)."""
    note = checked_note(text, "Action")
    if not note:
        raise InvalidAnswerError("Action: say what needs to be done.")
    if _DATE_LIKE.fullmatch(note):
        raise InvalidAnswerError(
            "Action: that is a date; say what needs to be done (the due date is its own field)."
        )
    return note


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_UK_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def parse_date(text: str | dt.date, field: str) -> dt.date:
    """A date from what a person typed (``YYYY-MM-DD``, ``DD/MM/YYYY`` or ``D/M/YYYY``),
    or a sentence naming the field."""
    if isinstance(text, dt.date):
        return text
    typed = text.strip() if isinstance(text, str) else ""
    iso, uk = _ISO_DATE.fullmatch(typed), _UK_DATE.fullmatch(typed)
    try:
        if iso is not None:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk is not None:
            return dt.date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        raise InvalidAnswerError(
            f"{field}: '{typed}' is not a date: there is no such day."
        ) from None
    shown = typed if len(typed) <= 40 else typed[:40] + "..."
    shown = "".join(c if c.isprintable() else "?" for c in shown)
    raise InvalidAnswerError(f"{field}: '{shown}' is not a date; use YYYY-MM-DD or DD/MM/YYYY.")
