"""A sync's programme step with a PostgreSQL hub: the same as with a folder hub, by calls.

The hub's functions (``pg_programme``) decide who may do what: only the QA
lead's login (trusted for every team) publishes plan items and allocations,
so this machine publishes only when ``am_lead()`` says it is the lead's;
agreed grades go from the login that recorded them here, and so does the
link from each allocation to the moderator's ended re-audit
(``pg_moderation``); a refusal is reported, not raised. Each person's sync
then takes home what the hub holds for their configured name, exactly as ``programme_sync`` does for a
folder (sealed case references opened with the organisation key). A hub
made before the programme existed has none of the functions: nothing is
sent or taken until ``auditui hub init`` upgrades it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.types.json import Jsonb
from pydantic import ValidationError

from auditui.domain.plan_items import same_name
from auditui.store import programme_hub as rows
from auditui.sync.case_seal import CaseSeal
from auditui.sync.pg_calls import call_or_refuse
from auditui.sync.programme_pg_details import send_details
from auditui.sync.programme_pg_progress import drop_reallocated, hear_progress, send_progress
from auditui.sync.programme_records import AllocationRecord, PlanItemRecord
from auditui.sync.programme_sync import (
    ProgrammeSync,
    _allocation_record,
    _item_record,
    _receive_allocation,
    _receive_item,
    _result_record,
)
from auditui.sync.pseudonym import OrganisationKey

if TYPE_CHECKING:
    from auditui.store.db import Store

_ITEM_FIELDS = ("id", "plan_id", "month", "case_ref", "case_key", "case_type", "team",
                "practitioner", "tool", "kind", "auditor", "planned_by")  # fmt: skip
_ALLOCATION_FIELDS = ("id", "month", "audit_id", "auditor", "team", "tool", "tool_version",
                      "case_ref", "case_type", "practitioner", "practitioner_present",
                      "moderator", "original_grades", "seed", "allocated_by")  # fmt: skip


def sync_programme_pg(
    store: Store, conn: psycopg.Connection[Any], organisation: OrganisationKey, user: str, now: str
) -> ProgrammeSync:
    out = ProgrammeSync()
    found = conn.execute("SELECT to_regproc('auditui.items_for') IS NOT NULL").fetchone()
    if not (found and found[0]):
        return out
    seal = CaseSeal.of(organisation)
    lead = conn.execute("SELECT auditui.am_lead()").fetchone()
    if lead and lead[0]:
        out.plans_published = _publish(store, conn, seal, organisation)
        out.published += out.plans_published
    for row in rows.agreed_by(store, user):
        result = _result_record(row)
        call_or_refuse(
            conn,
            "SELECT auditui.submit_moderation_result(%s, %s, %s, %s, %s)",
            (
                result.allocation_id,
                result.agreed_grade,
                result.agreed_by,
                result.agreed_reason,
                result.agreed_at,
            ),  # fmt: skip
            f"agreed grade of audit {result.audit_id[:8]}",
            out.refused,
        )
    _link_reaudits(store, conn, user, out)
    send_progress(store, conn, user, out)
    items = conn.execute("SELECT * FROM auditui.items_for(%s)", (user,)).fetchall()
    allocations = conn.execute("SELECT * FROM auditui.moderations_for(%s)", (user,)).fetchall()
    send_details(store, conn, organisation, user, allocations, out)
    with store.transaction() as local:
        for raw in items:
            item = _validated(PlanItemRecord, dict(zip(_ITEM_FIELDS, raw, strict=True)), out)
            if isinstance(item, PlanItemRecord) and same_name(item.auditor, user):
                _receive_item(local, item, seal, now, out)
        for raw in allocations:
            fields = dict(zip(_ALLOCATION_FIELDS, raw[:15], strict=True), case_key=None)
            record = _validated(AllocationRecord, fields, out)
            if not isinstance(record, AllocationRecord):
                continue
            _receive_allocation(local, record, None, seal, now, out)
            grade, by, reason, at = raw[15:19]
            if grade is not None and rows.receive_agreement(
                local, record.id, grade, by, reason, at.isoformat()
            ):
                out.heard.append(
                    f"Audit {record.audit_id[:8]}: the moderation's agreed grade is {grade} "
                    f"(recorded by {by})."
                )
    if lead and lead[0]:
        hear_progress(store, conn, now, out)
    else:
        drop_reallocated(store, conn, user, out)
    return out


def _link_reaudits(
    store: Store, conn: psycopg.Connection[Any], user: str, out: ProgrammeSync
) -> None:
    """Tell the hub which audit re-audited each allocation this user moderated (its
    moderation report pairs them so); a hub from before the report has nowhere to put it."""
    found = conn.execute("SELECT to_regproc('auditui.link_moderation') IS NOT NULL").fetchone()
    if not (found and found[0]):
        return
    for allocation_id, audit_id, reaudit_id in rows.reaudits_to_send(store, user):
        call_or_refuse(
            conn,
            "SELECT auditui.link_moderation(%s, %s)",
            (allocation_id, reaudit_id),
            f"re-audit of audit {audit_id[:8]}",
            out.refused,
        )


def _publish(
    store: Store, conn: psycopg.Connection[Any], seal: CaseSeal, organisation: OrganisationKey
) -> int:
    """Every plan item and allocation held here, sealed (the hub keeps the first of each,
    and a plan item's latest auditor); how many were new or changed in the hub."""
    sent = 0
    with conn.transaction():
        for row in rows.plan_items_to_publish(store):
            item = _item_record(row, seal, organisation).dump()
            done = conn.execute(
                "SELECT auditui.publish_plan_item(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [item[f] for f in _ITEM_FIELDS],
            ).fetchone()
            sent += done is not None and done[0] is not None
        for row in rows.allocations_to_publish(store):
            allocation = _allocation_record(store, row, seal, organisation)
            if allocation.case_ref is None and allocation.tool_version == 0:
                continue  # drawn from a folder hub's results: its details travel there
            fields = allocation.dump()
            values = [fields[f] for f in _ALLOCATION_FIELDS]
            values.insert(8, fields["case_key"])
            values[_ALLOCATION_FIELDS.index("original_grades") + 1] = Jsonb(
                fields["original_grades"]
            )
            done = conn.execute(
                "SELECT auditui.publish_moderation(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
                " %s, %s, %s, %s, %s)",
                values,
            ).fetchone()
            sent += done is not None and done[0] is not None
    return sent


def _validated(model: Any, fields: dict[str, Any], out: ProgrammeSync) -> Any:
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        out.refused.append(f"a programme row from the hub: {where}: {first['msg']}")
        return None
