"""The case list in the local database: the sampling frame a month's plan is drawn from.

A good import replaces the whole list inside the caller's transaction, so
the list is always one file's rows, never a mix of two. The list holds
children's case references and their workers' names, so it lives only in
the owner-only local database and never travels.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from auditui.store.db import Store

CASE_FIELDS = ("case_ref", "case_type", "team", "practitioner", "opened_on", "closed_on")


def replace_cases(
    conn: sqlite3.Connection,
    cases: Iterable[Sequence[Any]],
    file_name: str,
    imported_by: str,
    now: str,
) -> int:
    """Put ``cases`` (``CASE_FIELDS`` then the file line) in place of the old list."""
    conn.execute("DELETE FROM cases")
    conn.executemany(
        "INSERT INTO cases (case_ref, case_type, team, practitioner, opened_on, closed_on, line) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        cases,
    )
    count = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    conn.execute(
        "INSERT INTO case_imports (file_name, cases, imported_by, imported_at) VALUES (?, ?, ?, ?)",
        (file_name, count, imported_by, now),
    )
    return int(count)


def list_cases(store: Store, team: str | None = None) -> list[sqlite3.Row]:
    """Every case (or one team's), by team then reference."""
    sql = f"SELECT {', '.join(CASE_FIELDS)} FROM cases"
    if team is None:
        return store.query(sql + " ORDER BY team, case_ref")
    return store.query(sql + " WHERE team = ? ORDER BY case_ref", (team,))


def count_cases(store: Store) -> int:
    row = store.one("SELECT count(*) AS n FROM cases")
    return int(row["n"]) if row is not None else 0


def last_import(store: Store) -> sqlite3.Row | None:
    return store.one(
        "SELECT file_name, cases, imported_by, imported_at FROM case_imports ORDER BY id DESC LIMIT 1"
    )


def teams(store: Store, case_types: Sequence[str]) -> list[str]:
    """The teams holding a case of ``case_types`` (any type when empty), by name."""
    if not case_types:
        rows = store.query("SELECT DISTINCT team FROM cases WHERE team != '' ORDER BY team")
    else:
        marks = ", ".join("?" for _ in case_types)
        rows = store.query(
            f"SELECT DISTINCT team FROM cases WHERE team != '' AND case_type IN ({marks}) "
            "ORDER BY team",
            tuple(case_types),
        )
    return [row["team"] for row in rows]


def eligible_cases(
    store: Store,
    case_types: Sequence[str],
    audited_since: str,
    planned_from: str,
    planned_to: str,
) -> list[sqlite3.Row]:
    """Cases with a team that may be planned: of ``case_types`` (any when empty), with no
    audit started or ended on or after ``audited_since`` (nor one still a draft), and not
    in a plan for a month from ``planned_from`` to ``planned_to``."""
    type_filter = ""
    params: list[Any] = []
    if case_types:
        type_filter = f"AND c.case_type IN ({', '.join('?' for _ in case_types)})"
        params += list(case_types)
    params += [audited_since, audited_since, planned_from, planned_to]
    return store.query(
        f"""
        SELECT c.case_ref, c.case_type, c.team, c.practitioner FROM cases AS c
        WHERE c.team != '' {type_filter}
          AND c.case_ref NOT IN (
              SELECT case_ref FROM audits
              WHERE status = 'draft' OR started_on >= ? OR ended_on >= ?)
          AND c.case_ref NOT IN (
              SELECT case_ref FROM plan_items WHERE month BETWEEN ? AND ?)
        ORDER BY c.team, c.case_ref
        """,
        tuple(params),
    )
