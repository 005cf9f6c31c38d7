"""The SQL that builds the answers table's CSV lines inside SQLite.

``export.answers_table`` decides what goes in the cells; the statements that
run against the local database are here, with the rest of the store's SQL.
Python writes, once per export, small tables of finished cells built from
the tools into an in-memory database of the export's own (``ATTACH``,
``EXPORT_TABLES``, ``INSERT_*``); the chosen audits go in ``export_audits``
(``audits_sql``); then ``chunk_sql`` turns one rowid range of answers into
one blob of CSV lines. How a text becomes a safe cell is
the export's rule (``export.cells``), so it is handed in as two functions
that give SQL expressions, and this module only puts them in place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SqlOf = Callable[[str], str]
"""Given an SQL expression, SQL for something computed from it."""

ATTACH = "ATTACH ':memory:' AS export"
"""The export's own tables live in an in-memory database of their own, ``export``: each
reader (this process and every helper) builds its own copy on the one snapshot, and names
it in every statement, so no table of the same name in the database itself can stand in
for them. Attached before the connection's snapshot begins (SQLite attaches nothing inside
a transaction)."""

EXPORT_CACHE = "PRAGMA export.cache_size = -262144"
"""Keep every page of the export's tables in the page cache (up to 256 MiB; at 45,000
audits they are 4.5 MiB): the default 2 MiB holds a third of them."""

EXPORT_PAGES = "PRAGMA export.page_size = 65536"
"""Run before the first table: large pages make the look-ups into ``export_audits`` (one
per answer) shallower. Measured at 417,000 answers: 4% less work."""

EXPORT_TABLES = (
    "CREATE TABLE export.export_tools (tool_id TEXT, tool_version INTEGER, k INTEGER,"
    " PRIMARY KEY (tool_id, tool_version)) WITHOUT ROWID",
    "CREATE TABLE export.export_questions (k INTEGER, question_id TEXT, cells TEXT,"
    " PRIMARY KEY (k, question_id)) WITHOUT ROWID",
    "CREATE TABLE export.export_values (k INTEGER, question_id TEXT, raw TEXT, cells TEXT,"
    " PRIMARY KEY (k, question_id, raw)) WITHOUT ROWID",
    "CREATE TABLE export.export_options (k INTEGER, question_id TEXT, id TEXT, label TEXT,"
    " PRIMARY KEY (k, question_id, id)) WITHOUT ROWID",
    "CREATE TABLE export.export_audits (id TEXT PRIMARY KEY, k INTEGER, cell TEXT) WITHOUT ROWID",
)
"""Per export: (tool, version) -> k; question cells; pre-built value cells; option labels;
the audits chosen, with their tool's k and their id's cell (quoted, formula-safe, and the
comma after it: made once per audit rather than once per answer)."""

INSERT_TOOLS = "INSERT INTO export.export_tools VALUES (?, ?, ?)"
INSERT_QUESTIONS = "INSERT INTO export.export_questions VALUES (?, ?, ?)"
INSERT_VALUES = "INSERT INTO export.export_values VALUES (?, ?, ?, ?)"
INSERT_OPTIONS = "INSERT INTO export.export_options VALUES (?, ?, ?, ?)"


def audits_sql(clause: str, text_cell: SqlOf) -> str:
    """Fill ``export_audits`` from ``audits u`` filtered by ``clause`` (from ``export_filter``);
    ``text_cell`` as for ``chunk_sql``."""
    return (
        "INSERT INTO export.export_audits (id, k, cell)"
        f" SELECT u.id, t.k, {text_cell('u.id')} || ',' FROM main.audits u"
        " LEFT JOIN export.export_tools t ON t.tool_id = u.tool_id"
        f" AND t.tool_version = u.tool_version{clause}"
        " ORDER BY u.id"  # walks audits_by_id_tool (V10): rows come in order, nothing sorted
    )


def rowid_bounds(conn: sqlite3.Connection) -> tuple[int, int] | None:
    """The answers table's first and last rowid: two seeks.

    Each in its own subquery: SQLite answers a lone ``min()`` or ``max()``
    from the end of the table, but ``min(rowid), max(rowid)`` together from a
    scan of the whole table (measured: 80 ms at a million answers).
    """
    low, high = conn.execute(
        "SELECT (SELECT min(rowid) FROM answers), (SELECT max(rowid) FROM answers)"
    ).fetchone()
    return None if low is None else (low, high)


def hold_writers(conn: sqlite3.Connection) -> bool:
    """Take the write lock (writing nothing) so no commit falls between readers' snapshots;
    False if a writer holds it now."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    return True


def release(conn: sqlite3.Connection) -> None:
    """End the transaction ``hold_writers`` or a snapshot began (nothing was written to the
    database; the export's own tables go with it)."""
    conn.execute("ROLLBACK")


def chunk_sql(
    labels: bool,
    text_cell: SqlOf,
    formula_prefix: SqlOf,
    column_prefix: SqlOf | None = None,
    quick: bool = True,
    time_prefix: SqlOf | None = None,
) -> str:
    """One rowid range of answers as one blob of CSV lines, and how many rows.

    ``text_cell`` gives SQL for a quoted, formula-safe cell of an expression;
    ``formula_prefix`` SQL for the ``'`` (or nothing) that goes before it, and
    ``column_prefix`` the same for a plain column (it may name it several times);
    ``time_prefix`` the same again for the answered-at column, quicker for a time.
    ``quick=False``: without the shortcuts (the same bytes, more work per row), the
    reference the tests hold the quick SQL to.
    """
    column_prefix = column_prefix if column_prefix and quick else formula_prefix
    time_prefix = time_prefix if time_prefix and quick else column_prefix
    if labels:
        items = (
            "(SELECT group_concat(coalesce(o.label, j.value), ';') FROM json_each(a.value) j"
            " LEFT JOIN export.export_options o ON o.k = x.k AND o.question_id = a.question_id"
            " AND o.id = j.value)"
        )
    else:
        items = "(SELECT group_concat(j.value, ';') FROM json_each(a.value) j)"
    # Answers with no pre-built cell: text, numbers, dates, unusual spellings.
    text = text_cell("json_extract(a.value, '$')")
    typed = (
        "CASE json_type(a.value) WHEN 'integer' THEN a.value WHEN 'real' THEN a.value"
        f" WHEN 'text' THEN {text} WHEN 'array' THEN {text_cell(items)}"
        f" ELSE {text_cell('a.value')} END"
    )
    # Most of them (dates, free text) are a JSON string with no escape in it: such a
    # string is already its own CSV cell, quoted at both ends with no quote inside (JSON
    # would have escaped it), its text between them as json_extract gives it; only a
    # formula start needs the ' after the opening quote. Valid JSON may end in spaces
    # after the closing quote: hence the last character is checked too.
    inner = "substr(a.value, 2)"
    plain_string = (
        "unicode(a.value) = 34 AND substr(a.value, -1) = '\"' AND instr(a.value, '\\') = 0"
    )
    quoted_after_opening = "'\"''' || " + inner
    general_value = (
        "CASE WHEN a.value IS NULL THEN ''"
        f" WHEN NOT json_valid(a.value) THEN {text_cell('a.value')}"
        + (
            f" WHEN {plain_string} THEN CASE {formula_prefix(inner)} WHEN '' THEN a.value"
            f" ELSE {quoted_after_opening} END"
            if quick
            else ""
        )
        + f" ELSE {typed} END"
    )
    # An audit whose tool version is no longer loaded: its ids, without number or texts.
    unknown_tool = (
        f"(SELECT {text_cell('u.tool_id')} || ',' || u.tool_version FROM main.audits u"
        f' WHERE u.id = a.audit_id) || \',"",\' || {text_cell("a.question_id")} || \',"",""\''
    )
    question = (
        "coalesce((SELECT q.cells FROM export.export_questions q WHERE q.k = x.k"
        f" AND q.question_id = a.question_id), {unknown_tool})"
    )
    respelled = ""
    if labels:  # a choice stored in a spelling not pre-built: its label all the same
        respelled = (
            " CASE WHEN json_valid(a.value) AND json_type(a.value) = 'text' THEN"
            " (SELECT w.cells FROM export.export_values w WHERE w.k = x.k"
            " AND w.question_id = a.question_id AND w.raw = json_quote(json_extract(a.value, '$'))) END,"
        )
    cells = f"coalesce(v.cells,{respelled} {question} || ',' || {general_value})"
    # The audit id's cell is the audit's (x.cell, the same bytes: x.id = a.audit_id).
    # Evidence, answered by, answered at: quoted and made formula-safe in the row's one
    # format() call, as text_cell does cell by cell. Most answers have no evidence: their
    # line is made with two arguments fewer.
    by, at = BY_AT
    by_at = f"{column_prefix(by)}, coalesce({by}, ''), {time_prefix(at)}, coalesce({at}, '')"
    crlf = " || char(13, 10)"
    every = (
        f'format(\'%s%s,"%s%w","%s%w","%s%w"\'{crlf}, x.cell, {cells},'
        f" {column_prefix('a.evidence')},"
    )
    row = f"{every} coalesce(a.evidence, ''), {by_at})"
    if quick:
        row = (
            "CASE WHEN a.evidence IS NULL THEN"
            f' format(\'%s%s,"","%s%w","%s%w"\'{crlf}, x.cell, {cells}, {by_at})'
            f" ELSE {every} a.evidence, {by_at}) END"
        )
    return (
        f"SELECT CAST(group_concat({row}, '') AS BLOB), count(*)"
        " FROM main.answers a CROSS JOIN export.export_audits x ON x.id = a.audit_id"
        " LEFT JOIN export.export_values v ON v.k = x.k AND v.question_id = a.question_id"
        " AND v.raw = a.value"
        " WHERE a.rowid >= ? AND a.rowid < ?"
    )


BY_AT = ("a.answered_by", "a.answered_at")
