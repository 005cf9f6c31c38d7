"""The answers table's SQL-built lines against lines built in Python with ``cells``.

The services always store an answer as ``json.dumps`` of a known value, and
most answers take a pre-built cell. Here every other path is driven too:
values stored as other writers (an older version, a hub, a hand edit) might
have left them (numbers, negative numbers, text with formula starts, escaped
unicode, odd spellings of a choice, multi values in any order, arrays with
hostile items, invalid JSON, NULL), next to hostile evidence, answered-by and
answered-at text. Each exported line must equal, byte for byte, the line
that ``cells.text_cell`` and a plain reading of the tool give, with ids and
with labels, read alone and by helper processes.
"""

from __future__ import annotations

import io
import json
import sqlite3
from typing import Any

import pytest
from export_support import HOSTILE, Filled

from auditui.export import answers_table, write_csv
from auditui.export.cells import CRLF, text_cell
from auditui.tools.models import AuditTool, Question
from auditui.tools.numbering import form_numbers
from auditui.tools.scales import ANSWER_LABELS

QUESTIONS = ("notes", "plan_smart", "route", "tools_used", "quality", "balance")

RAW_VALUES: tuple[str | None, ...] = (
    *(json.dumps(text) for text in HOSTILE),
    *(json.dumps(text, ensure_ascii=False) for text in HOSTILE),
    "-5",
    "0",
    "2.5",
    "-0.25",
    "1e5",
    "12345678901234",
    "true",
    "null",
    '{"a": 1}',
    "[]",
    '["=a", "b;c"]',
    '["momo", "other"]',
    '["other","momo"]',
    '[ "three_houses" ]',
    "[1, 2]",
    '["t9", "-x"]',
    "not json",
    "=1+1",
    '"unterminated',
    '"yes"',
    '"y\\u0065s"',
    ' "partly" ',
    '"na"',
    '"school"',
    '"requires_improvement"',
    '"@x"',
    '"\\t tab"',
    '"\\r return"',
    '"+44"',
    '"-"',
    '""',
    None,
)
"""Stored answer values (JSON text as the ``answers.value`` column holds it)."""


def shown_choices(tool: AuditTool, q: Question) -> set[str]:
    """The single values that the export shows as a label with ``--labels``."""
    if q.type == "multi":
        return {"na"} if q.allow_na else set()
    return set(q.choice_values(tool.scale_def) or ()) | ({"na"} if q.allow_na else set())


def label(tool: AuditTool, q: Question, value: str) -> str:
    if value == "na":
        return "N/A"
    if q.type == "grade":
        return tool.scale_def.label(value)
    if q.type in ("choice", "multi"):
        return {o.id: o.label for o in q.options or ()}.get(value, value)
    return ANSWER_LABELS.get(value, value)


def item_text(item: Any) -> str:
    return item if isinstance(item, str) else json.dumps(item)


def value_cell(tool: AuditTool, q: Question, raw: str | None, labels: bool) -> str:
    """The value cell, worked out in Python from the documented rules."""
    if raw is None:
        return ""
    try:
        value = json.loads(raw)
    except ValueError:
        return text_cell(raw)
    if isinstance(value, bool) or value is None or isinstance(value, dict):
        return text_cell(raw)
    if isinstance(value, int | float):
        return raw  # bare, as stored: a number stays a number
    if isinstance(value, str):
        if labels and value in shown_choices(tool, q):
            return text_cell(label(tool, q, value))
        return text_cell(value)
    options = {o.id: o.label for o in q.options or ()} if labels else {}
    return text_cell(";".join(options.get(i, item_text(i)) for i in value))


def expected_line(tool: AuditTool, row: sqlite3.Row, labels: bool) -> str:
    q = tool.question(row["question_id"])
    assert q is not None
    cells = [
        text_cell(row["audit_id"]),
        text_cell(tool.id),
        str(tool.version),
        text_cell(tool.section_of[q.id].id),
        text_cell(q.id),
        text_cell(form_numbers(tool)[q.id]),
        text_cell(q.text),
        value_cell(tool, q, row["value"], labels),
        text_cell(row["evidence"] or ""),
        text_cell(row["answered_by"]),
        text_cell(row["answered_at"]),
    ]
    return ",".join(cells) + CRLF


def store_raw_answers(filled: Filled) -> list[str]:
    """One cloned audit per raw value, answering QUESTIONS with it; their ids."""
    conn = filled.ws.store.conn
    template = dict(
        conn.execute("SELECT * FROM audits WHERE id = ?", (filled.finalised,)).fetchone()
    )
    ids = []
    with filled.ws.store.transaction():
        for n, raw in enumerate(RAW_VALUES):
            audit_id = HOSTILE[n % len(HOSTILE)][:3] + f"raw-{n:03d}"
            ids.append(audit_id)
            columns = {**template, "id": audit_id}
            conn.execute(
                f"INSERT INTO audits ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                list(columns.values()),
            )
            for m, question in enumerate(QUESTIONS):
                conn.execute(
                    "INSERT INTO answers (audit_id, question_id, value, evidence, answered_by,"
                    " answered_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        audit_id,
                        question,
                        raw,
                        None if m == 0 else HOSTILE[(n + m) % len(HOSTILE)],
                        HOSTILE[(n + 2 * m) % len(HOSTILE)],
                        HOSTILE[(n + 3 * m) % len(HOSTILE)],
                    ),
                )
    return ids


@pytest.mark.parametrize("labels", [False, True])
@pytest.mark.parametrize("helpers", [False, True])
def test_every_sql_path_writes_the_line_python_writes(
    filled: Filled, labels: bool, helpers: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = store_raw_answers(filled)
    if helpers:
        monkeypatch.setattr(answers_table, "PARALLEL_FROM", 1)
        monkeypatch.setattr(answers_table, "HELPER_SPAN", 5)
    tool = filled.ws.library.get("export-test", 1)
    rows = filled.ws.store.conn.execute(
        f"SELECT * FROM answers WHERE audit_id IN ({', '.join('?' * len(ids))}) ORDER BY rowid",
        ids,
    ).fetchall()
    assert len(rows) == len(RAW_VALUES) * len(QUESTIONS)
    expected = "".join(expected_line(tool, row, labels) for row in rows).encode()
    stream = io.BytesIO()
    write_csv(filled.ws, "answers", stream, labels=labels, readers=2 if helpers else 1)
    assert stream.getvalue().endswith(expected)  # the raw answers were written last


def test_the_reference_itself_neutralises_and_keeps_numbers_bare(filled: Filled) -> None:
    tool = filled.ws.library.get("export-test", 1)
    notes, tools_used, plan = (tool.question(q) for q in ("notes", "tools_used", "plan_smart"))
    assert notes is not None and tools_used is not None and plan is not None
    assert value_cell(tool, notes, '"=1+1"', False) == '"\'=1+1"'
    assert value_cell(tool, notes, "-5", True) == "-5"
    assert value_cell(tool, tools_used, '["other", "momo"]', True) == (
        '"\'-Other, ""odd"";Mind of My Own"'
    )
    assert value_cell(tool, plan, ' "partly" ', True) == '"Partly"'
    assert value_cell(tool, notes, None, False) == ""
