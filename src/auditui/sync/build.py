"""From the local outbox snapshot to the graded result a hub may hold.

The outbox keeps everything about an ended revision (case reference,
evidence, names); this module is the one filter between that and a hub.
``result_record`` gives the plain JSON-shaped dict (also used, unvalidated
and with no key, by the local report so both count the same things);
``graded_result`` validates it into the frozen model that is sent.

Two things come from the local store rather than the snapshot (``extras``,
read by ``result_extras`` at sync time): the organisation's themes the
findings raise, and a moderation re-audit's link and agreed grade. A
snapshot that carries ``themes`` or ``moderation`` itself is taken first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from auditui.sync.pseudonym import OrganisationKey
from auditui.sync.result import SCHEMA, GradedResult
from auditui.sync.result_extras import THEME_KINDS, ResultExtras
from auditui.tools.models import AuditTool
from auditui.tools.scales import ANSWER_LABELS, SCALES

ToolLookup = Callable[[str, int], AuditTool | None]
"""Finds the audit tool (id, version) a snapshot was graded on, or None when it is not loaded."""

WORKER_CASE_TYPE = "worker"
"""A worker audit's ``case_type`` in the graded result: it audits no case (schema 3)."""

NO_KEY = "0" * 64
"""The case key used where none is needed (the local report never leaves the machine)."""

_SAFE_WORDS = frozenset(ANSWER_LABELS) | {g for s in SCALES.values() for g in s.grades}
_OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def scale_of_grade(grade: str | None) -> str | None:
    """The scale a grade belongs to (the scales share no grade names)."""
    for scale in SCALES.values():
        if grade in scale.grades:
            return scale.id
    return None


def result_record(
    payload: Mapping[str, Any],
    recorded_at: str,
    key: OrganisationKey | None,
    share_text: bool,
    tools: ToolLookup | None = None,
    share_action_text: bool = True,
    demo: bool = False,
    extras: ResultExtras | None = None,
) -> dict[str, Any]:
    """The graded-result dict for one outbox snapshot (``services.audits.ended_snapshot``).

    Evidence and other free text only with ``share_text``; action texts unless
    ``share_action_text`` is off; ``demo`` marks an audit made by ``auditui demo``;
    ``extras`` are the audit's themes and moderation from the local store.
    """
    audit = payload["audit"]
    tool = tools(audit["tool_id"], audit["tool_version"]) if tools is not None else None
    sections = payload.get("sections") or {}
    overall = payload.get("overall") or {}
    scale = tool.scale if tool is not None else _infer_scale(sections, overall)

    def text(value: Any) -> Any:
        return value if share_text else None

    worker = audit.get("subject") == "worker"
    # A worker audit's practitioner is pseudonymised as a case reference is (spec: Subject).
    keyed = audit["practitioner"] if worker else audit["case_ref"]
    record: dict[str, Any] = {
        "schema": SCHEMA,
        "audit_id": audit["id"],
        "revision": audit["revision"],
        "status": audit["status"],
        "recorded_at": recorded_at,
        "tool_id": audit["tool_id"],
        "tool_version": audit["tool_version"],
        "scale": scale,
        "good_or_better": _good_or_better(tool),
        "subject": "worker" if worker else "case",
        "case_key": key.case_key(keyed) if key is not None else NO_KEY,
        "case_type": WORKER_CASE_TYPE if worker else audit["case_type"],
        "calendar": audit.get("calendar"),
        "team": audit["team"],
        "auditor": audit["auditor"],
        "practitioner_present": bool(audit["practitioner_present"]),
        "kind": audit["kind"],
        "started_on": audit["started_on"],
        "ended_on": audit["ended_on"],
        "complete": bool(audit["complete"]),
        "end_reason": text(audit.get("end_reason")),
        "sections": [
            {
                "section_id": sid,
                "percent": s.get("percent"),
                "suggested": s.get("suggested"),
                "final": s.get("final"),
                "overridden": bool(s.get("overridden")),
                "rationale": text(s.get("rationale")),
                "number": s.get("number"),
                "not_applicable": bool(s.get("na_reason")),
                "na_reason": text(s.get("na_reason")),
            }
            for sid, s in sections.items()
        ],
        "overall": {
            "percent": overall.get("percent"),
            "suggested": overall.get("suggested"),
            "final": overall.get("final"),
            "overridden": bool(overall.get("overridden")),
            "rationale": text(overall.get("rationale")),
        },
        "answers": _answers(payload.get("answers") or (), tool, share_text),
        "actions": [
            {
                "id": a["id"],
                "owner": a["owner"],
                "due": a["due"],
                "status": a["status"],
                "completed_on": a.get("completed_on"),
                "text": a.get("text") if share_action_text else None,
                "agreed_on": a.get("created_on"),
            }
            for a in payload.get("actions") or ()
        ],
        "findings": dict(payload.get("findings") or {}) if share_text else None,
        "demo": demo,
        "measures": _measures(payload, tool),
        "themes": _themes(payload, extras),
        "moderation": _moderation(payload, extras),
    }
    return record


def _themes(payload: Mapping[str, Any], extras: ResultExtras | None) -> dict[str, list[str]]:
    """The theme names by kind (both kinds always there; none when nothing recorded)."""
    given = payload.get("themes")
    if not isinstance(given, Mapping):
        given = extras.themes if extras is not None and extras.themes is not None else {}
    return {kind: list(dict.fromkeys(given.get(kind) or ())) for kind in THEME_KINDS}


def _moderation(payload: Mapping[str, Any], extras: ResultExtras | None) -> dict[str, Any] | None:
    """What a moderation re-audit moderates, and the agreed grade once recorded; the
    agreement's reason is free text and stays local. None for any other audit."""
    if payload["audit"].get("kind") != "moderation":
        return None
    given = payload.get("moderation")
    if isinstance(given, Mapping):
        return dict(given)
    link = extras.moderation if extras is not None else None
    if link is None:
        return None  # a moderation started without an allocation moderates no known audit
    return {
        "moderates": link.moderates,
        "agreed_grade": link.agreed_grade,
        "agreed_by": link.agreed_by if link.agreed_grade is not None else None,
        "agreed_at": link.agreed_at if link.agreed_grade is not None else None,
    }


def _measures(payload: Mapping[str, Any], tool: AuditTool | None) -> list[dict[str, str]]:
    """The measure values as shown, for a finalised audit: from the snapshot (which knew
    the sections marked N/A and the calendar), else, for a snapshot made before it
    carried them, resolved here from its answers and details."""
    from auditui.sync.measure_counts import measure_facts_of, shown_measure_values

    audit = payload["audit"]
    if audit["status"] != "finalised":
        return []
    if "measures" in payload:
        record = {
            "status": "finalised",
            "audit_id": audit["id"],
            "tool_id": audit["tool_id"],
            "measures": payload["measures"],
        }
        return [
            {"tool": f.tool_id, "question": f.question_id, "value": f.value}
            for f in measure_facts_of(record)
        ]
    if tool is None:
        return []
    answers = {a["question_id"]: a.get("value") for a in payload.get("answers") or ()}
    details = {
        "case_type": audit.get("case_type") or None,
        "kind": audit.get("kind"),
        "practitioner_present": bool(audit.get("practitioner_present")),
    }
    return shown_measure_values(tool, answers, details)


def _good_or_better(tool: AuditTool | None) -> list[str] | None:
    """A tool's own scale's good-or-better grades, so a hub can count them (schema 3)."""
    if tool is None or tool.scale in SCALES:
        return None
    scale = tool.scale_def
    return [g for g in scale.grades if g in scale.good_or_better]


def graded_result(
    payload: Mapping[str, Any],
    recorded_at: str,
    key: OrganisationKey,
    share_text: bool,
    tools: ToolLookup | None = None,
    share_action_text: bool = True,
    demo: bool = False,
    extras: ResultExtras | None = None,
) -> GradedResult:
    """The validated record sent to a hub; raises pydantic's ValidationError on a bad snapshot."""
    return GradedResult.model_validate(
        result_record(payload, recorded_at, key, share_text, tools, share_action_text, demo, extras)
    )


def _answers(
    answers: Iterable[Mapping[str, Any]], tool: AuditTool | None, share_text: bool
) -> list[dict[str, Any]]:
    typed = _typed_questions(tool) if tool is not None and not share_text else None
    out = []
    for answer in answers:
        qid = answer["question_id"]
        value = answer.get("value")
        withheld = False
        if not share_text:
            free = qid in typed.free_text if typed is not None and qid in typed.known else None
            if free is None:
                free = _is_free_text(value)
            if free:
                value, withheld = None, True
        out.append(
            {
                "question_id": qid,
                "section_id": answer["section_id"],
                "value": value,
                "withheld": withheld,
                "tags": list(answer.get("tags") or ()),
                "evidence": answer.get("evidence") if share_text else None,
                "number": answer.get("number"),
                "computed": bool(answer.get("computed")),
            }
        )
    return out


class _Typed(NamedTuple):
    known: frozenset[str]
    free_text: frozenset[str]


_TYPED: dict[int, tuple[AuditTool, _Typed]] = {}


def _typed_questions(tool: AuditTool) -> _Typed:
    """The tool's question ids, and those answered in free text (computed once per tool)."""
    found = _TYPED.get(id(tool))
    if found is None or found[0] is not tool:
        typed = _Typed(
            frozenset(q.id for q in tool.questions),
            frozenset(q.id for q in tool.questions if q.type == "text"),
        )
        found = _TYPED[id(tool)] = (tool, typed)
    return found[1]


def _is_free_text(value: Any) -> bool:
    """Could this answer (of a question not in the loaded tool) hold words a person typed?

    Then it stays local by default: only values that cannot be prose go.
    """
    if isinstance(value, bool | int | float) or value is None:
        return False
    if isinstance(value, str):
        return not (value in _SAFE_WORDS or _ISO_DATE.match(value))
    if isinstance(value, list):
        return not all(isinstance(v, str) and _OPTION_ID.match(v) for v in value)
    return True


def _infer_scale(sections: Mapping[str, Any], overall: Mapping[str, Any]) -> str | None:
    grades = [overall.get("final"), overall.get("suggested")]
    grades += [s.get(k) for s in sections.values() for k in ("final", "suggested")]
    for grade in grades:
        if (scale := scale_of_grade(grade)) is not None:
            return scale
    return None
