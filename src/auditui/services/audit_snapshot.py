"""The outbox snapshot of an ended revision: the full local record sync starts from.

It is taken in the transaction that ends the audit and kept as JSON in the
``outbox``; sync decides what of it may leave the machine.
"""

from __future__ import annotations

from typing import Any

from auditui.domain.records import Action, Audit
from auditui.services.audit_state import AuditState
from auditui.sync.measure_counts import shown_measure_values
from auditui.tools.numbering import form_numbers


def ended_snapshot(audit: Audit, state: AuditState, actions: list[Action]) -> dict[str, Any]:
    """Everything about one ended revision, kept locally in the outbox for sync.

    This is the full local record (case reference and evidence included);
    sync decides what of it may leave the machine. Format 2 adds the subject
    and calendar, each section's form number and N/A reason, and computed
    answers (with ``computed: true``) among the answers, as finalised.
    """
    grading = state.grading
    tool = state.tool
    numbers = form_numbers(tool)
    computed = {qid: v for qid, v in grading.computed.items() if v is not None}
    answered = {**state.answers, **computed}
    return {
        "audit": {
            "id": audit.id,
            "revision": audit.revision,
            "status": audit.status,
            "tool_id": audit.tool_id,
            "tool_version": audit.tool_version,
            "case_ref": audit.case_ref,
            "case_type": audit.case_type,
            "team": audit.team,
            "auditor": audit.auditor,
            "practitioner": audit.practitioner,
            "practitioner_present": audit.practitioner_present,
            "kind": audit.kind,
            "started_on": audit.started_on.isoformat(),
            "ended_on": audit.ended_on.isoformat() if audit.ended_on else None,
            "end_reason": audit.end_reason,
            "complete": grading.complete,
            "subject": "worker" if tool.is_worker_audit else "case",
            "calendar": state.calendar,
        },
        "sections": {
            sid: {
                **s.to_json(),
                "chosen": s.chosen,
                "rationale": state.rationale.get(sid),
                "overridden": s.chosen is not None
                and s.suggested is not None
                and s.chosen != s.suggested,
                "number": numbers[sid],
                "na_reason": state.sections_na.get(sid),
            }
            for sid, s in grading.sections.items()
        },
        "overall": {
            **grading.overall.to_json(),
            "chosen": grading.overall.chosen,
            "rationale": state.rationale.get("overall"),
            "overridden": grading.overall.chosen is not None
            and grading.overall.suggested is not None
            and grading.overall.chosen != grading.overall.suggested,
        },
        "answers": [
            {
                "question_id": q.id,
                "section_id": tool.section_of[q.id].id,
                "value": answered[q.id],
                "evidence": state.evidence.get(q.id),
                "tags": list(q.tags),
                "number": numbers[q.id],
                "computed": q.id in computed,
            }
            for q in tool.questions
            if q.id in answered
        ],
        # What a hub counts the measures from: each measure question as shown (none
        # unless finalised); the hub cannot resolve conditions itself.
        "measures": shown_measure_values(
            tool, state.answers, state.details, state.sections_na, state.calendar
        )
        if audit.status == "finalised"
        else [],
        "actions": [
            {
                "id": a.id,
                "owner": a.owner,
                "text": a.text,
                "due": a.due.isoformat(),
                "status": a.status,
                "completed_on": a.completed_on.isoformat() if a.completed_on else None,
            }
            for a in actions
        ],
        "findings": dict(audit.findings),
    }
