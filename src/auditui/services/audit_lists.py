"""Lists of audits for the home screen, `auditui audit list` and the side panel.

Plain reads, outside any transaction, with storage errors in plain words.
"""

from __future__ import annotations

from auditui.domain.records import Audit
from auditui.services.workspace import Workspace, rows_read
from auditui.store import audit_lists as rows


def list_audits(
    ws: Workspace,
    status: str | None = None,
    search: str | None = None,
    auditor: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[Audit]:
    with rows_read(ws):
        return rows.list_audits(ws.store.conn, status, search, auditor, limit, offset)


def count_audits(
    ws: Workspace, status: str | None = None, search: str | None = None, auditor: str | None = None
) -> int:
    with rows_read(ws):
        return rows.count_audits(ws.store.conn, status, search, auditor)


def status_counts(ws: Workspace, auditor: str | None = None) -> dict[str, int]:
    with rows_read(ws):
        return rows.status_counts(ws.store.conn, auditor)
