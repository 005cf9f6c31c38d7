"""What an auditor does to an audit, one transaction per call: the one place to import it from.

Start, answer, grade, finalise, close, reopen: each function checks its
input against the audit's pinned tool version, writes inside one
``store.transaction()``, and returns what a face needs to show next. A
refusal raises an ``AuditUIError`` before anything is written.

The work lives in small modules, one idea each, and the faces import it
from here:

- ``audit_state``: ``AuditState`` and ``load()``, the read every screen starts from;
- ``audit_edits``: answer, evidence, grade and findings changes to a draft;
- ``audit_lifecycle``: start, finalise, close incomplete, reopen;
- ``audit_snapshot``: the outbox snapshot of an ended revision;
- ``audit_lists``: lists and counts of audits;
- ``audit_cache`` and ``regrade``: what keeps one answer cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditui.services.audit_edits import answer, set_evidence, set_findings, set_grade
    from auditui.services.audit_lifecycle import close_incomplete, finalise, reopen, start_audit
    from auditui.services.audit_lists import count_audits, list_audits, status_counts
    from auditui.services.audit_sections import set_details, set_section_na
    from auditui.services.audit_snapshot import ended_snapshot
    from auditui.services.audit_state import AuditState, load, missing_items, missing_lines
    from auditui.services.workspace import rows_read

_HOMES = {
    "answer": "audit_edits",
    "set_evidence": "audit_edits",
    "set_findings": "audit_edits",
    "set_grade": "audit_edits",
    "set_details": "audit_sections",
    "set_section_na": "audit_sections",
    "close_incomplete": "audit_lifecycle",
    "finalise": "audit_lifecycle",
    "reopen": "audit_lifecycle",
    "start_audit": "audit_lifecycle",
    "count_audits": "audit_lists",
    "list_audits": "audit_lists",
    "status_counts": "audit_lists",
    "ended_snapshot": "audit_snapshot",
    "AuditState": "audit_state",
    "load": "audit_state",
    "missing_items": "audit_state",
    "missing_lines": "audit_state",
    "rows_read": "workspace",
}
"""Where each name lives. A name is imported when first used, so the home screen's
list reads (``audit_lists``) do not load grading, the tool models and pydantic
before the first frame."""

__all__ = [
    "AuditState",
    "answer",
    "close_incomplete",
    "count_audits",
    "ended_snapshot",
    "finalise",
    "list_audits",
    "load",
    "missing_items",
    "missing_lines",
    "reopen",
    "rows_read",
    "set_evidence",
    "set_findings",
    "set_details",
    "set_grade",
    "set_section_na",
    "start_audit",
    "status_counts",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"auditui.services.{home}"), name)
    globals()[name] = value
    return value
