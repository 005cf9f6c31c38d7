"""A reader's own index of a folder hub: read each file once, report from SQLite.

A QA lead's report over a shared folder must not re-read thousands of
files every month, and must not trust them either. The index remembers
which files it has read (name, size, modification time), so each refresh
reads only new ones; every file is checked against the graded-result
schema and its own name, and a file that fails (truncated, not JSON,
oversized, a link, a stray or hostile name, content that does not match
its name) is moved to ``quarantine/`` with a ``.reason.txt`` beside it and
reported, while everything else still goes in. A higher revision of an
audit replaces a lower one whatever order the files are read in.

The index lives in the reader's own data directory (owner-only), never on
the share.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from auditui.errors import HubError, StorageError
from auditui.sync.facts import (
    ActionFact,
    ActionRecord,
    AuditFact,
    Facts,
    MergedAction,
    SectionFact,
    ThemeFact,
    canonical_stamp,
    facts_of,
    merge_action,
)
from auditui.sync.folder import (
    ACTION_NAME,
    ACTIONS_DIR,
    QUARANTINE_DIR,
    RESULT_NAME,
    read_action_file,
    read_json,
    record_of_state,
    schema_problem,
)
from auditui.sync.hub import BoardAction
from auditui.sync.result import GradedResult

IGNORED_NAMES = frozenset({"desktop.ini", "Thumbs.db", ACTIONS_DIR, QUARANTINE_DIR})
"""Names a shared drive or auditui itself puts in the folder; never quarantined."""

TAG_SEPARATOR = "\x1f"

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, problem TEXT
);
CREATE TABLE IF NOT EXISTS results (
    audit_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, status TEXT NOT NULL,
    ended_on TEXT NOT NULL, team TEXT NOT NULL, tool_id TEXT NOT NULL,
    practitioner_present INTEGER NOT NULL, complete INTEGER NOT NULL, grade TEXT,
    recorded_at TEXT NOT NULL, file TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sections (audit_id TEXT NOT NULL, section TEXT NOT NULL, grade TEXT);
CREATE INDEX IF NOT EXISTS sections_by_audit ON sections (audit_id);
CREATE TABLE IF NOT EXISTS themes (
    audit_id TEXT NOT NULL, tool_id TEXT NOT NULL, question_id TEXT NOT NULL,
    tags TEXT NOT NULL, value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS themes_by_audit ON themes (audit_id);
CREATE TABLE IF NOT EXISTS action_records (
    key TEXT PRIMARY KEY, action_id TEXT NOT NULL, audit_id TEXT NOT NULL, source TEXT NOT NULL,
    recorded_at TEXT NOT NULL, status TEXT NOT NULL, completed_on TEXT, owner TEXT, due TEXT,
    text TEXT, evidence TEXT
);
CREATE INDEX IF NOT EXISTS action_records_by_action ON action_records (action_id);
CREATE INDEX IF NOT EXISTS action_records_by_audit ON action_records (audit_id);
"""


@dataclass
class HubIndex:
    path: Path
    conn: sqlite3.Connection
    last_quarantined: list[tuple[str, str]] = field(default_factory=list)
    """Files refused by the last ``refresh``: (name, reason)."""
    last_new: int = 0

    @classmethod
    def open(cls, path: Path) -> HubIndex:
        path = path.expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not path.exists():
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"Cannot open the hub index {path} ({exc}).") from None
        return cls(path, conn)

    def close(self) -> None:
        self.conn.close()

    # --- ingest ------------------------------------------------------------

    def refresh(self, root: Path) -> int:
        """Read the folder's new files into the index; returns how many went in."""
        self.last_quarantined = []
        self.last_new = 0
        seen = {
            name: (size, mtime)
            for name, size, mtime in self.conn.execute("SELECT name, size, mtime_ns FROM files")
        }
        try:
            top = list(os.scandir(root))
        except OSError as exc:
            raise HubError(
                f"The folder hub {root} cannot be read ({exc.strerror}); "
                "is the shared drive connected?"
            ) from None
        actions_dir = root / ACTIONS_DIR
        try:
            action_entries = list(os.scandir(actions_dir))
        except FileNotFoundError:
            action_entries = []
        except OSError as exc:
            raise HubError(f"The folder hub {root} cannot be read ({exc.strerror}).") from None
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for entry, kind in [(e, "result") for e in top] + [
                (e, "action") for e in action_entries
            ]:
                self._consider(root, entry, kind, seen)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        return self.last_new

    def _consider(
        self, root: Path, entry: os.DirEntry[str], kind: str, seen: dict[str, tuple[int, int]]
    ) -> None:
        name = entry.name
        if name.startswith(".") or name in IGNORED_NAMES or name.endswith(".reason.txt"):
            return
        key = name if kind == "result" else f"{ACTIONS_DIR}/{name}"
        try:
            if entry.is_dir(follow_symlinks=False):
                return  # a team's own sub-folder: not ours to judge
            st = entry.stat(follow_symlinks=False)
        except OSError:
            return
        if seen.get(key) == (st.st_size, st.st_mtime_ns):
            return
        problem = self._ingest(root, entry, kind, key)
        if problem is not None:
            moved = quarantine(root, Path(entry.path), problem)
            self.last_quarantined.append(
                (key, problem if moved else f"{problem} (could not be moved)")
            )
            if moved:
                return
        self.conn.execute(
            "INSERT OR REPLACE INTO files (name, size, mtime_ns, problem) VALUES (?, ?, ?, ?)",
            (key, st.st_size, st.st_mtime_ns, problem),
        )
        if problem is None:
            self.last_new += 1

    def _ingest(self, root: Path, entry: os.DirEntry[str], kind: str, key: str) -> str | None:
        """Put one file in the index; a sentence saying why not when it is refused."""
        if entry.is_symlink():
            return "a link, not a file"
        pattern = RESULT_NAME if kind == "result" else ACTION_NAME
        match = pattern.match(entry.name)
        if match is None:
            return (
                "not a graded-result file name (expected <audit id>.r<revision>.json)"
                if (kind == "result")
                else "not an action file name (expected <action id>.<digest>.json)"
            )
        if kind == "action":
            state = read_action_file(Path(entry.path))
            if isinstance(state, str):
                return state
            if state.action_id != match.group(1):
                return f"holds action {state.action_id!r}, not the one its name says"
            record = record_of_state(state)
            self._put_records([(f"f:{key}", record)])
            return None
        data = read_json(Path(entry.path))
        if isinstance(data, str):
            return data
        try:
            result = GradedResult.model_validate(data)
        except ValidationError as exc:
            return schema_problem(exc, "graded result")
        if (result.audit_id, result.revision) != (match.group(1), int(match.group(2))):
            return (
                f"holds audit {result.audit_id!r} revision {result.revision}, "
                "not the one its name says"
            )
        self._put_result(result, key)
        return None

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
        for table in ("sections", "themes"):
            self.conn.execute(f"DELETE FROM {table} WHERE audit_id = ?", (aid,))
        self.conn.execute(
            "DELETE FROM action_records WHERE key >= ? AND key < ?", (f"r:{aid}:", f"r:{aid};")
        )
        self.conn.execute(
            "INSERT OR REPLACE INTO results (audit_id, revision, status, ended_on, team, tool_id,"
            " practitioner_present, complete, grade, recorded_at, file)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    ),
                )
                for a in result.actions
            ]
        )

    def _put_records(self, records: list[tuple[str, ActionRecord]]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO action_records (key, action_id, audit_id, source, recorded_at,"
            " status, completed_on, owner, due, text, evidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(key, *record) for key, record in records],
        )

    # --- reading -------------------------------------------------------------

    def merged_actions(self, action_id: str | None = None) -> list[MergedAction]:
        """Every action's state (or one's), by the merge rule, for audits the index holds."""
        sql = (
            "SELECT r.action_id, r.audit_id, r.source, r.recorded_at, r.status, r.completed_on,"
            " r.owner, r.due, r.text, r.evidence FROM action_records r"
            " WHERE EXISTS (SELECT 1 FROM results WHERE results.audit_id = r.audit_id)"
        )
        params: tuple[Any, ...] = ()
        if action_id is not None:
            sql += " AND r.action_id = ?"
            params = (action_id,)
        grouped: dict[str, list[ActionRecord]] = {}
        for row in self.conn.execute(sql + " ORDER BY r.action_id", params):
            grouped.setdefault(row[0], []).append(ActionRecord(*row))
        return [merge_action(records) for records in grouped.values()]

    def facts(self, with_sections: bool = True) -> Facts:
        facts = Facts()
        facts.audits = [
            AuditFact(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]), r[7])
            for r in self.conn.execute(
                "SELECT audit_id, status, ended_on, team, tool_id, practitioner_present, complete,"
                " grade FROM results"
            )
        ]
        if with_sections:
            facts.sections = [
                SectionFact(*r)
                for r in self.conn.execute("SELECT audit_id, section, grade FROM sections")
            ]
        facts.themes = [
            ThemeFact(r[0], r[1], r[2], tuple(r[3].split(TAG_SEPARATOR)), r[4])
            for r in self.conn.execute(
                "SELECT audit_id, tool_id, question_id, tags, value FROM themes"
            )
        ]
        facts.actions = [m.fact() for m in self.merged_actions()]
        return facts

    def find_action(self, action_id: str) -> BoardAction | None:
        """An action by id or by a unique prefix of six or more characters."""
        ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT action_id FROM action_records"
                " WHERE action_id >= ? AND action_id < ?"
                " LIMIT 2",
                (action_id, action_id + "\uffff"),
            )
        ]
        if action_id not in ids and (len(ids) != 1 or len(action_id) < 6):
            return None
        chosen = action_id if action_id in ids else ids[0]
        found = self._board(self.merged_actions(chosen))
        return found[0] if found else None

    def board(self) -> list[BoardAction]:
        return self._board(self.merged_actions())

    def _board(self, merged: list[MergedAction]) -> list[BoardAction]:
        audits = {
            r[0]: (r[1], r[2])
            for r in self.conn.execute("SELECT audit_id, team, tool_id FROM results")
        }
        out = []
        for m in merged:
            team, tool_id = audits.get(m.audit_id, ("", ""))
            out.append(
                BoardAction(
                    m.action_id,
                    m.audit_id,
                    team,
                    tool_id,
                    m.owner or "",
                    dt.date.fromisoformat(m.due) if m.due else dt.date.min,
                    m.status,
                    dt.date.fromisoformat(m.completed_on) if m.completed_on else None,
                    m.text,
                )
            )
        out.sort(key=lambda a: (a.due, a.action_id))
        return out

    def action_facts(self) -> list[ActionFact]:
        return [m.fact() for m in self.merged_actions()]


def quarantine(root: Path, path: Path, reason: str) -> bool:
    """Move a refused file into ``quarantine/`` with its reason; False if it cannot be moved."""
    target_dir = root / QUARANTINE_DIR
    try:
        target_dir.mkdir(exist_ok=True)
        target = target_dir / path.name
        if target.exists() or target.is_symlink():
            target = target_dir / f"{path.name}.{secrets.token_hex(4)}"
        os.rename(path, target)
    except FileNotFoundError:
        return True  # another reader moved it first
    except OSError:
        return False
    with contextlib.suppress(OSError):
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        target.with_name(target.name + ".reason.txt").write_text(
            f"{path.name}: {reason}\nMoved here by auditui at {stamp}.\n", encoding="utf-8"
        )
    return True
