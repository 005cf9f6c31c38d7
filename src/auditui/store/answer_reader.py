"""Reading ranges of the answers table, in this process or in a helper process.

A separate module with only the standard library, because a large export
starts helper processes that run this file directly: they start in
milliseconds, share nothing with the parent but a pipe, and so use the
machine's other cores. Threads do not: measured, two reader threads were no
faster than one, two processes nearly twice as fast (SQLite's memory
statistics take one global lock). The parent process uses the same
functions when it reads alone, so both paths make identical bytes. It lives
in the store because it runs SQL against the local database; the SQL it runs
comes from ``answer_export`` in the job.

The protocol over the pipes: the parent writes one JSON line (the job) to
the helper's stdin; the helper attaches an empty in-memory ``export``
database, starts its read transaction and answers ``R`` (its snapshot is
taken). It then builds the export's small tables itself (``prepare``), on
that snapshot, as the parent builds its own meanwhile, and writes, for each
of its rowid ranges in order, a frame: a header (length, rows) and the CSV
bytes. A failure is a frame with length -1 and the message.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import sys
from typing import Any

FRAME = struct.Struct("<qq")
"""Length of the data that follows (-1: an error message follows), and its rows."""


def prepare(conn: sqlite3.Connection, job: dict[str, Any]) -> None:
    """Create and fill the export's tables (in its ``export`` database, attached by
    ``attach``) from the job."""
    for statement in job["schema"]:
        conn.execute(statement)
    for sql, rows in job["inserts"]:
        conn.executemany(sql, rows)
    conn.execute(job["audits_sql"], job["audits_params"])


def read_range(conn: sqlite3.Connection, sql: str, start: int, end: int) -> tuple[bytes, int]:
    """The CSV lines of answers with ``start <= rowid < end``, and how many."""
    data, rows = conn.execute(sql, (start, end)).fetchone()
    return data or b"", rows


def attach(conn: sqlite3.Connection, job: dict[str, Any]) -> None:
    """Attach the export's own empty in-memory database (before any transaction)."""
    conn.execute(job["attach"])
    conn.execute(job["cache"])


def begin_snapshot(conn: sqlite3.Connection) -> None:
    """Start a read transaction and take its snapshot now (WAL takes it at the first read)."""
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def serve() -> None:
    """The helper process: one job from stdin, frames to stdout."""
    out = sys.stdout.buffer
    stdin = sys.stdin.buffer
    try:
        job = json.loads(stdin.readline())
        conn = sqlite3.connect(job["db"], uri=True, isolation_level=None, timeout=job["timeout"])
        conn.execute("PRAGMA temp_store = MEMORY")
        attach(conn, job)
        begin_snapshot(conn)
        out.write(b"R")
        out.flush()
        prepare(conn, job)
        for start, end in job["ranges"]:
            data, rows = read_range(conn, job["sql"], start, end)
            out.write(FRAME.pack(len(data), rows))
            out.write(data)
        out.flush()
    except BrokenPipeError:  # the parent stopped reading: it has given up on this export
        sys.exit(0)
    except Exception as exc:  # told to the parent, which raises it as a StorageError
        message = str(exc).encode("utf-8", "replace")
        out.write(FRAME.pack(-1, len(message)) + message)
        out.flush()
        sys.exit(1)


if __name__ == "__main__":
    serve()
