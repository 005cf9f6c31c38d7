"""Format 2 changes to a draft that move whole sections: N/A marks and the audit's details.

A section with ``allow_na: true`` may be marked not applicable with a
written reason, which hides it; clearing the mark shows its answers again,
and a change of detail (case type, kind, practitioner present) can show or
hide sections and questions. Either may bring two answers that break a date
limit between them back into view, so each is tried on a copy first
(``domain.date_limits``) and refused, naming both questions, before
anything is written.
"""

from __future__ import annotations

import dataclasses

from auditui.domain.date_limits import check_linked_dates
from auditui.domain.names import section_name
from auditui.domain.records import AUDIT_KINDS, CASE_TYPE_LABELS, checked_note
from auditui.errors import InvalidAnswerError, NotFoundError, StateError
from auditui.services.audit_edits import _regraded
from auditui.services.audit_state import AuditState, current_draft, details_of, state_of
from auditui.services.workspace import Workspace
from auditui.store import audit_sections as rows


def set_section_na(ws: Workspace, audit_id: str, section_id: str, reason: str | None) -> AuditState:
    """Mark a section not applicable with ``reason``, or clear the mark (``reason=None``)."""
    with ws.store.transaction() as conn:
        entry = current_draft(ws, conn, audit_id)
        tool = entry.tool
        section = next((s for s in tool.sections if s.id == section_id), None)
        if section is None:
            raise NotFoundError(
                f"'{section_id}' is not a section of {tool.id} "
                f"({', '.join(s.id for s in tool.sections)})."
            )
        if not section.allow_na:
            raise StateError(
                f"{section_name(tool, section_id)} cannot be marked not applicable: "
                f"{tool.title} does not allow it."
            )
        marks = dict(entry.sections_na)
        if reason is None:
            if section_id not in marks:
                return state_of(entry)
            del marks[section_id]
            check_linked_dates(tool, entry.answers, details_of(entry.audit), marks)
        else:
            reason = checked_note(reason, "Reason")
            if not reason:
                raise InvalidAnswerError(
                    f"Reason: say why {section_name(tool, section_id)} does not apply to "
                    "this audit."
                )
            marks[section_id] = reason
        now = ws.now()
        rows.set_section_na(
            conn, entry.audit.id, entry.audit.revision, section_id, reason, ws.user, now
        )
        entry = dataclasses.replace(entry, sections_na=marks)
        entry = _regraded(ws, conn, entry, now)
    ws.audit_cache.put(entry)
    return state_of(entry)


def set_details(
    ws: Workspace,
    audit_id: str,
    *,
    case_type: str | None = None,
    kind: str | None = None,
    practitioner_present: bool | None = None,
) -> AuditState:
    """Change the audit details conditions test; ``None`` keeps a detail as it is."""
    with ws.store.transaction() as conn:
        entry = current_draft(ws, conn, audit_id)
        audit, tool = entry.audit, entry.tool
        if case_type is not None and case_type != audit.case_type:
            if tool.is_worker_audit:
                raise InvalidAnswerError(
                    f"Case type: {tool.title} audits a worker's own file, which has no case type."
                )
            if case_type not in CASE_TYPE_LABELS:
                raise InvalidAnswerError(
                    f"Case type: '{case_type}' is not one of {', '.join(CASE_TYPE_LABELS)}."
                )
            if tool.applies_to and case_type not in tool.applies_to:
                raise InvalidAnswerError(
                    f"Case type: {tool.title} applies to {', '.join(tool.applies_to)}, "
                    f"not {case_type}."
                )
        if kind is not None and kind not in AUDIT_KINDS:
            raise InvalidAnswerError(
                f"Audit kind: '{kind}' is not one of {', '.join(AUDIT_KINDS)}."
            )
        changed = dataclasses.replace(
            audit,
            case_type=audit.case_type if case_type is None else case_type,
            kind=audit.kind if kind is None else kind,
            practitioner_present=audit.practitioner_present
            if practitioner_present is None
            else practitioner_present,
        )
        check_linked_dates(tool, entry.answers, details_of(changed), entry.sections_na)
        now = ws.now()
        rows.set_details(
            conn,
            audit.id,
            changed.case_type,
            changed.kind,
            changed.practitioner_present,
            now,
        )
        entry = dataclasses.replace(entry, audit=dataclasses.replace(changed, updated_at=now))
        entry = _regraded(ws, conn, entry, now)
    ws.audit_cache.put(entry)
    return state_of(entry)
