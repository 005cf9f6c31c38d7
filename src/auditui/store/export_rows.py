"""The reads an export makes: its own snapshot connection, the filter, the small tables' rows.

Exports read through their own connections, so a TUI worker thread never
shares the app's, and a long export sees the database as it was when it
started: WAL readers do not block writers, and writers do not change what a
reader sees. The path is escaped into a URI that cannot create a file, so
it is read literally and a vanished database is not made again, empty.
Rows come back in column order; the export turns them into cells.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditui.store.answer_reader import begin_snapshot
from auditui.store.db import BUSY_TIMEOUT_MS, storage_errors


def uri(path: Path) -> str:
    """``path`` as an SQLite URI, literally, that opens an existing file and never creates one
    (a database moved away must not reappear empty)."""
    return path.absolute().as_uri() + "?mode=rw"


def connect(path: Path, timeout: float = BUSY_TIMEOUT_MS / 1000) -> sqlite3.Connection:
    """A private connection to the database at ``path``; exports write only temporary tables."""
    conn = sqlite3.connect(
        uri(path), uri=True, isolation_level=None, check_same_thread=False, timeout=timeout
    )
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def reading_connection(path: Path) -> sqlite3.Connection:
    """A private connection holding one consistent snapshot until it is closed."""
    with storage_errors():
        conn = connect(path)
        begin_snapshot(conn)
    return conn


def export_filter(
    alias: str,
    ended_from: dt.date | None,
    ended_to: dt.date | None,
    team: str | None,
    tool: str | None,
    status: str | None,
) -> tuple[str, list[Any]]:
    """``(" WHERE ...", params)`` over the audits table as ``alias``, or ``("", [])``."""
    clauses: list[str] = []
    params: list[Any] = []
    if ended_from is not None:
        clauses.append(f"{alias}.ended_on >= ?")
        params.append(ended_from.isoformat())
    if ended_to is not None:
        clauses.append(f"{alias}.ended_on <= ?")
        params.append(ended_to.isoformat())
    for column, value in (("team", team), ("tool_id", tool), ("status", status)):
        if value is not None:
            clauses.append(f"{alias}.{column} = ?")
            params.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else "", params)


def audits_with_summaries(
    conn: sqlite3.Connection, clause: str, params: list[Any], today: dt.date
) -> Iterator[tuple[Any, ...]]:
    """Audits (``u``, filtered by ``clause``) by start: id, tool_id, tool_version, case_ref,
    case_type, kind, team, auditor, practitioner, practitioner_present, status, revision,
    started_on, ended_on, end_reason, complete, progress, then the grades as a JSON array
    of [scope, percent, suggested, chosen, final] and the action counts as a JSON array
    [open, open and overdue on ``today``, done, done on time]."""
    sql = (
        "SELECT u.id, u.tool_id, u.tool_version, u.case_ref, u.case_type, u.kind, u.team,"
        " u.auditor, u.practitioner, u.practitioner_present, u.status, u.revision, u.started_on,"
        " u.ended_on, u.end_reason, u.complete, u.progress,"
        " (SELECT json_group_array(json_array(g.scope, g.percent, g.suggested, g.chosen, g.final))"
        "  FROM grades g WHERE g.audit_id = u.id),"
        " (SELECT json_array(sum(x.status = 'open'), sum(x.status = 'open' AND x.due < ?),"
        "  sum(x.status = 'done'), sum(x.status = 'done' AND x.completed_on <= x.due))"
        "  FROM actions x WHERE x.audit_id = u.id)"
        f" FROM audits u{clause} ORDER BY u.started_on, u.id"
    )
    return iter(conn.execute(sql, [today.isoformat(), *params]))


def actions_with_audits(
    conn: sqlite3.Connection, clause: str, params: list[Any]
) -> Iterator[tuple[Any, ...]]:
    """Actions of the audits ``u`` chosen, by due date: id, audit_id, tool_id, team, owner,
    text, created_on, the audit's ended_on, due, status, completed_on."""
    sql = (
        "SELECT x.id, x.audit_id, u.tool_id, u.team, x.owner, x.text, x.created_on, u.ended_on,"
        " x.due, x.status, x.completed_on FROM actions x JOIN audits u ON u.id = x.audit_id"
        f"{clause} ORDER BY x.due, x.id"
    )
    return iter(conn.execute(sql, params))


def grades_with_audits(
    conn: sqlite3.Connection, clause: str, params: list[Any]
) -> Iterator[tuple[Any, ...]]:
    """Grade rows of the audits ``u`` chosen, grouped by audit in start order: audit_id,
    tool_id, tool_version, scope, percent, suggested, chosen, final, rationale, and (format 2)
    the reason the section was marked not applicable, or NULL."""
    sql = (
        "SELECT g.audit_id, u.tool_id, u.tool_version, g.scope, g.percent, g.suggested, g.chosen,"
        " g.final, g.rationale, n.reason FROM audits u JOIN grades g ON g.audit_id = u.id"
        " LEFT JOIN sections_na n ON n.audit_id = g.audit_id AND n.section_id = g.scope"
        f"{clause} ORDER BY u.started_on, u.id"
    )
    return iter(conn.execute(sql, params))


def count_rows(conn: sqlite3.Connection, table: str, clause: str, params: list[Any]) -> int:
    """How many rows ``table`` ("audits", "actions" or "grades") has for the audits chosen."""
    if table == "audits":
        sql = f"SELECT count(*) FROM audits u{clause}"
    elif table == "actions":
        sql = f"SELECT count(*) FROM actions x JOIN audits u ON u.id = x.audit_id{clause}"
    else:
        sql = f"SELECT count(*) FROM grades g JOIN audits u ON u.id = g.audit_id{clause}"
    return int(conn.execute(sql, params).fetchone()[0])
