"""The answers table's cells that come from the tools, built once and remembered.

For each tool version and question the export writes the tool, version,
section, question id, number and text cells, and for each choice answer its
value cell (id or label), as finished CSV text into small temporary tables
(``answers_table``); SQLite joins each answer to them.

These cells depend on the tool files alone, yet building them means loading
the tools, and loading the tools means importing their models and the
validation library (about 130 ms, a fifth of a large export from the
command line, which starts a new process every time). So the command hands
in the folders its tools come from, and the cells are kept in the user's
cache under the library's fingerprint (``tools.fingerprint``: the files'
bytes and the code that reads them) and this module's own code: an export
whose tools have not changed reads them back and never loads a tool. Like
every auditui cache it is owner-only, and a missing, stale or malformed one
is ignored (the tools are loaded and the cells built as without it).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditui.export.cells import FORMULA_STARTS, text_cell
from auditui.store.values import encode_value
from auditui.user_cache import cache_path, read_cache, write_cache

if TYPE_CHECKING:
    from auditui.tools.library import ToolLibrary
    from auditui.tools.models import AuditTool, Question

MULTI_ENUMERATED = 8
"""Multi questions with up to this many options have every answer pre-built."""

CACHE_NAME = "export-tool-cells.json"
FORMAT = 1


@dataclass(frozen=True)
class ToolCells:
    """The temporary tables' rows, built once in Python from the loaded tools."""

    tools: list[tuple[str, int, int]]
    """(tool id, version, k): k numbers the tool versions for the other tables."""
    questions: list[tuple[int, str, str]]
    """(k, question id, its cells: tool, version, section, question, number, text)."""
    values: list[tuple[int, str, str, str]]
    """(k, question id, a choice answer as stored, the question's cells and the value cell)."""
    options: list[tuple[int, str, str, str]]
    """(k, question id, option id, option label), with labels only."""

    def rows(self) -> list[list[Any]]:
        return [list(self.tools), list(self.questions), list(self.values), list(self.options)]


def tool_cells(
    library: Callable[[], ToolLibrary], labels: bool, tool_dirs: list[Path] | None = None
) -> ToolCells:
    """The cells of the tools ``library()`` gives, read from the cache when ``tool_dirs`` (the
    folders that library is loaded from, shipped tools aside) say they have not changed."""
    if tool_dirs is None:
        return build_cells(library(), labels)
    producer = _producer(tool_dirs)
    if producer is not None:
        cached = _from_payload(read_cache(cache_path(CACHE_NAME), producer), labels)
        if cached is not None:
            return cached
    loaded = library()
    both = {"ids": build_cells(loaded, False), "labels": build_cells(loaded, True)}
    if producer is not None:
        payload = {name: cells.rows() for name, cells in both.items()}
        write_cache(cache_path(CACHE_NAME), producer, payload)
    return both["labels" if labels else "ids"]


def _producer(tool_dirs: list[Path]) -> str | None:
    from auditui.tools.fingerprint import library_fingerprint, source_digest

    library = library_fingerprint(tool_dirs)
    if library is None:
        return None
    here = Path(__file__).parent
    own = [here / "tool_cells.py", here / "cells.py", here.parent / "store" / "values.py"]
    try:
        code = source_digest(own)
    except OSError:
        return None
    return f"{FORMAT}:{library}:{code}"


_SHAPES = ((str, int, int), (int, str, str), (int, str, str, str), (int, str, str, str))
"""The types of each table's columns, to refuse a cache that is not what this module wrote."""


def _from_payload(payload: Any, labels: bool) -> ToolCells | None:
    tables = payload.get("labels" if labels else "ids") if isinstance(payload, dict) else None
    if not isinstance(tables, list) or len(tables) != len(_SHAPES):
        return None
    for rows, shape in zip(tables, _SHAPES, strict=True):
        if not isinstance(rows, list):
            return None
        if not all(type(row) is list and tuple(map(type, row)) == shape for row in rows):
            return None
    tools, questions, values, options = ([tuple(row) for row in rows] for rows in tables)
    finished = [row[-1] for row in questions] + [row[-1] for row in values]
    if not all(_SAFE_CELLS.fullmatch(cells) for cells in finished):
        return None
    return ToolCells(tools, questions, values, options)


_TEXT = '"(?![' + re.escape("".join(FORMULA_STARTS)) + '])(?:[^"]|"")*"'
_SAFE_CELLS = re.compile(f"{_TEXT},-?[0-9]+(?:,{_TEXT}){{4,5}}", re.DOTALL)
"""What ``build_cells`` writes and nothing else: quoted, formula-safe text cells and the
version. The cached cells go into the export as they are, so a cache someone altered must
not be able to bring in a formula or a broken line."""


def build_cells(library: ToolLibrary, labels: bool) -> ToolCells:
    from auditui.tools.numbering import form_numbers

    tools, questions, options = [], [], {}
    values: dict[tuple[int, str, str], str] = {}
    for k, (key, tool) in enumerate(sorted(library.tools.items())):
        tools.append((*key, k))
        numbers = form_numbers(tool)
        for q in tool.questions:
            cells = ",".join(
                (
                    text_cell(tool.id),
                    str(tool.version),
                    text_cell(tool.section_of[q.id].id),
                    text_cell(q.id),
                    text_cell(numbers[q.id]),
                    text_cell(q.text),
                )
            )
            questions.append((k, q.id, cells))
            for raw, shown in choice_values(tool, q, labels):
                values[(k, q.id, raw)] = cells + "," + text_cell(shown)
            if labels:
                for o in q.options or ():
                    options[(k, q.id, o.id)] = o.label
    return ToolCells(
        tools,
        questions,
        [(*key, c) for key, c in values.items()],
        [(*key, label) for key, label in options.items()],
    )


def choice_values(tool: AuditTool, q: Question, labels: bool) -> Iterator[tuple[str, str]]:
    """Each choice answer as the store spells it (``store.values``), with what the cell shows.

    Answers not listed here (text, numbers, dates, rare multi orders, and
    other spellings an older release or a hand edit left) take the general
    path in SQL, with the same result.
    """
    from auditui.tools.scales import ANSWER_LABELS

    option_labels = {o.id: o.label for o in q.options or ()}

    def shown(value: str) -> str:
        if not labels:
            return value
        if value == "na":
            return "N/A"
        if q.type == "grade":
            return tool.scale_def.label(value)
        if q.type in ("choice", "multi"):
            return option_labels.get(value, value)
        return ANSWER_LABELS.get(value, value)

    pairs: list[tuple[Any, str]] = []
    choices = q.choice_values(tool.scale_def)
    if q.type == "multi":
        ids = q.option_ids
        if len(ids) <= MULTI_ENUMERATED:
            for size in range(1, len(ids) + 1):
                for combo in itertools.combinations(ids, size):
                    pairs.append((list(combo), ";".join(shown(c) for c in combo)))
        if q.allow_na:
            pairs.append(("na", shown("na")))
    elif choices is not None:
        pairs = [(c, shown(c)) for c in choices]
    elif q.allow_na:
        pairs = [("na", shown("na"))]
    for value, text in pairs:
        raw = encode_value(value)
        assert raw is not None
        yield raw, text
