"""What a folder-hub index keeps of a believed record: its tables, and the rows of each.

``index.py`` decides what is believed (and reads the folder); this module
writes what a believed graded result or action change says into the
index's SQLite tables, and ``index_views`` reads them back. A graded result
is reduced by ``facts.facts_of``, the one reduction every report source
shares, so a folder hub counts exactly what the local store and the
PostgreSQL hub count.
"""

from __future__ import annotations

import sqlite3

from auditui.sync.facts import ActionRecord, canonical_stamp, facts_of
from auditui.sync.index_views import TAG_SEPARATOR
from auditui.sync.measure_counts import measure_facts_of
from auditui.sync.result import GradedResult

INDEX_VERSION = 6
"""Bumped when the index's tables change: an older index is dropped and rebuilt."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, problem TEXT
);
CREATE TABLE IF NOT EXISTS results (
    audit_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, status TEXT NOT NULL,
    ended_on TEXT NOT NULL, team TEXT NOT NULL, tool_id TEXT NOT NULL,
    practitioner_present INTEGER NOT NULL, complete INTEGER NOT NULL, grade TEXT,
    recorded_at TEXT NOT NULL, file TEXT NOT NULL, started_on TEXT NOT NULL,
    case_type TEXT NOT NULL, kind TEXT NOT NULL, auditor TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bindings (audit_id TEXT PRIMARY KEY, signer TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mine (
    name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS pins (
    id INTEGER PRIMARY KEY CHECK (id = 1), hub_id TEXT NOT NULL, demo INTEGER NOT NULL,
    lead_key TEXT, trust_digest TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS sections (audit_id TEXT NOT NULL, section TEXT NOT NULL, grade TEXT);
CREATE INDEX IF NOT EXISTS sections_by_audit ON sections (audit_id);
CREATE TABLE IF NOT EXISTS themes (
    audit_id TEXT NOT NULL, tool_id TEXT NOT NULL, question_id TEXT NOT NULL,
    tags TEXT NOT NULL, value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS themes_by_audit ON themes (audit_id);
CREATE TABLE IF NOT EXISTS measure_values (
    audit_id TEXT NOT NULL, tool_id TEXT NOT NULL, question_id TEXT NOT NULL, value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS measure_values_by_audit ON measure_values (audit_id);
CREATE TABLE IF NOT EXISTS action_records (
    key TEXT PRIMARY KEY, action_id TEXT NOT NULL, audit_id TEXT NOT NULL, source TEXT NOT NULL,
    recorded_at TEXT NOT NULL, status TEXT NOT NULL, completed_on TEXT, owner TEXT, due TEXT,
    text TEXT, evidence TEXT, agreed_on TEXT
);
CREATE INDEX IF NOT EXISTS action_records_by_action ON action_records (action_id);
CREATE INDEX IF NOT EXISTS action_records_by_audit ON action_records (audit_id);
CREATE TABLE IF NOT EXISTS finding_themes (
    audit_id TEXT NOT NULL, kind TEXT NOT NULL, theme TEXT NOT NULL,
    PRIMARY KEY (audit_id, kind, theme)
) WITHOUT ROWID;
"""
TABLES = "files results bindings pins sections themes measure_values action_records mine finding_themes".split()
"""Every table: dropped when the index's layout changes (``INDEX_VERSION``)."""


class IndexRows:
    conn: sqlite3.Connection

    def _put_result(self, result: GradedResult, file: str) -> None:
        row = self.conn.execute(
            "SELECT revision FROM results WHERE audit_id = ?", (result.audit_id,)
        ).fetchone()
        if row is not None and row[0] >= result.revision:
            return  # an equal or higher revision is already in: this one changes nothing
        record = result.dump()
        facts = facts_of(record)
        audit = facts.audits[0]
        aid = result.audit_id
        for table in ("sections", "themes", "measure_values", "finding_themes"):
            self.conn.execute(f"DELETE FROM {table} WHERE audit_id = ?", (aid,))
        self.conn.execute(
            "DELETE FROM action_records WHERE key >= ? AND key < ?", (f"r:{aid}:", f"r:{aid};")
        )
        self.conn.execute(
            "INSERT OR REPLACE INTO results (audit_id, revision, status, ended_on, team, tool_id,"
            " practitioner_present, complete, grade, recorded_at, file, started_on, case_type,"
            " kind, auditor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                aid,
                result.revision,
                audit.status,
                audit.ended_on,
                audit.team,
                audit.tool_id,
                int(audit.practitioner_present),
                int(audit.complete),
                audit.grade,
                canonical_stamp(record["recorded_at"]),
                file,
                result.started_on.isoformat(),
                result.case_type or "",
                result.kind or "",
                result.auditor or "",
            ),
        )
        self.conn.executemany(
            "INSERT INTO sections (audit_id, section, grade) VALUES (?, ?, ?)", facts.sections
        )
        self.conn.executemany(
            "INSERT INTO themes (audit_id, tool_id, question_id, tags, value)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (t.audit_id, t.tool_id, t.question_id, TAG_SEPARATOR.join(t.tags), t.value)
                for t in facts.themes
            ],
        )
        # Measure values as shown (absent from an older auditui's record: none counted).
        self.conn.executemany(
            "INSERT INTO measure_values (audit_id, tool_id, question_id, value)"
            " VALUES (?, ?, ?, ?)",
            measure_facts_of(record),
        )
        # The organisation's themes the findings raise (schema 4; none in an older record).
        self.conn.executemany(
            "INSERT OR IGNORE INTO finding_themes (audit_id, kind, theme) VALUES (?, ?, ?)",
            facts.findings,
        )
        stamp = canonical_stamp(record["recorded_at"])
        self._put_records(
            [
                (
                    f"r:{aid}:{a.id}",
                    ActionRecord(
                        a.id,
                        aid,
                        "owner",
                        stamp,
                        a.status,
                        a.completed_on.isoformat() if a.completed_on else None,
                        a.owner,
                        a.due.isoformat(),
                        a.text,
                        None,
                        a.agreed_on.isoformat() if a.agreed_on else None,
                    ),
                )
                for a in result.actions
            ]
        )

    def _put_records(self, records: list[tuple[str, ActionRecord]]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO action_records (key, action_id, audit_id, source, recorded_at,"
            " status, completed_on, owner, due, text, evidence, agreed_on)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(key, *record) for key, record in records],
        )
