"""The rows the monthly report counts over the local store (the store owns this SQL).

A local report counts what this machine would send a hub: the latest ended
revision of each audit (its outbox payload) and the actions of those
audits as they stand now.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditui.store.db import Store, storage_errors


def latest_ended_revisions(store: Store) -> Iterator[tuple[str, str]]:
    """(outbox payload, created_at) of the highest ended revision of every audit."""
    with storage_errors():
        rows = store.conn.execute(
            "SELECT o.payload, o.created_at FROM outbox o JOIN"
            " (SELECT audit_id, max(revision) AS revision FROM outbox GROUP BY audit_id) latest"
            " ON latest.audit_id = o.audit_id AND latest.revision = o.revision"
        )
        yield from rows


def ended_audit_actions(store: Store) -> list[tuple[str, str, str, str, str | None]]:
    """(id, audit id, due, status, completed on) of every action of an ended audit."""
    with storage_errors():
        return [
            tuple(row)
            for row in store.conn.execute(
                "SELECT id, audit_id, due, status, completed_on FROM actions"
                " WHERE audit_id IN (SELECT audit_id FROM outbox)"
            )
        ]
