"""Open the local SQLite database safely, or say plainly why not.

Children's data lives here, so the file and its folder are owner-only, the
journal is WAL with ``synchronous=FULL`` (a committed answer survives a
crash or power cut), and every SQLite failure a user can meet (locked,
read-only, disk full) becomes a ``StorageError`` in plain words.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditui.errors import StorageError
from auditui.store import first_start
from auditui.store.schema import migrate

BUSY_TIMEOUT_MS = 5000


class Store:
    """One connection to the local database; ``transaction()`` is the only way to write."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        warnings: list[str],
        identity: tuple[int, int] | None = None,
    ) -> None:
        self.path = path
        self.conn = conn
        self.warnings = warnings
        """Things the user should know at start, e.g. a database others can read."""
        self.failed_transactions = 0
        """Transactions rolled back after writing; part of ``change_token()``."""
        self.identity = identity if identity is not None else _identity(path)
        """(device, inode) of the file opened: each write checks the path still names it."""

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed unit of work: all of it is saved, or none of it."""
        with storage_errors():
            self.conn.execute("BEGIN IMMEDIATE")
            changes = self.conn.total_changes
            try:
                self.check_same_file()
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.total_changes != changes:  # undone writes: see change_token()
                    self.failed_transactions += 1
                # SQLite has already rolled back after some errors (a full disk,
                # an I/O error); a second ROLLBACK would hide the real cause.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def check_same_file(self) -> None:
        """Refuse to write if the database file was deleted, moved or replaced since opening.

        SQLite keeps writing to the file it opened even after the path stops
        naming it, so without this check everything typed afterwards would be
        "saved" into a file nobody will open again.
        """
        try:
            now = _identity(self.path)
        except FileNotFoundError:
            raise StorageError(
                f"The database file {self.path} has been moved or deleted while auditui was "
                "running, so this change was not saved. Put the file back, or quit and "
                "restore it from a backup; nothing more can be saved until then."
            ) from None
        except OSError as exc:
            raise StorageError(
                f"The database file {self.path} cannot be checked ({exc.strerror}), so this "
                "change was not saved."
            ) from exc
        if now != self.identity:
            raise StorageError(_replaced(self.path))

    def change_token(self, since: tuple[int, ...] | None = None) -> tuple[int, ...]:
        """Equal twice only if nothing in the file changed in between.

        ``PRAGMA data_version`` moves when another connection (another
        window, another program) commits; ``total_changes`` and
        ``failed_transactions`` move when this one writes or rolls back.
        Read it inside a transaction, or before the reads it vouches for.
        Inside a write transaction, pass the token read at its start as
        ``since``: only this connection can have written since then.
        """
        if since is None:
            version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        else:
            version = since[0]
        return (version, self.conn.total_changes, self.failed_transactions)

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with storage_errors():
            return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Row | None:
        with storage_errors():
            return self.conn.execute(sql, params).fetchone()

    def close(self) -> None:
        self.conn.close()


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Translate SQLite's failures into sentences a user can act on."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise StorageError(_plain(exc)) from exc
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if "malformed" in text or "not a database" in text:
            raise StorageError(
                f"The database file is damaged or is not an auditui database ({text}). "
                "Nothing was changed; restore it from a backup."
            ) from exc
        raise


def _plain(exc: sqlite3.OperationalError) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return (
            "The database is busy in another auditui window or program; nothing was saved. "
            "Try again in a moment."
        )
    if "readonly" in text or "read-only" in text:
        return "The database is read-only; nothing was saved. Check the file's permissions."
    if "full" in text:
        return (
            "The disk is full; this change was not saved. Everything saved before it is safe. "
            "Free some space and try again."
        )
    if "unable to open" in text:
        return f"The database cannot be opened ({text}). Check the path and its permissions."
    return f"The database refused the change ({text}); nothing was saved."


def open_store(
    path: Path,
    read_only: bool = False,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    same_file_as: tuple[int, int] | None = None,
) -> Store:
    """Open (creating, owner-only, if needed) and migrate the database at ``path``.

    ``path`` is a file name taken literally: characters a URI would read
    (``?``, ``#``, ``%``) are escaped before SQLite sees it, so a name can
    neither choose an in-memory database nor write beside the intended file.
    A missing database is created only on a first start (``first_start``),
    by auditui itself, so SQLite is never allowed to create one (``mode=rw``).
    ``busy_timeout_ms`` is how long a write waits for another program's lock.
    ``same_file_as``: the ``identity`` of a store already open (a background
    job's second connection), refused if the path now names another file.
    """
    path = _literal(path)
    warnings: list[str] = []
    try:
        exists = path.exists()
        if exists and not path.is_file():
            raise StorageError(f"The database path {path} is not a file; nothing was opened.")
        if read_only and not exists:
            raise StorageError(f"There is no database at {path}.")
        if not read_only and not exists:
            first_start.refuse_if_vanished(path)
            _create_private(path)
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise StorageError(f"Cannot open the database at {path}: {exc.strerror}.") from exc
    if mode & 0o077:
        warnings.append(
            f"The database {path} can be read by other users (mode {mode:o}); "
            f"it holds children's data. Run: chmod 600 '{path}'"
        )
    identity = _identity_or_error(path)
    if same_file_as is not None and identity != same_file_as:
        raise StorageError(_replaced(path))
    with storage_errors():
        uri = path.as_uri() + ("?mode=ro" if read_only else "?mode=rw")
        conn = sqlite3.connect(
            uri,
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            timeout=busy_timeout_ms / 1000,
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if not read_only:
            _use_wal(conn, busy_timeout_ms)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            migrate(conn)
    if _identity_or_error(path) != identity:  # swapped while opening: which file is open?
        conn.close()
        raise StorageError(_replaced(path))
    store = Store(path, conn, warnings, identity)
    if not read_only:
        first_start.remember(path)
    return store


def _identity(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return (info.st_dev, info.st_ino)


def _identity_or_error(path: Path) -> tuple[int, int]:
    try:
        return _identity(path)
    except OSError as exc:
        raise StorageError(f"Cannot open the database at {path}: {exc.strerror}.") from exc


def _replaced(path: Path) -> str:
    return (
        f"The database file {path} has been replaced by another file while auditui was "
        "running, so this change was not saved. Quit auditui and start it again to work on "
        "the file now at that path."
    )


def _literal(path: Path) -> Path:
    """``path`` as an absolute file name (``~`` expanded); a NUL in it is refused."""
    if "\x00" in str(path):
        raise StorageError("The database path contains a NUL character; nothing was opened.")
    return path.expanduser().absolute()


def _use_wal(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Switch a new database to WAL, waiting while another process does the same.

    The switch needs the file to itself and SQLite answers "locked" at once,
    without its busy handler, when another opener holds it; WAL is then
    usually already set by that opener, which the next read sees.
    """
    deadline = time.monotonic() + max(busy_timeout_ms / 1000, 1.0)
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or (
                time.monotonic() >= deadline
            ):
                raise
            time.sleep(0.01)


def _create_private(path: Path) -> None:
    """Make the folder (0700, if new) and the file (0600) before SQLite touches them."""
    try:
        # Another process may make the folder or the file at the same moment: each step
        # tolerates that on its own, so losing the race for one never skips the other.
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
    except OSError as exc:
        raise StorageError(f"Cannot create the database at {path}: {exc.strerror}.") from exc
