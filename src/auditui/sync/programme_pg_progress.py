"""How far planned audits have got, through a PostgreSQL hub (``pg_plan_progress``).

Each auditor's sync reports every plan item it has linked to one of its
audits (the audit's id, status and dates); the hub accepts a report only
from the audit's own login, a login that sent the item's auditor's audits,
or the QA lead's, and a refusal is reported, not raised. The QA lead's sync
then takes every report home, so ``programme progress`` counts audits done
at other machines. An auditor's sync also drops from their list an unstarted
item the lead has since given to someone else. A hub from before this has none of the functions:
nothing is sent or heard until ``hub init`` upgrades it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import psycopg
from pydantic import ValidationError

from auditui.domain.plan_items import same_name
from auditui.store import programme_hub as rows
from auditui.sync.pg_calls import call_or_refuse
from auditui.sync.programme_records import ProgressRecord
from auditui.sync.programme_sync import progress_record, reallocated, receive_progress

if TYPE_CHECKING:
    from auditui.store.db import Store
    from auditui.sync.programme_sync import ProgrammeSync


def has_progress(conn: psycopg.Connection[Any]) -> bool:
    found = conn.execute("SELECT to_regproc('auditui.report_plan_progress') IS NOT NULL").fetchone()
    return bool(found and found[0])


def send_progress(
    store: Store, conn: psycopg.Connection[Any], user: str, out: ProgrammeSync
) -> None:
    """Report this user's planned audits (the hub keeps each item's latest report)."""
    if not has_progress(conn):
        return
    for row in rows.progress_to_send(store, user):
        record = progress_record(row)
        call_or_refuse(
            conn,
            "SELECT auditui.report_plan_progress(%s, %s, %s, %s, %s)",
            (
                record.item_id,
                record.audit_id,
                record.status,
                record.started_on,
                record.ended_on,
            ),  # fmt: skip
            f"progress of plan item {record.item_id[:8]}",
            out.refused,
        )


def hear_progress(
    store: Store, conn: psycopg.Connection[Any], now: str, out: ProgrammeSync
) -> None:
    """The QA lead's machine keeps every report of an item it holds."""
    if not has_progress(conn):
        return
    found = conn.execute("SELECT * FROM auditui.plan_progress()").fetchall()
    with store.transaction() as local:
        for item_id, audit_id, auditor, status, started_on, ended_on in found:
            try:
                record = ProgressRecord(
                    item_id=item_id,
                    audit_id=audit_id,
                    auditor=auditor,
                    status=status,
                    started_on=started_on,
                    ended_on=ended_on,
                )
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                where = ".".join(str(p) for p in first["loc"])
                out.refused.append(
                    f"progress of plan item {str(item_id)[:8]}: {where}: {first['msg']}"
                )
                continue
            receive_progress(local, record, now, out)


def drop_reallocated(
    store: Store, conn: psycopg.Connection[Any], user: str, out: ProgrammeSync
) -> None:
    """Items held here for ``user`` that the hub now gives to someone else."""
    found = conn.execute("SELECT to_regproc('auditui.plan_item_auditors') IS NOT NULL").fetchone()
    if not (found and found[0]):
        return
    ids = rows.item_ids_of(store, user)
    if not ids:
        return
    now_with: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), 5_000):  # the hub answers up to 10,000 ids a call
        chunk = ids[start : start + 5_000]
        now_with += conn.execute(
            "SELECT * FROM auditui.plan_item_auditors(%s)", (chunk,)
        ).fetchall()
    with store.transaction() as local:
        for item_id, auditor in now_with:
            if not same_name(auditor, user):
                reallocated(local, item_id, auditor, user, out)
