"""`auditui export csv`: one table of the local store as a CSV file Excel opens.

Three tables linked by ids, as ODK and REDCap users expect: ``audits`` (one
row per audit), ``answers`` (long: one row per answer), ``actions`` (one row
per action); and ``grades`` (long: one row per audit and section) for the
section grades of audits made with different tools. Ids by default, the
words people read with ``labels``; dates ISO 8601; see ``cells`` for the
Excel and formula-injection rules, ``tables`` for the columns.

Both faces call ``export_csv``: the CLI with a rich progress bar on a
terminal, the TUI from a worker with its own bar. ``progress(done, total)``
is called now and then with units of work done; only the ratio means
anything.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from auditui.errors import InvalidAnswerError, StorageError
from auditui.export.answer_helpers import STOPPED
from auditui.export.answers_table import HEADER as ANSWER_HEADER
from auditui.export.answers_table import Block, answer_blocks
from auditui.export.cells import BOM, line, text_cell
from auditui.export.early_helpers import default_readers
from auditui.export.filters import ExportFilter
from auditui.export.output import BlockWriter, open_output
from auditui.export.source import ExportSource, reading_connection
from auditui.export.tool_cells import tool_cells
from auditui.store.db import storage_errors
from auditui.store.export_rows import count_rows

TABLES = ("audits", "answers", "actions", "grades")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportResult:
    table: str
    rows: int
    """Data rows written, not counting the header."""
    path: Path | None
    """The file written, or None for standard output."""


def export_csv(
    source: ExportSource,
    table: str,
    out: Path | str | None,
    *,
    labels: bool = False,
    bom: bool = True,
    where: ExportFilter | None = None,
    progress: Progress | None = None,
    readers: int | None = None,
    tool_dirs: list[Path] | None = None,
    started: list[subprocess.Popen[bytes]] | None = None,
) -> ExportResult:
    """Write ``table`` to ``out`` (a path, or ``None``/``"-"`` for standard output).

    A file appears complete, owner-only, or not at all. See ``write_csv``.
    """
    _check_table(table)
    with open_output(out) as stream:
        rows = write_csv(
            source,
            table,
            stream,
            labels=labels,
            bom=bom,
            where=where,
            progress=progress,
            readers=readers,
            tool_dirs=tool_dirs,
            started=started,
        )
    path = None if out is None or str(out) == "-" else Path(out).expanduser()
    return ExportResult(table, rows, path)


def write_csv(
    source: ExportSource,
    table: str,
    stream: BinaryIO,
    *,
    labels: bool = False,
    bom: bool = True,
    where: ExportFilter | None = None,
    progress: Progress | None = None,
    readers: int | None = None,
    tool_dirs: list[Path] | None = None,
    started: list[subprocess.Popen[bytes]] | None = None,
) -> int:
    """Write ``table`` as CSV to an open binary stream; returns the data rows written.

    ``readers``: processes reading a large answers table, this one and its helpers
    (default: one per core, up to 4).
    ``tool_dirs``: the folders ``source.library`` is loaded from (shipped tools aside), when
    the caller knows them: the answers table then takes the tools' cells from the cache
    while those files are unchanged, without loading the tools (``tool_cells``).
    ``started``: helper processes the caller started early (``early_helpers.start``), for
    a large answers table; they are stopped whether used or not.
    """
    _check_table(table)
    where = where or ExportFilter()
    writer = BlockWriter(stream)
    if bom:
        writer.raw(BOM)
    with storage_errors():
        if table == "answers":
            cells = tool_cells(lambda: source.library, labels, tool_dirs)
            blocks = answer_blocks(
                source.store,
                cells,
                labels,
                where,
                readers or default_readers(),
                started,
                piped=True,
            )
            rows = _write_answers(blocks, writer, progress)
        else:
            conn = reading_connection(source.store)
            try:
                total = _count(conn, table, where) if progress else 0
                rows = _write_lines(
                    _lines(conn, source, table, labels, where), writer, progress, total
                )
            finally:
                conn.close()
    writer.flush()
    return rows


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise InvalidAnswerError(f"Table: '{table}' is not one of {', '.join(TABLES)}.")


def _write_answers(blocks: Iterator[Block], writer: BlockWriter, progress: Progress | None) -> int:
    writer.text(line([text_cell(h) for h in ANSWER_HEADER]))
    writer.flush()
    rows = 0
    for block in blocks:
        if block.piped is not None:
            lines = block.piped
            if writer.move(lines.fd, lines.length) != lines.length:
                raise StorageError(STOPPED)
            lines.moved = True
            rows += block.rows
        elif block.data:
            writer.raw(block.data)
            rows += block.rows
        if progress is not None:
            progress(block.done, block.total)
    return rows


def _lines(
    conn: sqlite3.Connection, source: ExportSource, table: str, labels: bool, where: ExportFilter
) -> Iterator[str]:
    # The other tables' rows, imported only for them: the answers table, the one a script
    # exports again and again, does not pay for loading their module.
    from auditui.export.tables import action_rows, audit_rows, grade_rows

    today = source.today()
    if table == "audits":
        return audit_rows(conn, source.library, labels, where, today)
    if table == "actions":
        return action_rows(conn, source.library, labels, where, today, source.calendar)
    return grade_rows(conn, source.library, labels, where)


def _count(conn: sqlite3.Connection, table: str, where: ExportFilter) -> int:
    clause, params = where.where("u")
    return count_rows(conn, table, clause, params)


def _write_lines(
    lines: Iterator[str], writer: BlockWriter, progress: Progress | None, total: int
) -> int:
    rows = -1  # the header is not a row
    for text in lines:
        writer.text(text)
        rows += 1
        if progress is not None and rows % 2000 == 0:
            progress(max(rows, 0), total)
    if progress is not None:
        progress(max(rows, 0), total)
    return max(rows, 0)
