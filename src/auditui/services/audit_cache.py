"""The last few audits a workspace read or wrote, kept while nobody has changed the file.

An auditor answers one question after another on the same audit, and
reading the audit back and grading it from scratch for each answer cost
several times the answer's own write. A ``Workspace`` keeps each loaded
audit here with the store's ``change_token()`` as it stood when the entry
was made; an entry is served only while the token is unchanged, so a write
by another window or program (``PRAGMA data_version``), by any other code
on this connection (``total_changes``) or a rolled-back transaction sends
the next call back to the database. Entries are never changed in place:
a service that writes builds a new one and puts it here after its commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only annotations here: a workspace opens without loading grading
    from auditui.domain.grading import AuditGrading
    from auditui.domain.records import Audit
    from auditui.services.regrade import GradingMemo
    from auditui.tools.models import AuditTool

CACHED_AUDITS = 8


@dataclass(frozen=True)
class CachedAudit:
    """An audit as stored, graded, and the change token it is valid for."""

    audit: Audit
    tool: AuditTool
    stored: dict[str, tuple[str | None, str | None]]
    """(value JSON, evidence note) by question id, as in the ``answers`` table."""
    answers: dict[str, Any]
    evidence: dict[str, str]
    chosen: dict[str, str]
    rationale: dict[str, str]
    grade_rows: dict[str, tuple[Any, ...]]
    """The ``grades`` rows as stored, by scope."""
    grading: AuditGrading
    memo: GradingMemo
    token: tuple[int, ...]
    sections_na: dict[str, str] = field(default_factory=dict)
    """(2) Reasons by section id, for the sections marked not applicable."""
    calendar: str = "england-and-wales"
    """(2) The working-day calendar the audit started under, that computed answers count in."""


class AuditCache:
    """At most ``size`` audits by id; the oldest is dropped first."""

    def __init__(self, size: int = CACHED_AUDITS) -> None:
        self.size = size
        self._entries: dict[str, CachedAudit] = {}

    def get(self, audit_id: str, token: tuple[int, ...]) -> CachedAudit | None:
        """The entry for ``audit_id`` if nothing has changed since it was made."""
        entry = self._entries.get(audit_id)
        if entry is None:
            return None
        if entry.token != token:
            self._entries.pop(audit_id, None)
            return None
        return entry

    def put(self, entry: CachedAudit) -> None:
        entries = self._entries
        audit_id = entry.audit.id
        if audit_id in entries:
            entries.pop(audit_id, None)  # re-inserted last: the newest
        entries[audit_id] = entry
        while len(entries) > self.size:
            entries.pop(next(iter(entries)), None)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
