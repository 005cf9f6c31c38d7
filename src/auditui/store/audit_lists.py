"""SQL for lists of audits: the home screen's table, `auditui audit list`, the side panel.

Filtered, ordered and paged in SQL, never in Python, so a screen asks
for one page at a time. Like the rest of the store, nothing here commits.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from auditui.domain.records import Audit


def list_audits(
    conn: sqlite3.Connection,
    status: str | None = None,
    search: str | None = None,
    auditor: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[Audit]:
    where, params = _filters(status, search, auditor)
    sql = f"SELECT * FROM audits{where} ORDER BY updated_at DESC, id"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [Audit.from_row(r) for r in conn.execute(sql, params)]


def count_audits(
    conn: sqlite3.Connection,
    status: str | None = None,
    search: str | None = None,
    auditor: str | None = None,
) -> int:
    where, params = _filters(status, search, auditor)
    return int(conn.execute(f"SELECT count(*) FROM audits{where}", params).fetchone()[0])


def status_counts(conn: sqlite3.Connection, auditor: str | None = None) -> dict[str, int]:
    sql = "SELECT status, count(*) FROM audits"
    params: list[Any] = []
    if auditor:
        sql += " WHERE auditor = ?"
        params.append(auditor)
    return {row[0]: row[1] for row in conn.execute(sql + " GROUP BY status", params)}


def _filters(status: str | None, search: str | None, auditor: str | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if status:
        clauses.append("status = ?")
        params.append(status)
    if auditor:
        clauses.append("auditor = ?")
        params.append(auditor)
    if search:
        like = f"%{search.replace('%', '').replace('_', '')}%"
        clauses.append("(case_ref LIKE ? OR tool_id LIKE ? OR team LIKE ? OR practitioner LIKE ?)")
        params += [like] * 4
    return (" WHERE " + " AND ".join(clauses) if clauses else "", params)
