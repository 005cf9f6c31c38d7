"""Moderation drawn from a PostgreSQL hub's results, as from a folder hub's.

A QA lead's machine does not hold the auditors' audits. ``moderation sample``
draws from the month's ended audits the hub lists for the lead
(``ended_for_moderation``: no case reference, the hub has none); such an
allocation is published without case details, and the original auditor's
next sync sends them, sealed with the organisation key under the
allocation's id exactly as a published allocation's are
(``send_moderation_details``, accepted only from the login that sent the
audit). The moderator's machine takes the allocation home once they are there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.types.json import Jsonb

from auditui.domain.plan_items import same_name
from auditui.store import moderation as moderation_rows
from auditui.store import programme_hub as rows
from auditui.sync.case_seal import CaseSeal
from auditui.sync.pg_calls import call_or_refuse
from auditui.sync.pseudonym import OrganisationKey

if TYPE_CHECKING:
    from auditui.store.db import Store
    from auditui.sync.programme_sync import ProgrammeSync


def hub_ended_audits(
    conn: psycopg.Connection[Any], first_day: str, next_first_day: str
) -> list[dict[str, Any]]:
    """The month's ended real audits other than moderations, as the rows
    ``services.moderation.sample`` draws from (case details left empty)."""
    found = conn.execute(
        "SELECT * FROM auditui.ended_for_moderation(%s, %s)", (first_day, next_first_day)
    ).fetchall()
    return [
        {
            "id": audit_id,
            "auditor": auditor,
            "team": team,
            "tool_id": tool_id,
            "tool_version": tool_version,
            "case_ref": "",
            "case_type": case_type,
            "practitioner": "",
            "practitioner_present": int(present),
        }
        for audit_id, auditor, team, tool_id, tool_version, case_type, present in found
    ]


def send_details(
    store: Store,
    conn: psycopg.Connection[Any],
    organisation: OrganisationKey,
    user: str,
    allocations: Sequence[Sequence[Any]],
    out: ProgrammeSync,
) -> None:
    """Case details of this user's own audits drawn from the hub (rows of
    ``moderations_for``: id, month, audit id, auditor, ..., sealed reference at 7)."""
    found = conn.execute(
        "SELECT to_regproc('auditui.send_moderation_details') IS NOT NULL"
    ).fetchone()
    if not (found and found[0]):
        return
    seal = CaseSeal.of(organisation)
    for raw in allocations:
        allocation_id, audit_id, auditor, sealed = raw[0], raw[2], raw[3], raw[7]
        if not same_name(auditor, user) or sealed is not None:
            continue
        with store.transaction() as local:
            case = rows.audit_case(local, audit_id)
        if case is None:
            continue  # not this machine's audit (the same name at another machine)
        grades = moderation_rows.final_grades(store, audit_id)
        if call_or_refuse(
            conn,
            "SELECT auditui.send_moderation_details(%s, %s, %s, %s, %s)",
            (
                allocation_id,
                seal.seal(case["case_ref"], allocation_id),
                organisation.case_key(case["case_ref"]),
                seal.seal(case["practitioner"], allocation_id + ":practitioner"),
                Jsonb(grades),
            ),
            f"case details of audit {audit_id[:8]}",
            out.refused,
        ):
            out.published += 1
