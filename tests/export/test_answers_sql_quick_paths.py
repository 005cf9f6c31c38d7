"""The answers table's quicker paths give the same bytes as the general ones, for any input.

Two shortcuts make the answers table's lines with less work per row: a JSON
string with no escape in it is used as its own value cell, and the formula
check of the evidence, answered-by and answered-at cells first compares the
text against bands that cannot start a formula. Both are checked here on
generated input (hypothesis), against the SQL without them (``quick=False``,
the statement as it was before them, which ``test_answers_sql`` holds to lines
built in Python) and, where SQLite's text has no NUL in it, against those
Python lines too; and the quick formula check against ``sql_formula_prefix``
(itself held equal to the Python rule by ``test_export_cells``). Last, the
export's own tables: every reader (this process and each helper) builds its
own on the one snapshot, and names them so that tables of the same names in
the database cannot stand in for them; and the helpers' lines, moved from
their pipes into the file by the kernel, make the same file.
"""

from __future__ import annotations

import io
import json
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from export_support import Filled
from hypothesis import given, settings
from hypothesis import strategies as st
from test_answers_sql import value_cell

from auditui.export import answers_table, export_csv, output, write_csv
from auditui.export.cells import (
    BOM,
    CRLF,
    sql_formula_prefix,
    sql_quick_formula_prefix,
    sql_text_cell,
    text_cell,
)
from auditui.store import answer_export as sql
from auditui.store import answer_reader

AUDIT_CELL = '"audit-1",'
QUESTION_CELLS = '"tool",1,"section","q1","1.1","Question?"'


def _answers_db() -> sqlite3.Connection:
    """The tables the answers SQL reads, with one audit and one question (no pre-built value)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE audits (id TEXT PRIMARY KEY, tool_id TEXT, tool_version INTEGER)")
    conn.execute(
        "CREATE TABLE answers (audit_id TEXT, question_id TEXT, value TEXT, evidence TEXT,"
        " answered_by TEXT, answered_at TEXT)"
    )
    conn.execute(sql.ATTACH)
    for statement in sql.EXPORT_TABLES:
        conn.execute(statement)
    conn.execute("INSERT INTO audits VALUES ('audit-1', 'tool', 1)")
    conn.execute(sql.INSERT_TOOLS, ("tool", 1, 0))
    conn.execute(sql.INSERT_QUESTIONS, (0, "q1", QUESTION_CELLS))
    conn.execute("INSERT INTO export.export_audits VALUES ('audit-1', 0, ?)", (AUDIT_CELL,))
    return conn


DB = _answers_db()


def chunk(labels: bool, quick: bool) -> str:
    if quick:
        return answers_table._chunk_sql(labels)  # the statement the export runs
    return sql.chunk_sql(labels, sql_text_cell, sql_formula_prefix, quick=False)


QUICK = {labels: chunk(labels, True) for labels in (False, True)}
GENERAL = {labels: chunk(labels, False) for labels in (False, True)}


def exported_line(
    value: object, evidence: object, by: object, at: object, statements: dict[bool, str] = QUICK
) -> str:
    """The line the answers SQL makes of one answer, the same with ids and with labels."""
    DB.execute("DELETE FROM answers")
    DB.execute(
        "INSERT INTO answers VALUES ('audit-1', 'q1', ?, ?, ?, ?)", (value, evidence, by, at)
    )
    lines = set()
    for statement in statements.values():
        data, rows = DB.execute(statement, (0, 1 << 62)).fetchone()
        assert rows == 1
        lines.add(bytes(data).decode("utf-8", "surrogateescape"))
    assert len(lines) == 1
    return lines.pop()


def expected(value: str | None, evidence: str | None, by: str, at: str) -> str:
    cells = [value_cell(None, None, value, False), text_cell(evidence or ""), text_cell(by)]  # type: ignore[arg-type]
    return AUDIT_CELL + QUESTION_CELLS + "," + ",".join([*cells, text_cell(at)]) + CRLF


JSON_STRINGS = st.builds(
    lambda text, ascii_only, after: json.dumps(text, ensure_ascii=ascii_only) + after,
    st.text(max_size=12),
    st.booleans(),
    st.sampled_from(["", " ", "  ", "\n", " x", '"', "\\"]),
)
"""Stored values that are, or nearly are, one JSON string: with escapes or without, formula
starts, quotes, trailing spaces (still valid) and trailing junk (invalid)."""


def test_without_the_shortcuts_the_statement_is_the_general_one() -> None:
    assert GENERAL[False] != QUICK[False]
    assert "unicode(a.value) = 34" not in GENERAL[False] + GENERAL[True]
    assert " AS TEXT)" not in GENERAL[False] + GENERAL[True]


ANY_TEXT = st.text(max_size=8)
"""Any text, NUL and lone surrogates aside (SQLite and Python disagree on those anyway)."""


@settings(max_examples=700, deadline=None)
@given(
    st.one_of(
        JSON_STRINGS, ANY_TEXT, st.binary(max_size=6), st.integers(-(2**63), 2**63 - 1), st.none()
    ),
    st.one_of(st.none(), ANY_TEXT, st.binary(max_size=4)),
    st.one_of(ANY_TEXT, st.binary(max_size=4), st.integers(-(2**63), 2**63 - 1)),
    st.one_of(ANY_TEXT, st.binary(max_size=4)),
)
def test_any_answer_makes_the_line_the_general_statement_makes(
    value: object, evidence: object, by: object, at: object
) -> None:
    quick = exported_line(value, evidence, by, at)
    assert quick == exported_line(value, evidence, by, at, GENERAL)
    stored_string = value is None or (isinstance(value, str) and value.lstrip()[:1] == '"')
    texts = (value, evidence, by, at)
    nul_free = all(t is None or (isinstance(t, str) and "\x00" not in t) for t in texts)
    if stored_string and nul_free and "\\u0000" not in str(value):
        # json.loads and SQLite agree on strings (not on NaN and the like)
        assert quick == expected(value, evidence, by, at)  # type: ignore[arg-type]


def test_the_usual_and_unusual_spellings_of_a_text_answer() -> None:
    for value in (
        '"2026-08-27"',
        '"=1+1"',
        '"-"',
        '""',
        '"trailing" ',
        '"two"  ',
        ' "leading"',
        '"y\\u0065s"',
        '"\\"quoted\\""',
        '"a"b"',
        '"unterminated',
        '"',
        '"\t tab inside"',
    ):
        assert exported_line(value, None, "Tom", "2026") == expected(value, None, "Tom", "2026")
        for nul in ('"a\x00"', '"=a"\x00"', '"a"\x00junk'):  # SQLite's text ends at a NUL
            assert exported_line(nul, nul, "Tom", nul) == exported_line(
                nul, nul, "Tom", nul, GENERAL
            )


FIRST_CHARACTERS = [chr(c) for c in range(0x80)] + ["é", "\u00a0", "\u202e", "🙂"]


def _prefixes(value: object) -> tuple[str, str]:
    full = DB.execute(f"SELECT {sql_formula_prefix('?1')}", (value,)).fetchone()[0]
    DB.execute("CREATE TEMP TABLE IF NOT EXISTS one (c)")
    DB.execute("DELETE FROM one")
    DB.execute("INSERT INTO one VALUES (?)", (value,))
    quick, for_times = DB.execute(
        f"SELECT {sql_quick_formula_prefix('c')}, {sql_quick_formula_prefix('c', times=True)}"
        " FROM one"
    ).fetchone()
    assert for_times == quick  # the bands tried in the other order: the same answer
    return full, quick


def test_the_quick_formula_check_agrees_for_every_first_character_text_or_blob() -> None:
    for first in FIRST_CHARACTERS:
        for rest in ("", "x", "=", "\x00"):
            text = first + rest
            for value in (text, text.encode()):
                full, quick = _prefixes(value)
                assert quick == full, (value, full, quick)
    for value in (None, "", b"", -5, 0, 2.5, -0.25):
        assert _prefixes(value)[1] == _prefixes(value)[0], value
    assert _prefixes(b"=cmd")[1] == "'"  # a blob is judged by its text: no way round the check


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=6), st.binary(max_size=6), st.integers(-(2**63), 2**63 - 1), st.floats()
    )
)
def test_the_quick_formula_check_agrees_on_any_value(value: object) -> None:
    full, quick = _prefixes(value)
    assert quick == full


# The export's tables: each reader's own, never the database's own


def _answers(ws: Any, readers: int) -> bytes:
    stream = io.BytesIO()
    write_csv(ws, "answers", stream, readers=readers)
    return stream.getvalue()


def test_every_reader_builds_its_own_tables_and_all_write_what_one_reader_writes(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answers_table, "PARALLEL_FROM", 1)
    monkeypatch.setattr(answers_table, "HELPER_SPAN", 5)
    built: list[int] = []
    real_prepare = answer_reader.prepare
    monkeypatch.setattr(
        answer_reader, "prepare", lambda c, j: (built.append(1), real_prepare(c, j))
    )
    alone = _answers(filled.ws, 1)
    assert built == [1]
    assert _answers(filled.ws, 3) == alone
    assert built == [1, 1]  # this process's own; each helper builds its copy in its process


@pytest.mark.parametrize("readers", [1, 2])
def test_tables_of_the_same_names_in_the_database_cannot_stand_in_for_the_exports(
    filled: Filled, readers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answers_table, "PARALLEL_FROM", 1)
    expected = _answers(filled.ws, readers)
    conn = sqlite3.connect(filled.ws.store.path, isolation_level=None)
    try:
        for statement in sql.EXPORT_TABLES:  # the same tables, in the database itself
            conn.execute(statement.replace("TABLE export.", "TABLE main."))
        conn.execute(
            "INSERT INTO main.export_audits SELECT id, 0, '\"=HYPERLINK(1)\",' FROM audits"
        )
        conn.execute(
            "INSERT INTO main.export_questions SELECT 0, question_id, '=1' FROM answers"
            " GROUP BY question_id"
        )
    finally:
        conn.close()
    assert _answers(filled.ws, readers) == expected


# The helpers' lines moved from their pipes into the file by the kernel


@pytest.mark.parametrize("labels", [False, True])
def test_lines_moved_from_the_helpers_pipes_make_the_same_file(
    filled: Filled, tmp_path: Path, labels: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answers_table, "PARALLEL_FROM", 1)
    monkeypatch.setattr(answers_table, "HELPER_SPAN", 3)
    monkeypatch.setattr(output, "WRITEBACK_BYTES", 1000)  # hand bytes to the disk often too
    moved: list[int] = []
    real = output.WritingBack.move_from_pipe
    monkeypatch.setattr(
        output.WritingBack,
        "move_from_pipe",
        lambda self, fd, length: moved.append(length) or real(self, fd, length),
    )
    stream = io.BytesIO()
    rows = write_csv(filled.ws, "answers", stream, labels=labels, readers=1)
    written: list[int] = []  # the BOM, then this process's own blocks
    real_raw = output.BlockWriter.raw
    monkeypatch.setattr(
        output.BlockWriter,
        "raw",
        lambda self, block: written.append(len(block)) or real_raw(self, block),
    )
    out = tmp_path / "answers.csv"
    result = export_csv(filled.ws, "answers", out, labels=labels, readers=2)
    assert out.read_bytes() == stream.getvalue()
    assert result.rows == rows
    header = len(_head(stream)) - len(BOM)
    assert len(moved) > 10 and len(written) > 10  # the helper's turns, and this process's
    assert sum(moved) + sum(written) + header == len(stream.getvalue())
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def _head(stream: io.BytesIO) -> bytes:
    """The BOM and the header line, which this process writes itself."""
    data = stream.getvalue()
    return data[: data.index(b"\r\n") + 2]


def test_the_tables_are_built_on_the_helpers_snapshot_though_writers_go_on_meanwhile(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock is let go once every snapshot is taken, before the helpers build their
    tables; a commit that lands then (here: every audit's tool version changed, which
    changes every line) is not in the export."""
    monkeypatch.setattr(answers_table, "PARALLEL_FROM", 1)
    expected = _answers(filled.ws, 1)
    real_release = sql.release
    released: list[int] = []

    def release_then_write(conn: sqlite3.Connection) -> None:
        real_release(conn)
        writer = sqlite3.connect(filled.ws.store.path, isolation_level=None)
        try:
            writer.execute("UPDATE audits SET tool_version = tool_version + 100")
        finally:
            writer.close()
        released.append(1)

    monkeypatch.setattr(answers_table.sql, "release", release_then_write)
    assert _answers(filled.ws, 2) == expected
    assert released == [1]
    monkeypatch.setattr(answers_table.sql, "release", real_release)
    assert _answers(filled.ws, 1) != expected  # the commit did land


@pytest.mark.parametrize("readers", [2, 3, 4])
@pytest.mark.parametrize(("low", "high"), [(1, 1), (1, 4096), (7, 50_003), (1, 1 << 20)])
def test_the_turns_cover_every_rowid_once_in_order_and_rotate_through_the_readers(
    readers: int, low: int, high: int
) -> None:
    turns = answers_table._turns(low, high, readers)
    assert turns[0][0] == low and turns[-1][1] > high
    assert all(a[1] == b[0] for a, b in zip(turns, turns[1:], strict=False))  # no gap, no overlap
    assert [reader for _, _, reader in turns] == [n % readers for n in range(len(turns))]
    spans = {
        reader: {end - start for start, end, r in turns if r == reader} for reader in range(readers)
    }
    own, helpers = max(spans[0]), set().union(*(spans[n] for n in range(1, readers)))
    assert helpers <= {answers_table.HELPER_SPAN} and own <= answers_table.HELPER_SPAN
