"""A sync's programme step with a folder hub: the QA lead publishes, everyone receives.

Runs at the end of every sync (``engine``):

1. on the QA lead's machine (its signing key is the one ``hub.json`` names),
   every plan item and moderation allocation in the local store is written
   signed, the case reference and worker sealed with the organisation key;
2. every agreed grade recorded on this machine by this user is written as a
   result, signed by this machine (believed when it is the QA lead's, or one
   the lead's trust file allows for the team), and every ended re-audit this
   user made as a moderator is linked to its allocation (``reaudit`` files,
   which the hub's moderation report pairs audits by);
3. what the hub believably holds for this user comes home: plan items
   allocated to them (matched on the configured user name), allocations they
   are to moderate, allocations of their own audits, and agreed grades, so
   the original auditor sees the agreed grade after their next sync.

A record whose sealed reference does not open with this organisation's key
is refused, named, and not recorded.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditui.domain.plan_items import same_name
from auditui.domain.plurals import counted
from auditui.store import moderation as moderation_rows
from auditui.store import programme_hub as rows
from auditui.sync.case_seal import CaseSeal
from auditui.sync.programme_hub_audits import signers_and_auditor_keys
from auditui.sync.programme_records import (
    AllocationRecord,
    DetailsRecord,
    PlanItemRecord,
    ProgressRecord,
    ReauditRecord,
    ResultRecord,
    read_programme,
    write_records,
)
from auditui.sync.pseudonym import OrganisationKey
from auditui.sync.trust import read_trust

if TYPE_CHECKING:
    from auditui.store.db import Store
    from auditui.sync.folder import FolderHub
    from auditui.sync.hub import Hub
    from auditui.sync.sync_report import SyncReport


@dataclass
class ProgrammeSync:
    published: int = 0
    plans_published: int = 0
    """Plan items and allocations new or changed in the hub (the QA lead's machine)."""
    received: int = 0
    progressed: int = 0
    """Planned audits started or ended elsewhere that this machine heard of."""
    heard: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def programme_step(
    store: Store, hub: Hub, organisation: OrganisationKey, user: str, now: str, report: SyncReport
) -> None:
    """The engine's step: a real folder hub, or a PostgreSQL hub (``programme_pg``); a demo
    hub carries no programme."""
    from auditui.sync.folder import FolderHub
    from auditui.sync.postgres import PostgresHub

    if isinstance(hub, FolderHub) and not hub.demo:
        done = sync_programme(store, hub, organisation, user, now)
    elif isinstance(hub, PostgresHub):
        from auditui.sync.programme_pg import sync_programme_pg

        done = sync_programme_pg(store, hub.conn, organisation, user, now)
    else:
        return
    report.programme_published += done.plans_published
    if done.plans_published:
        report.warnings.append(
            f"{counted(done.plans_published, 'plan item or allocation', 'plan items or allocations')}"
            f" published to {hub.display}."
        )
    if done.received:
        report.warnings.append(
            f"{counted(done.received, 'planned audit or moderation', 'planned audits or moderations')}"
            f" received from {hub.display}."
        )
    if done.progressed:
        report.warnings.append(
            f"{counted(done.progressed, 'planned audit')} started or ended at other machines, "
            f"heard from {hub.display}."
        )
    report.warnings += done.heard
    report.refused += done.refused


def sync_programme(
    store: Store, hub: FolderHub, organisation: OrganisationKey, user: str, now: str
) -> ProgrammeSync:
    out = ProgrammeSync()
    seal = CaseSeal.of(organisation)
    lead = hub.pinned_lead()
    items: list[PlanItemRecord] = []
    allocations: list[AllocationRecord] = []
    if lead is not None and hub.key.public_hex == lead:
        items = [_item_record(r, seal, organisation) for r in rows.plan_items_to_publish(store)]
        allocations = [
            _allocation_record(store, r, seal, organisation)
            for r in rows.allocations_to_publish(store)
        ]
    results = [_result_record(r) for r in rows.agreed_by(store, user)]
    reaudits = [
        ReauditRecord(allocation_id=r[0], audit_id=r[1], moderation_audit_id=r[2])
        for r in rows.reaudits_to_send(store, user)
    ]
    progress = [progress_record(r) for r in rows.progress_to_send(store, user)]
    out.plans_published = write_records(hub, items, allocations, [])
    out.published = out.plans_published + write_records(
        hub, [], [], results, reaudits=reaudits, progress=progress
    )
    today = dt.datetime.fromisoformat(now).date()
    bound, keys = signers_and_auditor_keys(hub, today)
    believed = read_programme(hub, lead, read_trust(hub.root, lead), bound, keys)
    out.refused = [f"{name}: {why}" for name, why in believed.refused]
    out.published += write_records(hub, [], [], [], _details_to_send(store, believed, user, seal))
    if out.published:
        believed = read_programme(hub, lead, read_trust(hub.root, lead), bound, keys)
    with store.transaction() as conn:
        for item in believed.items.values():
            if same_name(item.auditor, user):
                _receive_item(conn, item, seal, now, out)
            elif hub.key.public_hex != lead:  # the lead's own plan is the source, not the hub
                reallocated(conn, item.id, item.auditor, user, out)
        for report in believed.progress.values():
            receive_progress(conn, report, now, out)
        is_lead = lead is not None and hub.key.public_hex == lead
        for allocation in believed.allocations.values():
            # The lead's own allocations too: her list of every moderation then has the
            # case details the original auditor's machine sent (she holds the key).
            if (
                is_lead
                or same_name(user, allocation.moderator)
                or same_name(user, allocation.auditor)
            ):
                found = believed.details.get(allocation.id)
                _receive_allocation(conn, allocation, found, seal, now, out)
        for result in believed.results.values():
            if rows.receive_agreement(
                conn,
                result.allocation_id,
                result.agreed_grade,
                result.agreed_by,
                result.agreed_reason,
                result.agreed_at.isoformat(),
            ):
                out.heard.append(
                    f"Audit {result.audit_id[:8]}: the moderation's agreed grade is "
                    f"{result.agreed_grade} (recorded by {result.agreed_by})."
                )
    return out


def progress_record(row: Any) -> ProgressRecord:
    return ProgressRecord(
        item_id=row["item_id"],
        audit_id=row["audit_id"],
        auditor=row["auditor"],
        status=row["status"],
        started_on=dt.date.fromisoformat(row["started_on"]),
        ended_on=dt.date.fromisoformat(row["ended_on"]) if row["ended_on"] else None,
    )


def reallocated(conn: Any, item_id: str, auditor: str, user: str, out: ProgrammeSync) -> None:
    """The hub gives ``item_id`` to ``auditor``: leave ``user``'s list, unless started."""
    done = rows.drop_reallocated(conn, item_id, user)
    if done == "removed":
        out.heard.append(
            f"Plan item {item_id[:8]} was given to {auditor}; it is no longer on your list."
        )
    elif done == "kept":
        out.heard.append(
            f"Plan item {item_id[:8]} was given to {auditor}, but you have started its audit; "
            "it stays here. Ask the QA lead which of you audits the case."
        )


def receive_progress(conn: Any, report: ProgressRecord, now: str, out: ProgrammeSync) -> None:
    """Keep a believed report of a planned audit done elsewhere (the item held here);
    the QA lead's progress counts it."""
    heard = {
        "item_id": report.item_id,
        "audit_id": report.audit_id,
        "status": report.status,
        "started_on": report.started_on.isoformat(),
        "ended_on": report.ended_on.isoformat() if report.ended_on else None,
    }
    if rows.receive_progress(conn, heard, now):
        out.progressed += 1


def _details_to_send(store: Store, believed: Any, user: str, seal: CaseSeal) -> list[DetailsRecord]:
    """Case details of this user's own audits picked from the hub, not yet in it."""
    out = []
    with store.transaction() as conn:
        for allocation in believed.allocations.values():
            if not same_name(allocation.auditor, user) or allocation.case_ref is not None:
                continue
            if allocation.id in believed.details:
                continue
            case = rows.audit_case(conn, allocation.audit_id)
            if case is None:
                continue
            out.append(
                DetailsRecord(
                    allocation_id=allocation.id,
                    audit_id=allocation.audit_id,
                    tool_version=case["tool_version"],
                    case_ref=seal.seal(case["case_ref"], allocation.id),
                    case_type=case["case_type"],
                    practitioner=seal.seal(case["practitioner"], allocation.id + ":practitioner"),
                    practitioner_present=bool(case["practitioner_present"]),
                    original_grades=moderation_rows.final_grades(store, allocation.audit_id),
                )
            )
    return out


def _item_record(row: Any, seal: CaseSeal, organisation: OrganisationKey) -> PlanItemRecord:
    return PlanItemRecord(
        id=row["id"],
        plan_id=row["plan_id"],
        month=row["month"],
        case_ref=seal.seal(row["case_ref"], row["id"]),
        case_key=organisation.case_key(row["case_ref"]),
        case_type=row["case_type"],
        team=row["team"],
        practitioner=seal.seal(row["practitioner"], row["id"] + ":practitioner")
        if row["practitioner"]
        else None,
        tool=row["tool_id"],
        kind=row["kind"],
        auditor=row["auditor"],
        planned_by=row["planned_by"],
    )


def _allocation_record(
    store: Store, row: Any, seal: CaseSeal, organisation: OrganisationKey
) -> AllocationRecord:
    grades = moderation_rows.final_grades(store, row["audit_id"]) or json.loads(
        row["original_grades"] or "{}"
    )
    return AllocationRecord(
        id=row["id"],
        month=row["month"],
        audit_id=row["audit_id"],
        auditor=row["auditor"],
        team=row["team"],
        tool=row["tool_id"],
        tool_version=row["tool_version"],
        case_ref=seal.seal(row["case_ref"], row["id"]) if row["case_ref"] else None,
        case_key=organisation.case_key(row["case_ref"]) if row["case_ref"] else None,
        case_type=row["case_type"],
        practitioner=seal.seal(row["practitioner"], row["id"] + ":practitioner")
        if row["practitioner"]
        else None,
        practitioner_present=bool(row["practitioner_present"]),
        moderator=row["moderator"],
        original_grades=grades,
        seed=row["seed"],
        allocated_by=row["allocated_by"],
    )


def _result_record(row: Any) -> ResultRecord:
    return ResultRecord(
        allocation_id=row["id"],
        audit_id=row["audit_id"],
        team=row["team"],
        agreed_grade=row["agreed_grade"],
        agreed_by=row["agreed_by"],
        agreed_reason=row["agreed_reason"],
        agreed_at=row["agreed_at"],
    )


def _unsealed(
    seal: CaseSeal, sealed: str | None, record_id: str, what: str, out: ProgrammeSync
) -> str | None:
    if sealed is None:
        return ""
    opened = seal.open(sealed, record_id)
    if opened is None:
        out.refused.append(
            f"{what}: its case details do not open with this organisation's key file; "
            "not recorded here"
        )
    return opened


def _receive_item(
    conn: Any, item: PlanItemRecord, seal: CaseSeal, now: str, out: ProgrammeSync
) -> None:
    what = f"plan item {item.id[:8]}"
    case_ref = _unsealed(seal, item.case_ref, item.id, what, out)
    practitioner = _unsealed(seal, item.practitioner, item.id + ":practitioner", what, out)
    if case_ref is None or practitioner is None:
        return
    fields = {
        "id": item.id,
        "plan_id": item.plan_id,
        "month": item.month,
        "case_ref": case_ref,
        "case_type": item.case_type,
        "team": item.team,
        "practitioner": practitioner,
        "tool_id": item.tool,
        "kind": item.kind,
        "auditor": item.auditor,
    }
    if rows.receive_plan_item(conn, fields, item.planned_by, now):
        out.received += 1


def _receive_allocation(
    conn: Any,
    record: AllocationRecord,
    details: DetailsRecord | None,
    seal: CaseSeal,
    now: str,
    out: ProgrammeSync,
) -> None:
    """Take an allocation home; one drawn from the hub waits for its case details (from the
    original auditor's machine, or the audit itself when it is held here)."""
    what = f"moderation {record.id[:8]}"
    if record.moderator == record.auditor:
        return
    case: dict[str, Any] = {
        "tool_version": record.tool_version,
        "case_type": record.case_type,
        "practitioner_present": int(record.practitioner_present),
        "original_grades": record.original_grades,
    }
    held = rows.audit_case(conn, record.audit_id)
    if record.case_ref is not None:
        case["case_ref"] = _unsealed(seal, record.case_ref, record.id, what, out)
        case["practitioner"] = _unsealed(
            seal, record.practitioner, record.id + ":practitioner", what, out
        )
    elif held is not None:
        case.update({k: held[k] for k in ("case_ref", "case_type", "practitioner", "tool_version")})
        case["practitioner_present"] = int(held["practitioner_present"])
    elif details is not None:
        case["case_ref"] = _unsealed(seal, details.case_ref, record.id, what, out)
        case["practitioner"] = _unsealed(
            seal, details.practitioner, record.id + ":practitioner", what, out
        )
        case.update(
            tool_version=details.tool_version,
            case_type=details.case_type,
            practitioner_present=int(details.practitioner_present),
            original_grades=details.original_grades,
        )
    else:
        return  # the original auditor's machine has not sent the case details yet
    if case["case_ref"] is None or case["practitioner"] is None:
        return
    row = {
        "id": record.id,
        "month": record.month,
        "audit_id": record.audit_id,
        "auditor": record.auditor,
        "team": record.team,
        "tool_id": record.tool,
        "tool_version": case["tool_version"],
        "case_ref": case["case_ref"],
        "case_type": case["case_type"],
        "practitioner": case["practitioner"],
        "practitioner_present": case["practitioner_present"],
        "moderator": record.moderator,
        "original_grades": json.dumps(case["original_grades"], sort_keys=True),
        "seed": record.seed,
        "allocated_by": record.allocated_by,
        "created_at": now,
        "updated_at": now,
    }
    if rows.receive_allocation(conn, row):
        out.received += 1
