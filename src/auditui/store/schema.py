"""The local schema and its forward-only migrations.

The schema version lives in ``PRAGMA user_version``; each migration is one
function applied once, in order, in one transaction. Never edit a migration
that has shipped: add the next one. A migration is handed a sqlite-utils
``Database`` on the same connection, so a later one can use
``db[table].transform()`` for the changes SQLite's ALTER TABLE cannot make.
sqlite-utils is imported only when a database needs migrating, which keeps
it out of every ordinary start.

``answer_history`` is append-only, enforced by triggers, because "who
changed what" must hold even against a bug in our own code.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from auditui.store.migration_export_index import migrate_v10
from auditui.store.migration_moderation import migrate_v7
from auditui.store.migration_plan_progress import migrate_v9
from auditui.store.migration_themes import migrate_v8
from auditui.store.schema_steps import v1, v2, v3, v4, v5, v6

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATIONS: list[Callable[[Database], None]] = [
    v1,
    v2,
    v3,
    v4,
    v5,
    v6,
    migrate_v7,
    migrate_v8,
    migrate_v9,
    migrate_v10,
]
"""Every step in order: step n takes a database from ``user_version`` n - 1 to n."""
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, wait_s: float = 60.0) -> int:
    """Bring the database up to the newest schema; refuse one from a newer auditui.

    Safe when several processes open one database at once (a script and the
    TUI, say): each migration runs inside ``BEGIN IMMEDIATE``, which only one
    connection can hold, and ``user_version`` is read again *inside* it, so a
    process that waited while another migrated finds the work done and applies
    nothing twice. Waiting for the writer lock is bounded by ``wait_s``, longer
    than the connection's busy timeout, because another process's migration of
    a large database may take a while; then the busy error is raised.
    """
    latest = len(MIGRATIONS)
    version = _user_version(conn)
    _refuse_newer(version, latest)
    if version == latest:
        return version
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    deadline = time.monotonic() + wait_s
    while True:
        _begin_immediate(conn, deadline)
        try:
            version = _user_version(conn)  # another process may have migrated meanwhile
            _refuse_newer(version, latest)
            if version < latest:
                MIGRATIONS[version](db)
                conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if version + 1 >= latest:
            return latest


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _refuse_newer(version: int, latest: int) -> None:
    from auditui.errors import StorageError

    if version > latest:
        raise StorageError(
            f"This database was written by a newer auditui (schema {version}; this one knows "
            f"{latest}). Upgrade auditui; nothing was changed."
        )


def _begin_immediate(conn: sqlite3.Connection, deadline: float) -> None:
    """Take the writer lock, waiting (past the busy timeout) until ``deadline``."""
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)
