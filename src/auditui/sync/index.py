"""A reader's own index of a folder hub: read each file once, report from SQLite.

A QA lead's report over a shared folder must not re-read thousands of
files every month, and must not trust them either. The index remembers
which files it has read (name, size, modification and change times), so
each refresh reads only new or changed ones, and judges every file by the
rules of ``folder_judge`` (signed, whole, the right kind, from the audit's
own key or a trusted one, possible dates). A file that fails is skipped and
reported with its reason, never moved: the hub belongs to its writers.
A higher revision of an audit replaces a lower one whatever order the files
are read in; an audit is bound to the key that signed the first revision
this reader saw, and ``hub.json`` (the hub's id, demo flag, QA lead key)
is pinned the first time, so a swapped one stops the reader.

The index lives in the reader's own data directory (owner-only), never on
the share; it is a cache, rebuilt from the folder when its layout changes.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from auditui.errors import HubError, StorageError
from auditui.sync.folder import ACTION_NAME, ACTIONS_DIR, RESULT_NAME
from auditui.sync.folder_judge import (
    action_problem,
    binding_problem,
    open_action,
    open_result,
    record_of_state,
)
from auditui.sync.hub_marker import HubMarker, not_a_hub, read_marker
from auditui.sync.index_rows import INDEX_VERSION, SCHEMA, TABLES, IndexRows
from auditui.sync.index_views import IndexViews
from auditui.sync.trust import Trust, read_trust

_RETRY = "retry"
"""An action change for an audit this reader does not hold yet: judged again next time."""
_LATER = "later"
"""Not an owner's record: judged in the second pass, once every owner's record is in."""


@dataclass
class HubIndex(IndexRows, IndexViews):
    path: Path
    conn: sqlite3.Connection
    last_new: int = 0
    trust: Trust = field(default_factory=Trust)
    """The hub's trust file as the last refresh read it."""

    @classmethod
    def open(cls, path: Path) -> HubIndex:
        path = path.expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not path.exists():
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
                for table in TABLES:
                    conn.execute(f"DROP TABLE IF EXISTS {table}")
                conn.execute(f"PRAGMA user_version = {INDEX_VERSION}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("COMMIT")
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"Cannot open the hub index {path} ({exc}).") from None
        return cls(path, conn)

    def close(self) -> None:
        self.conn.close()

    # --- the hub's marker, pinned on first use ---------------------------------

    def pin(self, marker: HubMarker) -> str | None:
        """Check ``marker`` against what this reader first saw; returns the QA lead's key."""
        row = self.conn.execute("SELECT hub_id, demo, lead_key FROM pins").fetchone()
        if row is None:
            self.conn.execute(
                "INSERT INTO pins (id, hub_id, demo, lead_key) VALUES (1, ?, ?, ?)",
                (marker.hub_id, int(marker.demo), marker.lead_key),
            )
            return marker.lead_key
        changed = (row[0], bool(row[1])) != (marker.hub_id, marker.demo) or (
            row[2] is not None and row[2] != marker.lead_key
        )
        if changed:
            raise HubError(
                "This hub's hub.json has changed since this machine first read it (its id, "
                "demo flag or QA lead key): someone may have replaced it, so nothing was read. "
                f"If the QA lead really re-made the hub, delete {self.path} and read it again."
            )
        if row[2] is None and marker.lead_key is not None:
            self.conn.execute("UPDATE pins SET lead_key = ?", (marker.lead_key,))
        return marker.lead_key

    # --- ingest ------------------------------------------------------------

    def refresh(
        self, root: Path, marker: HubMarker | None = None, today: dt.date | None = None
    ) -> int:
        """Read the folder's new and changed files into the index; returns how many went in.

        ``marker`` is the hub's (read from ``root`` if not given: a folder that is not a
        hub is refused untouched); ``today`` bounds completion dates (UTC today if not given).
        """
        if marker is None:
            marker = read_marker(root)
            if marker is None:
                raise not_a_hub(root)
        if today is None:
            today = dt.datetime.now(dt.UTC).date()
        self.last_new = 0
        lead = self.pin(marker)
        self.trust = read_trust(root, lead)
        top = _entries(root, required=True)
        actions = _entries(root / ACTIONS_DIR, required=False)
        seen = {
            r[0]: (r[1], r[2], r[3])
            for r in self.conn.execute("SELECT name, size, mtime_ns, ctime_ns FROM files")
        }
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            digest = self.conn.execute("SELECT trust_digest FROM pins").fetchone()[0]
            if digest != self.trust.digest:  # who is trusted changed: judge refusals again
                self.conn.execute(
                    "DELETE FROM files WHERE name LIKE 'actions/%' AND problem IS NOT NULL"
                )
                self.conn.execute("UPDATE pins SET trust_digest = ?", (self.trust.digest,))
                seen = {k: v for k, v in seen.items() if not k.startswith("actions/")}
            present: list[str] = []
            results = sorted(
                ((m.group(1), int(m.group(2))), e)
                for e in top
                if (m := RESULT_NAME.match(e.name)) is not None
            )
            for _, entry in results:
                present.append(entry.name)
                self._consider(entry, entry.name, seen, marker, today)
            named = [(e, f"{ACTIONS_DIR}/{e.name}") for e in actions if ACTION_NAME.match(e.name)]
            present += [key for _, key in named]
            # The owner's own records (which say when an action was agreed) go in before
            # anyone's completion is judged, so no judgement depends on the order in which
            # the folder happens to list its files.
            for owners_only in (True, False):
                for entry, key in named:
                    self._consider(entry, key, seen, marker, today, owners_only)
            gone = set(seen) - set(present)
            self.conn.executemany("DELETE FROM files WHERE name = ?", [(n,) for n in gone])
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        return self.last_new

    def _consider(
        self,
        entry: os.DirEntry[str],
        key: str,
        seen: dict[str, tuple[int, int, int]],
        marker: HubMarker,
        today: dt.date,
        owners_only: bool = False,
    ) -> None:
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            return
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if seen.get(key) == stamp:
            return
        if key.startswith(ACTIONS_DIR):
            problem = self._ingest_action(entry, key, today, owners_only)
            if problem in (_RETRY, _LATER):
                return
            seen[key] = stamp  # taken: the second pass leaves it alone
        else:
            problem = self._ingest_result(entry, marker)
        self.conn.execute(
            "INSERT OR REPLACE INTO files (name, size, mtime_ns, ctime_ns, problem)"
            " VALUES (?, ?, ?, ?, ?)",
            (key, *stamp, problem),
        )
        if problem is None:
            self.last_new += 1

    def _ingest_result(self, entry: os.DirEntry[str], marker: HubMarker) -> str | None:
        match = RESULT_NAME.match(entry.name)
        assert match is not None
        opened = open_result(Path(entry.path), match, marker.demo)
        if isinstance(opened, str):
            return opened
        result, signer = opened
        row = self.conn.execute(
            "SELECT signer FROM bindings WHERE audit_id = ?", (result.audit_id,)
        ).fetchone()
        problem = binding_problem(result, signer, row[0] if row else None)
        if problem is not None:
            return problem
        if row is None:
            self.conn.execute(
                "INSERT INTO bindings (audit_id, signer) VALUES (?, ?)", (result.audit_id, signer)
            )
        self._put_result(result, entry.name)
        return None

    def _ingest_action(
        self, entry: os.DirEntry[str], key: str, today: dt.date, owners_only: bool = False
    ) -> str | None:
        match = ACTION_NAME.match(entry.name)
        assert match is not None
        opened = open_action(Path(entry.path), match)
        if isinstance(opened, str):
            return _LATER if owners_only else opened
        state, signer = opened
        if owners_only and state.source != "owner":
            return _LATER
        audit = self.conn.execute(
            "SELECT r.team, b.signer FROM results r JOIN bindings b ON b.audit_id = r.audit_id"
            " WHERE r.audit_id = ?",
            (state.audit_id,),
        ).fetchone()
        if audit is None:
            return _RETRY
        owners = {
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT audit_id FROM action_records WHERE action_id = ?",
                (state.action_id,),
            )
        }
        if owners and owners != {state.audit_id}:
            return f"claims action {state.action_id} belongs to audit {state.audit_id}, but it does not"
        _, agreed = self.judging_facts(state.action_id, state.audit_id)
        if state.agreed_on is not None and state.source == "owner":
            agreed = state.agreed_on.isoformat()
        problem = action_problem(state, signer, audit[1], audit[0], self.trust, agreed, today)
        if problem is not None:
            return problem
        self._put_records([(f"f:{key}", record_of_state(state))])
        return None


def _entries(directory: Path, required: bool) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as entries:
            return list(entries)
    except FileNotFoundError:
        if required:
            raise HubError(
                f"The folder hub {directory} cannot be read; is the shared drive connected?"
            ) from None
        return []
    except OSError as exc:
        raise HubError(
            f"The folder hub {directory} cannot be read ({exc.strerror}); "
            "is the shared drive connected?"
        ) from None
