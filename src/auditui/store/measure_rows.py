"""The rows a measures report counts over the local store (the store owns this SQL).

A measure (format 2 ``measure``) is counted over finalised audits, by whether
its question was shown and how it was answered; whether it was shown depends
on the audit's other answers, its details, the sections marked not applicable
and its working-day calendar. This module reads exactly those, for the
finalised audits that ended in a period, with every answer decoded by
``values.decode_value`` (the store's one spelling of a value).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from auditui.store.db import Store, storage_errors
from auditui.store.values import decode_value

DEFAULT_CALENDAR = "england-and-wales"
"""The calendar of an audit begun before calendars were recorded (schema V6)."""


@dataclass
class MeasuredRow:
    """One finalised audit: what it is grouped by, and what decides its measures."""

    audit_id: str
    tool_id: str
    tool_version: int
    ended_on: str
    team: str
    case_type: str
    kind: str
    auditor: str
    practitioner_present: bool
    calendar: str
    answers: dict[str, Any] = field(default_factory=dict)
    sections_na: dict[str, str] = field(default_factory=dict)


def finalised_audits(
    store: Store, start: str | None = None, end: str | None = None
) -> Iterator[MeasuredRow]:
    """Every finalised audit that ended between ``start`` and ``end`` (ISO, inclusive,
    None open-ended), with its answers and the sections marked not applicable."""
    where = "a.status = 'finalised' AND a.ended_on IS NOT NULL"
    params: list[str] = []
    if start is not None:
        where += " AND a.ended_on >= ?"
        params.append(start)
    if end is not None:
        where += " AND a.ended_on <= ?"
        params.append(end)
    with storage_errors():
        audits = {
            row[0]: MeasuredRow(
                row[0],
                row[1],
                int(row[2]),
                row[3],
                row[4],
                row[5] or "",
                row[6],
                row[7],
                bool(row[8]),
                row[9] or DEFAULT_CALENDAR,
            )
            for row in store.conn.execute(
                "SELECT a.id, a.tool_id, a.tool_version, a.ended_on, a.team, a.case_type, a.kind,"
                " a.auditor, a.practitioner_present, a.calendar FROM audits a"
                f" WHERE {where} ORDER BY a.ended_on, a.id",
                params,
            )
        }
        for audit_id, question_id, value in store.conn.execute(
            f"SELECT n.audit_id, n.question_id, n.value FROM answers n JOIN audits a"
            f" ON a.id = n.audit_id WHERE {where}",
            params,
        ):
            audits[audit_id].answers[question_id] = decode_value(value)
        for audit_id, section_id, reason in store.conn.execute(
            f"SELECT s.audit_id, s.section_id, s.reason FROM sections_na s JOIN audits a"
            f" ON a.id = s.audit_id WHERE {where}",
            params,
        ):
            audits[audit_id].sections_na[section_id] = reason
    yield from audits.values()
