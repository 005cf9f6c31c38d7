"""What the graded result adds from the local store at sync time: themes and moderation.

An ended revision's outbox snapshot is frozen when the audit ends; two
things the graded result carries live in their own tables instead: the
organisation's themes the findings raise (``audit_themes``, read-only once
the audit has ended) and, for a moderation re-audit, the audit it moderates
and the agreed grade that ``moderation agree`` records later
(``moderations``). Sync builds thousands of records at once, so these read
many audits in one query each (``json_each`` takes any number of ids).
Read-only: nothing here writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import NamedTuple

from auditui.store.db import Store, storage_errors
from auditui.store.themes import THEME_KINDS

AuditThemes = dict[str, tuple[str, ...]]
"""An audit's themes by kind (``strengths``, ``development``), both kinds present."""


class ModerationLink(NamedTuple):
    """A moderation re-audit's allocation, as the graded result tells it."""

    moderates: str
    """The original audit's id."""
    agreed_grade: str | None
    agreed_by: str | None
    agreed_at: str | None


def themes_of_audits(
    store: Store, audit_ids: Iterable[str] | None = None
) -> dict[str, AuditThemes]:
    """The themes of the given audits (of every audit that has any, with ``None``), in
    the order each was recorded; an audit that records none is absent."""
    sql = "SELECT audit_id, kind, theme FROM audit_themes"
    params: tuple[str, ...] = ()
    if audit_ids is not None:
        sql += " WHERE audit_id IN (SELECT value FROM json_each(?))"
        params = (json.dumps(list(audit_ids)),)
    found: dict[str, dict[str, list[str]]] = {}
    with storage_errors():
        for audit_id, kind, theme in store.conn.execute(
            sql + " ORDER BY audit_id, kind, position, theme", params
        ):
            kinds = found.setdefault(audit_id, {k: [] for k in THEME_KINDS})
            kinds.setdefault(kind, []).append(theme)
    return {
        audit_id: {kind: tuple(kinds.get(kind, ())) for kind in THEME_KINDS}
        for audit_id, kinds in found.items()
    }


def moderation_links(
    store: Store, audit_ids: Iterable[str] | None = None
) -> dict[str, ModerationLink]:
    """For each given audit that is a moderation re-audit (every one, with ``None``):
    the audit it moderates and the agreed grade, by the re-audit's id."""
    sql = (
        "SELECT moderation_audit_id, audit_id, agreed_grade, agreed_by, agreed_at"
        " FROM moderations WHERE moderation_audit_id IS NOT NULL"
    )
    params: tuple[str, ...] = ()
    if audit_ids is not None:
        sql += " AND moderation_audit_id IN (SELECT value FROM json_each(?))"
        params = (json.dumps(list(audit_ids)),)
    with storage_errors():
        return {
            row[0]: ModerationLink(row[1], row[2], row[3], row[4])
            for row in store.conn.execute(sql, params)
        }
