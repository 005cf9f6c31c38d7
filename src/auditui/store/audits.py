"""SQL for audits, answers, grades, events and the outbox.

Every function takes an open connection inside the caller's transaction;
none commits. The services decide what one unit of work is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from auditui.domain.records import FINDINGS, Audit
from auditui.errors import NotFoundError
from auditui.store.answer_guard import Seen, check_seen, stored_row
from auditui.store.values import decode_value, encode_document

if TYPE_CHECKING:
    from auditui.domain.grading import AuditGrading

AUDIT_COLUMNS = (
    "id",
    "tool_id",
    "tool_version",
    "case_ref",
    "case_type",
    "team",
    "practitioner",
    "auditor",
    "kind",
    "practitioner_present",
    "status",
    "revision",
    "started_on",
    "created_at",
    "updated_at",
)
FORMAT2_COLUMNS = ("calendar", "subject")
"""Columns schema V6 added: given when the caller has them (older rows hold NULL / 'case')."""


def insert_audit(conn: sqlite3.Connection, row: Mapping[str, Any]) -> None:
    names = AUDIT_COLUMNS + tuple(c for c in FORMAT2_COLUMNS if c in row)
    cols = ", ".join(names)
    marks = ", ".join(f":{c}" for c in names)
    conn.execute(f"INSERT INTO audits ({cols}) VALUES ({marks})", dict(row))


def get_audit(conn: sqlite3.Connection, audit_id: str) -> Audit:
    row = conn.execute("SELECT * FROM audits WHERE id = ?", (audit_id,)).fetchone()
    if row is None:
        row = _by_prefix(conn, audit_id)
    return Audit.from_row(row)


def _by_prefix(conn: sqlite3.Connection, audit_id: str) -> sqlite3.Row:
    """Accept a unique prefix of an audit id, as people copy the first few characters, or
    a case reference that names exactly one audit (spec/cli.md); several are listed."""
    if len(audit_id) >= 6:
        rows = conn.execute(
            "SELECT * FROM audits WHERE id >= ? AND id < ? LIMIT 2", (audit_id, audit_id + "\uffff")
        ).fetchall()
        if len(rows) == 1:
            return rows[0]
    typed = audit_id.strip()
    by_case = conn.execute(
        "SELECT * FROM audits WHERE case_ref = ? COLLATE NOCASE AND case_ref != ''"
        " ORDER BY started_on DESC, id LIMIT 11",
        (typed,),
    ).fetchall()
    if len(by_case) == 1:
        return by_case[0]
    if by_case:
        shown = "; ".join(
            f"{r['id'][:8]} ({r['tool_id']}, {r['status'].replace('_', ' ')}, started {r['started_on']})"
            for r in by_case[:10]
        )
        more = " and more" if len(by_case) > 10 else ""
        raise NotFoundError(
            f"Case reference {typed} names {len(by_case) if not more else 'over 10'} audits: "
            f"{shown}{more}. Give the audit's id (or its first 8 characters)."
        )
    raise NotFoundError(f"There is no audit '{audit_id}'.")


def answer_rows(
    conn: sqlite3.Connection, audit_id: str
) -> dict[str, tuple[str | None, str | None]]:
    """(value as stored JSON, evidence note) by question id, exactly as written."""
    return {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            "SELECT question_id, value, evidence FROM answers WHERE audit_id = ?", (audit_id,)
        )
    }


def decode_answers(
    stored: Mapping[str, tuple[str | None, str | None]],
) -> tuple[dict[str, Any], dict[str, str]]:
    """(values, evidence notes) by question id, from ``answer_rows()``."""
    values: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    for question_id, (value, note) in stored.items():
        if value is not None:
            values[question_id] = decode_value(value)
        if note:
            evidence[question_id] = note
    return values, evidence


def load_answers(conn: sqlite3.Connection, audit_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """(values, evidence notes) by question id."""
    return decode_answers(answer_rows(conn, audit_id))


GradeRow = tuple[Any, ...]
"""One ``grades`` row in column order: audit_id, scope, percent, suggested, chosen,
final, rationale, explanation."""


def stored_grades(conn: sqlite3.Connection, audit_id: str) -> dict[str, GradeRow]:
    """The audit's ``grades`` rows as stored, by scope."""
    return {
        row[1]: tuple(row)
        for row in conn.execute(
            "SELECT audit_id, scope, percent, suggested, chosen, final, rationale, explanation"
            " FROM grades WHERE audit_id = ?",
            (audit_id,),
        )
    }


def choices(stored: Mapping[str, GradeRow]) -> tuple[dict[str, str], dict[str, str]]:
    """(chosen grades, rationales) by scope, from ``stored_grades()``."""
    chosen = {scope: row[4] for scope, row in stored.items() if row[4]}
    rationale = {scope: row[6] for scope, row in stored.items() if row[6]}
    return chosen, rationale


def load_choices(conn: sqlite3.Connection, audit_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """(chosen grades, rationales) by scope (section id or "overall")."""
    return choices(stored_grades(conn, audit_id))


def write_answer(
    conn: sqlite3.Connection,
    audit_id: str,
    question_id: str,
    value: str | None,
    evidence: str | None,
    who: str,
    when: str,
) -> None:
    """Set the answer row and record each change in the append-only history."""
    old = conn.execute(
        "SELECT value, evidence FROM answers WHERE audit_id = ? AND question_id = ?",
        (audit_id, question_id),
    ).fetchone()
    record_answer(
        conn, audit_id, question_id, tuple(old) if old else None, value, evidence, who, when
    )


def record_answer(
    conn: sqlite3.Connection,
    audit_id: str,
    question_id: str,
    old: tuple[str | None, str | None] | None,
    value: str | None,
    evidence: str | None,
    who: str,
    when: str,
    seen: Seen | None = None,
) -> tuple[str | None, str | None] | None:
    """``write_answer()`` for a caller that knows the stored (value, evidence) already.

    With ``seen`` (what the writer last showed its user), the row is read
    again here, inside the transaction, and the write refused if a part the
    writer saw has changed since (``answer_guard``).
    Returns the (value, evidence) row as now stored, or None if there is none.
    """
    if seen is not None:
        old = stored_row(conn, audit_id, question_id)
        check_seen(question_id, old, seen, value, evidence)
    old_value, old_evidence = old if old else (None, None)
    if value != old_value and evidence != old_evidence:
        conn.execute(
            _HISTORY + ", (?, ?, ?, ?, ?, ?, ?)",
            (audit_id, question_id, "value", old_value, value, who, when)
            + (audit_id, question_id, "evidence", old_evidence, evidence, who, when),
        )
    elif value != old_value:
        conn.execute(_HISTORY, (audit_id, question_id, "value", old_value, value, who, when))
    elif evidence != old_evidence:
        conn.execute(
            _HISTORY, (audit_id, question_id, "evidence", old_evidence, evidence, who, when)
        )
    else:
        return old
    if value is None and not evidence:
        conn.execute(
            "DELETE FROM answers WHERE audit_id = ? AND question_id = ?", (audit_id, question_id)
        )
        return None
    conn.execute(
        "INSERT INTO answers (audit_id, question_id, value, evidence, answered_by, answered_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (audit_id, question_id) DO UPDATE SET"
        " value = excluded.value, evidence = excluded.evidence,"
        " answered_by = excluded.answered_by, answered_at = excluded.answered_at",
        (audit_id, question_id, value, evidence, who, when),
    )
    return (value, evidence)


_HISTORY = (
    "INSERT INTO answer_history (audit_id, question_id, field, old, new, changed_by, changed_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def save_grading(
    conn: sqlite3.Connection,
    audit_id: str,
    grading: AuditGrading,
    rationale: Mapping[str, str],
    when: str,
) -> None:
    """Keep the derived grades and summary columns current, for lists, export and sync."""
    write_grading(conn, audit_id, grading, rationale, stored_grades(conn, audit_id), when)


def write_grading(
    conn: sqlite3.Connection,
    audit_id: str,
    grading: AuditGrading,
    rationale: Mapping[str, str],
    stored: Mapping[str, GradeRow],
    when: str,
    progress: float | None = None,
) -> dict[str, GradeRow]:
    """``save_grading()`` against known stored rows; returns the rows as now stored.

    Only rows that differ are written: most answers move one section.
    ``progress`` is ``grading.progress``, for a caller that has it already.
    """
    if progress is None:
        progress = grading.progress
    changed = [row for row in grade_rows(audit_id, grading, rationale) if stored.get(row[1]) != row]
    if changed:
        conn.executemany(
            "INSERT INTO grades"
            " (audit_id, scope, percent, suggested, chosen, final, rationale, explanation)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (audit_id, scope) DO UPDATE SET"
            " percent = excluded.percent, suggested = excluded.suggested,"
            " chosen = excluded.chosen, final = excluded.final,"
            " rationale = excluded.rationale, explanation = excluded.explanation",
            changed,
        )
    conn.execute(
        "UPDATE audits SET progress = ?, overall_grade = ?, complete = ?, updated_at = ? WHERE id = ?",
        (progress, grading.overall.final, int(grading.complete), when, audit_id),
    )
    return {**stored, **{row[1]: row for row in changed}}


def grade_rows(
    audit_id: str, grading: AuditGrading, rationale: Mapping[str, str]
) -> list[tuple[Any, ...]]:
    """One `grades` row per section and one for "overall", in column order."""
    o = grading.overall
    rows: list[tuple[Any, ...]] = [
        (
            audit_id,
            sid,
            g.percent,
            g.suggested,
            g.chosen,
            g.final,
            rationale.get(sid),
            g.explanation,
        )
        for sid, g in grading.sections.items()
    ]
    rows.append(
        (
            audit_id,
            "overall",
            o.percent,
            o.suggested,
            o.chosen,
            o.final,
            rationale.get("overall"),
            o.explanation,
        )
    )
    return rows


def set_choice(
    conn: sqlite3.Connection, audit_id: str, scope: str, chosen: str | None, rationale: str | None
) -> None:
    conn.execute(
        "INSERT INTO grades (audit_id, scope, chosen, rationale) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (audit_id, scope) DO UPDATE SET chosen = excluded.chosen,"
        " rationale = excluded.rationale",
        (audit_id, scope, chosen, rationale),
    )


def set_findings(
    conn: sqlite3.Connection, audit_id: str, findings: Mapping[str, str | None], when: str
) -> None:
    names = [n for n in findings if n in FINDINGS]
    if not names:
        return
    sets = ", ".join(f"{n} = :{n}" for n in names)
    conn.execute(
        f"UPDATE audits SET {sets}, updated_at = :when WHERE id = :id",
        {**{n: findings[n] for n in names}, "when": when, "id": audit_id},
    )


def set_status(
    conn: sqlite3.Connection,
    audit_id: str,
    status: str,
    ended_on: str | None,
    reason: str | None,
    revision: int,
    when: str,
) -> None:
    conn.execute(
        "UPDATE audits SET status = ?, ended_on = ?, end_reason = ?, revision = ?, updated_at = ?"
        " WHERE id = ?",
        (status, ended_on, reason, revision, when, audit_id),
    )


def add_event(
    conn: sqlite3.Connection,
    audit_id: str,
    revision: int,
    event: str,
    reason: str | None,
    by: str,
    at: str,
) -> None:
    conn.execute(
        "INSERT INTO audit_events (audit_id, revision, event, reason, by, at) VALUES (?, ?, ?, ?, ?, ?)",
        (audit_id, revision, event, reason, by, at),
    )


def add_outbox(
    conn: sqlite3.Connection,
    audit_id: str,
    revision: int,
    status: str,
    payload: dict[str, Any],
    when: str,
) -> None:
    conn.execute(
        "INSERT INTO outbox (audit_id, revision, status, payload, created_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (audit_id, revision) DO UPDATE SET status = excluded.status,"
        " payload = excluded.payload, created_at = excluded.created_at, sent_at = NULL",
        (audit_id, revision, status, encode_document(payload), when),
    )
