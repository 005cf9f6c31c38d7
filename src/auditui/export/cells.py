"""One CSV cell, written so Excel shows what was typed and runs none of it.

RFC 4180: every text cell is quoted and its quotes doubled, so commas,
"naïve", “curly quotes” and line breaks in evidence survive; lines end with
CRLF. Numbers are written bare, so they stay numbers (a negative score is
not text). Formula injection (OWASP "CSV injection", CWE-1236): a text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading ``'``, so a spreadsheet shows it as text instead of evaluating it.

The same rules exist twice, in Python (for the small tables) and as SQL
(for the answers table, where SQLite builds whole lines, see
``answers_table``); both come from ``FORMULA_STARTS`` and the tests hold
them equal.
"""

from __future__ import annotations

import datetime as dt

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters a spreadsheet may treat as the start of a formula."""

CRLF = "\r\n"
BOM = "\ufeff".encode()
"""UTF-8 byte order mark: without it Excel reads UTF-8 as the local code page."""

_STARTS = frozenset(FORMULA_STARTS)


def text_cell(text: str | None) -> str:
    """A quoted, formula-safe text cell; ``None`` is an empty cell."""
    if text is None:
        return ""
    if text and text[0] in _STARTS:
        text = "'" + text
    return '"' + text.replace('"', '""') + '"'


def number_cell(number: float | int | None, digits: int = 2) -> str:
    """A bare number (floats rounded to ``digits``); ``None`` is an empty cell."""
    if number is None:
        return ""
    if isinstance(number, bool):
        return "1" if number else "0"
    if isinstance(number, int):
        return str(number)
    rounded = round(number, digits)
    return str(int(rounded)) if rounded.is_integer() else repr(rounded)


def date_cell(day: dt.date | str | None) -> str:
    """An ISO 8601 date (text, so no spreadsheet re-reads it in a local format)."""
    if day is None:
        return ""
    return text_cell(day.isoformat() if isinstance(day, dt.date) else day)


def line(cells: list[str]) -> str:
    return ",".join(cells) + CRLF


def sql_formula_prefix(expr: str) -> str:
    """SQL giving ``'`` when the text ``expr`` starts like a formula, else ``''``."""
    whens = " ".join(f"WHEN {ord(c)} THEN ''''" for c in FORMULA_STARTS)
    return f"CASE unicode({expr}) {whens} ELSE '' END"


def sql_text_cell(expr: str) -> str:
    """SQL for ``text_cell(expr)``: SQLite's ``%w`` doubles the double quotes.

    ``expr`` appears twice, so keep it cheap or accept evaluating it twice.
    NULL becomes an empty quoted cell (``""``), which reads back as empty.
    """
    return f"format('\"%s%w\"', {sql_formula_prefix(expr)}, coalesce({expr}, ''))"
