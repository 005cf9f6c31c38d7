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
them equal. Every other CSV auditui writes (``actions``, ``audit list``,
``report`` with ``--format csv``) builds its lines with ``csv_line``, so no
command can write a cell these rules have not seen.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

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
    from auditui.domain.percent import round_half_up  # decimal: only for a float

    rounded = round_half_up(number, digits)
    return str(int(rounded)) if rounded.is_integer() else repr(rounded)


def date_cell(day: dt.date | str | None) -> str:
    """An ISO 8601 date (text, so no spreadsheet re-reads it in a local format)."""
    if day is None:
        return ""
    return text_cell(day.isoformat() if isinstance(day, dt.date) else day)


def line(cells: list[str]) -> str:
    return ",".join(cells) + CRLF


def value_cell(value: object) -> str:
    """Any value a command prints as CSV: text formula-safe, numbers bare, dates ISO.

    ``None`` is an empty cell and a truth value is ``true``/``false`` (as in
    JSON); floats are written as given (round them first), never in a
    scientific form a spreadsheet would turn into text.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return text_cell(repr(value))
        if value.is_integer():
            return str(int(value))
        text = repr(value)
        return text if "e" not in text else format(value, ".20f").rstrip("0")
    if isinstance(value, dt.date):
        return date_cell(value)
    return text_cell(str(value))


def csv_line(values: Iterable[object]) -> str:
    """One CSV line (RFC 4180, CRLF) of ``value_cell`` cells: the one way commands write CSV."""
    return line([value_cell(v) for v in values])


def sql_formula_prefix(expr: str) -> str:
    """SQL giving ``'`` when the text ``expr`` starts like a formula, else ``''``."""
    whens = " ".join(f"WHEN {ord(c)} THEN ''''" for c in FORMULA_STARTS)
    return f"CASE unicode({expr}) {whens} ELSE '' END"


SAFE_BANDS = (("A", None), (".", "="))
"""Text from ``A`` on, or from ``.`` up to (not including) ``=``, cannot start with a formula
start (tab, CR, ``+``, ``-``, ``=``, ``@`` are all below ``A`` and outside ``.``-``<``):
names fall in the first band, dates and times in the second."""


def sql_quick_formula_prefix(column: str, times: bool = False) -> str:
    """``sql_formula_prefix`` of a column, cheaper for the usual cell: a comparison or two
    of its text settles most rows before ``unicode()`` and its six cases run (measured: 4%
    less work for the answers table's evidence, answered-by and answered-at cells).

    ``column`` appears up to five times, so give a column, not a computed expression. Its
    text is compared, not its value: a blob or a number is judged by the text it is written
    as, exactly as ``unicode()`` reads it. ``times``: the column usually holds dates and
    times, so the band they fall in is tried first (the same answer, one comparison fewer
    for them: 2.6% less work for the whole answers table, median of 7).
    """
    text = f"CAST({column} AS TEXT)"
    bands = " OR ".join(
        f"{text} >= '{low}'" if high is None else f"({text} >= '{low}' AND {text} < '{high}')"
        for low, high in (SAFE_BANDS[::-1] if times else SAFE_BANDS)
    )
    return f"CASE WHEN {bands} THEN '' ELSE {sql_formula_prefix(column)} END"


def sql_text_cell(expr: str) -> str:
    """SQL for ``text_cell(expr)``: SQLite's ``%w`` doubles the double quotes.

    ``expr`` appears twice, so keep it cheap or accept evaluating it twice.
    NULL becomes an empty quoted cell (``""``), which reads back as empty.
    """
    return f"format('\"%s%w\"', {sql_formula_prefix(expr)}, coalesce({expr}, ''))"
