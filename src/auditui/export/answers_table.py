"""The answers table: one row per answer, built and escaped inside SQLite.

This table is the big one (about ten answers per audit, a million rows for
a large authority), so its lines are made where the data is. Python writes,
once per export, small tables (in an in-memory database of the export's own,
``export``) holding everything that comes from the audit tools already as
finished CSV text (``tool_cells``: for each tool
version and question, the tool, section, question id and question text
cells, and for each choice answer its value cell, id or label), and each
chosen audit's id cell. SQLite then joins each answer row to its audit and
to those cells (two primary-key look-ups), escapes the free-text columns
with ``format('%w')`` (see ``cells.sql_text_cell``), and hands back
thousands of finished lines at a time as one ``group_concat`` blob. Python
only writes the blobs: no Python per row, no decoding and re-encoding.

Rows are read in ``rowid`` ranges, so memory stays flat whatever the number
of rows (reading alone, a range shrinks when its rows are long) and the
position in the table is the progress. A large table is read by this
process and a few helper processes at once (``store.answer_reader``,
started and read by ``answer_helpers``; the command starts them before it
loads the export), a fixed range each in turn, all on one snapshot, each
with its own copy of the small tables; their blocks are written strictly in
table order, the helpers' into a file straight from their pipes
(``Block.piped``).
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from auditui.errors import StorageError
from auditui.export.answer_helpers import (
    expect_ready,
    read_frame,
    read_header,
    spawn,
    stop,
)
from auditui.export.cells import sql_formula_prefix, sql_quick_formula_prefix, sql_text_cell
from auditui.export.early_helpers import send, stop_started
from auditui.export.filters import ExportFilter
from auditui.export.source import SNAPSHOT_WAIT_S
from auditui.export.tool_cells import ToolCells
from auditui.store import answer_export as sql
from auditui.store import answer_reader, export_rows
from auditui.store.db import BUSY_TIMEOUT_MS, Store, storage_errors

HEADER = (
    "audit_id",
    "tool_id",
    "tool_version",
    "section_id",
    "question_id",
    "question_number",
    "question_text",
    "value",
    "evidence",
    "answered_by",
    "answered_at",
)

FIRST_SPAN = 8192
"""Rowids per read, reading alone, at first; adapted so a block stays near ``BLOCK_TARGET``."""
BLOCK_TARGET = 2 << 20
HELPER_SPAN = 4096
"""Rowids per read in a helper process (fixed: the helpers take turns)."""
OWN_SHARE = 0.9
"""This process's range, reading beside helpers, as a share of a helper's (``_turns``).
Measured in-process at 420,000 answers with one helper (median of 7 interleaved runs):
0.9 was 8-10 ms sooner than equal ranges, 0.8 and 0.7 were 15-40 ms later."""

PARALLEL_FROM = 200_000
"""Below this many rowids one process reads alone: starting helpers would cost more."""


@dataclass
class PipedLines:
    """Finished CSV lines still in a helper's pipe: the next ``length`` bytes of ``fd``.

    Whoever takes the block moves them (``output.BlockWriter.move``: into the file
    with ``splice``, so they never pass through this process) before asking for the
    next block, and says so in ``moved``.
    """

    fd: int
    length: int
    moved: bool = False


@dataclass(frozen=True)
class Block:
    data: bytes
    """Finished CSV lines, UTF-8 (empty when they are ``piped``)."""
    rows: int
    done: int
    """Rowids covered so far, out of ``total``."""
    total: int
    piped: PipedLines | None = None


def answer_blocks(
    store: Store,
    cells: ToolCells,
    labels: bool,
    where: ExportFilter,
    readers: int,
    started: list[subprocess.Popen[bytes]] | None = None,
    piped: bool = False,
) -> Iterator[Block]:
    """The answers table's lines in table order, as one consistent snapshot; ``cells``
    from ``tool_cells`` with the same ``labels``.

    ``readers``: processes reading a large table, this one included.
    ``started``: helper processes already starting (``early_helpers.start``), used
    as the first of the helpers if the table is large, else stopped.
    ``piped``: the caller moves the helpers' lines itself (``Block.piped``).
    """
    started = list(started or ())
    try:
        job = _job(store, cells, labels, where)
        if readers > 1:
            helpers = _start_helpers(store, job, readers, PARALLEL_FROM, started, piped)
            if helpers is not None:
                started = started[readers - 1 :]  # the turns own the others now
                yield from helpers
                return
    finally:
        stop_started(started)
    yield from _read_alone(store, job)


def _job(store: Store, cells: ToolCells, labels: bool, where: ExportFilter) -> dict[str, Any]:
    """What a reader needs: the temporary tables, the chosen audits, the query."""
    clause, params = where.where("u")
    return {
        "db": export_rows.uri(store.path),
        "timeout": BUSY_TIMEOUT_MS / 1000,
        "attach": sql.ATTACH,
        "cache": sql.EXPORT_CACHE,
        "schema": [sql.EXPORT_PAGES, *sql.EXPORT_TABLES],
        "inserts": [
            (sql.INSERT_TOOLS, cells.tools),
            (sql.INSERT_QUESTIONS, cells.questions),
            (sql.INSERT_VALUES, cells.values),
            (sql.INSERT_OPTIONS, cells.options),
        ],
        "audits_sql": sql.audits_sql(clause, sql_text_cell),
        "audits_params": params,
        "sql": _chunk_sql(labels),
    }


def _read_alone(store: Store, job: dict[str, Any]) -> Iterator[Block]:
    with storage_errors():
        conn = export_rows.connect(store.path)
    try:
        with storage_errors():
            answer_reader.attach(conn, job)
            answer_reader.begin_snapshot(conn)
        bounds = sql.rowid_bounds(conn)
        if bounds is None:
            return
        low, high = bounds
        answer_reader.prepare(conn, job)
        total = high - low + 1
        start, span = low, FIRST_SPAN
        while start <= high:
            data, rows = answer_reader.read_range(conn, job["sql"], start, start + span)
            start += span
            yield Block(data, rows, min(start, high + 1) - low, total)
            if len(data) > BLOCK_TARGET and span > 64:
                span //= 2
            elif len(data) < BLOCK_TARGET // 4 and span < 1 << 20:
                span *= 2
    finally:
        with contextlib.suppress(sqlite3.Error):
            sql.release(conn)
        conn.close()


def _start_helpers(
    store: Store,
    job: dict[str, Any],
    readers: int,
    parallel_from: int,
    started: list[subprocess.Popen[bytes]],
    piped: bool = False,
) -> Iterator[Block] | None:
    """This process and ``readers - 1`` helper processes reading in turn on one snapshot;
    None to read alone instead.

    While the snapshots are taken a write lock is held (``BEGIN IMMEDIATE``;
    nothing is written), so no commit can fall between them. Every reader
    builds its own copy of the small tables on that snapshot (35-45 ms at
    45,000 audits, walking the V10 index), this process while its helpers
    start up and take theirs, so neither waits for the other; the lock is held
    that long, and a writer meanwhile waits for it (``BUSY_TIMEOUT_MS``)
    rather than fails. Measured against building the tables once here and
    handing two helpers a copy (serialised, down a pipe, loaded again) while
    this process only moved their lines: the same CPU, and the whole command
    30 ms sooner (0.68 s against 0.72 s, median of 10 interleaved runs at
    420,000 answers), one reader's lines never crossing a pipe. If a writer
    holds the lock, the table is small, or a helper cannot start, the caller
    reads alone: slower, never inconsistent.
    """
    helpers: list[subprocess.Popen[bytes]] = []
    if not sys.executable:  # an embedded Python cannot start helpers
        return None
    try:
        lock = export_rows.connect(store.path, timeout=SNAPSHOT_WAIT_S)
    except sqlite3.Error:
        return None
    try:
        builder = export_rows.connect(store.path, timeout=SNAPSHOT_WAIT_S)
    except sqlite3.Error:
        lock.close()
        return None
    handed_on = False
    try:
        if _span(lock) < parallel_from:  # not worth it: do not even take the lock
            return None
        answer_reader.attach(builder, job)
        if not sql.hold_writers(lock):
            return None
        answer_reader.begin_snapshot(builder)
        bounds = sql.rowid_bounds(builder)
        if bounds is None:
            return None
        low, high = bounds
        turns = _turns(low, high, readers)
        for n in range(1, readers):
            ranges = [(start, end) for start, end, reader in turns if reader == n]
            if n - 1 < len(started):
                send(started[n - 1], {**job, "ranges": ranges})
                helpers.append(started[n - 1])
            else:
                helpers.append(spawn({**job, "ranges": ranges}))
        answer_reader.prepare(builder, job)  # while the helpers start and take their snapshots
        for helper in helpers:
            expect_ready(helper)
        sql.release(lock)  # every snapshot is taken: writers may go on
        handed_on = True
    except (OSError, StorageError):
        stop(helpers)
        return None
    except BaseException:
        stop(helpers)
        raise
    finally:
        lock.close()
        if not handed_on:
            builder.close()
    return _take_turns(builder, job["sql"], helpers, turns, low, high, piped)


def _span(conn: sqlite3.Connection) -> int:
    bounds = sql.rowid_bounds(conn)
    return 0 if bounds is None else bounds[1] - bounds[0] + 1


def _turns(low: int, high: int, readers: int) -> list[tuple[int, int, int]]:
    """Rowid ranges in table order, each with its reader (0: this process), in rotation.

    This process's ranges are ``OWN_SHARE`` of a helper's: besides its own rows it
    moves every helper's lines into the file, and the readers go in step (each
    writes one range ahead at most, its pipe then full), so equal ranges would keep
    the helpers waiting for it.
    """
    turns, start, reader = [], low, 0
    own_span = max(1, int(HELPER_SPAN * OWN_SHARE))
    while start <= high:
        end = start + (own_span if reader == 0 else HELPER_SPAN)
        turns.append((start, end, reader))
        start, reader = end, (reader + 1) % readers
    return turns


def _take_turns(
    own: sqlite3.Connection,
    chunk: str,
    helpers: list[subprocess.Popen[bytes]],
    turns: list[tuple[int, int, int]],
    low: int,
    high: int,
    piped: bool,
) -> Iterator[Block]:
    total = high - low + 1
    fds = []
    for helper in helpers:
        assert helper.stdout is not None
        fds.append(helper.stdout.fileno())
    try:
        for start, end, reader in turns:
            done = min(end, high + 1) - low
            if reader == 0:
                data, rows = answer_reader.read_range(own, chunk, start, end)
                yield Block(data, rows, done, total)
                continue
            fd = fds[reader - 1]
            if not piped:
                data, rows = read_frame(fd)
                yield Block(data, rows, done, total)
                continue
            length, rows = read_header(fd)
            lines = PipedLines(fd, length)
            yield Block(b"", rows, done, total, lines)
            if not lines.moved:  # the next header would be read from the middle of these
                raise RuntimeError("A block of piped lines was not moved before the next.")
    finally:
        stop(helpers)
        own.close()  # its read transaction and its own tables end with it


def _chunk_sql(labels: bool) -> str:
    """One rowid range of answers as one blob of CSV lines, and how many rows (SQL in the
    store), with this module's cell rules."""
    return sql.chunk_sql(
        labels,
        sql_text_cell,
        sql_formula_prefix,
        sql_quick_formula_prefix,
        time_prefix=lambda column: sql_quick_formula_prefix(column, times=True),
    )
