"""How auditui tells a first start from a database that has gone missing.

Creating an empty database where the configured one has vanished (moved,
renamed, deleted, or on a drive that is not mounted) would hide the loss:
the auditor would carry on into an empty file, and the next backup would
keep that. So each database auditui opens for writing is recorded in the
user data directory: ``<data dir>/databases/<checksum of the path>``, an
owner-only file holding the path and when it was first opened (the
checksum is zlib's, already loaded at start, where hashlib would cost
milliseconds; the path inside the record is what is compared). A database
is created only where no record exists (the first start on that path);
a missing database with a record is refused, and the message names the
record to delete to start again with an empty database on purpose.

Records are written on every writable open that lacks one, so a database
from before this rule (or one copied into place) is protected from its
next open on.
"""

from __future__ import annotations

import datetime as dt
import os
import zlib
from pathlib import Path

from auditui.errors import StorageError


def records_dir() -> Path:
    """``databases/`` in auditui's user data directory (as ``config.default_data_dir``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("auditui", appauthor=False)) / "databases"


def record_of(path: Path) -> Path:
    """The record for the database at ``path`` (absolute), whether or not it exists."""
    name = os.fsencode(path)
    return records_dir() / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}"


def _first_line(path: Path) -> str:
    return f"{str(path)!r}\n"


def refuse_if_vanished(path: Path) -> None:
    """Raise if auditui has used a database at ``path`` before and it is not there now."""
    record = record_of(path)
    if not record.is_file():  # only a regular file is read (a FIFO would hang the open)
        return
    try:
        with open(record, encoding="utf-8", errors="replace") as text:
            recorded = text.readline(len(_first_line(path)) + 1)
    except OSError:
        return
    if recorded == _first_line(path):
        raise StorageError(
            f"The database {path} is missing, but auditui has used a database there before: "
            "it may have been moved, renamed or deleted, or its drive is not connected. "
            "Nothing was created. Put it back or restore it from a backup; to start again "
            f"with a new, empty database there, delete {record}."
        )


def remember(path: Path) -> None:
    """Record that a database at ``path`` is in use, if not recorded yet.

    Best effort: a data directory auditui cannot write to must not stop the
    auditor working, it only loses this protection.
    """
    record = record_of(path)
    if record.is_file():
        return
    try:
        record.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        fd = os.open(record, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    except OSError:
        return
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as out:
        when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        out.write(f"{_first_line(path)}first opened {when}\n")
