"""`export_csv` over a real database: what Excel and a BI analyst get.

Everything goes through the real export into real bytes, and is read back
with the ``csv`` module as a spreadsheet would read it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import stat
from pathlib import Path

import pytest
from export_support import (
    HOSTILE,
    USER,
    Filled,
    as_dicts,
    expected_cell,
    make_workspace,
    read_csv,
)

from auditui.errors import InvalidAnswerError
from auditui.export import ExportFilter, answers_table, export_csv, write_csv
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary
from auditui.tools.models import AuditTool, Question
from auditui.tools.scales import ANSWER_LABELS


def export_bytes(ws: Workspace, table: str, **options: object) -> bytes:
    stream = io.BytesIO()
    write_csv(ws, table, stream, **options)  # type: ignore[arg-type]
    return stream.getvalue()


# Excel: BOM, CRLF, RFC 4180, formula injection


@pytest.mark.parametrize("table", ["audits", "answers", "actions", "grades"])
def test_every_table_starts_with_a_bom_and_ends_lines_with_crlf(filled: Filled, table: str) -> None:
    data = export_bytes(filled.ws, table)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    rows = read_csv(data)
    assert len(rows) > 1 and all(len(row) == len(rows[0]) for row in rows)
    assert not export_bytes(filled.ws, table, bom=False).startswith(b"\xef\xbb\xbf")


def test_the_hostile_corpus_survives_the_answers_table_and_is_neutralised(filled: Filled) -> None:
    for labels in (False, True):
        rows = as_dicts(export_bytes(filled.ws, "answers", labels=labels))
        for audit_id, text in zip(filled.hostile_audits, HOSTILE, strict=True):
            mine = {r["question_id"]: r for r in rows if r["audit_id"] == audit_id}
            assert mine["notes"]["value"] == expected_cell(text)
            assert mine["plan_smart"]["evidence"] == expected_cell(text)
            assert mine["quality"]["evidence"] == expected_cell(text.rstrip())
            assert mine["plan_smart"]["answered_by"] == expected_cell(USER)
        question = next(r for r in rows if r["question_id"] == "quality")
        assert question["question_text"] == '\'=SUM(1,2) how good is the "plan"?'


def test_the_hostile_corpus_survives_the_audits_and_actions_tables(filled: Filled) -> None:
    rows = {r["audit_id"]: r for r in as_dicts(export_bytes(filled.ws, "audits"))}
    for audit_id, text in zip(filled.hostile_audits, HOSTILE, strict=True):
        assert rows[audit_id]["team"] == expected_cell(text)
        assert rows[audit_id]["practitioner"] == expected_cell(text)
    owners = {r["owner"] for r in as_dicts(export_bytes(filled.ws, "actions"))}
    texts = {r["text"] for r in as_dicts(export_bytes(filled.ws, "actions"))}
    assert "'=Team manager" in owners
    assert "'-Record the contingency\nand share it" in texts


def test_numbers_are_written_bare_and_text_is_quoted(filled: Filled) -> None:
    text = export_bytes(filled.ws, "answers").decode("utf-8-sig")
    # the question's number on the form sits between its id and its text
    assert re.search(r',"balance","\d+\.\d+","A number that can be negative",-5,', text)
    assert ',"export-test",1,"practice",' in text


def test_line_breaks_inside_evidence_stay_inside_one_cell(filled: Filled) -> None:
    data = export_bytes(filled.ws, "answers")
    rows = as_dicts(data)
    assert any(r["evidence"] == "line one\nline two\r\nline three" for r in rows)
    header_and_rows = read_csv(data)
    assert all(len(r) == 11 for r in header_and_rows)


# Ids and labels


def test_ids_by_default_and_labels_on_request(filled: Filled) -> None:
    def values(labels: bool) -> dict[str, str]:
        rows = as_dicts(export_bytes(filled.ws, "answers", labels=labels))
        return {r["question_id"]: r["value"] for r in rows if r["audit_id"] == filled.finalised}

    assert values(False) == {
        "plan_smart": "partly",
        "seen_alone": "na",
        "quality": "requires_improvement",
        "tools_used": "momo;other",
        "many_tools": "t2;t9",
        "route": "school",
        "balance": "-5",
        "last_visit": "2026-02-20",
    }
    assert values(True) == {
        "plan_smart": "Partly",
        "seen_alone": "N/A",
        "quality": "Requires improvement",
        "tools_used": 'Mind of My Own;-Other, "odd"',
        "many_tools": "Tool two;@Tool nine",
        "route": "At school",
        "balance": "-5",
        "last_visit": "2026-02-20",
    }


def test_the_audits_table_has_grades_flags_and_action_counts(filled: Filled) -> None:
    rows = {r["audit_id"]: r for r in as_dicts(export_bytes(filled.ws, "audits"))}
    row = rows[filled.finalised]
    assert row["case_ref"] == "F0001" and row["status"] == "finalised"
    assert row["started_on"] == "2026-01-12" and row["ended_on"] == "2026-01-14"
    assert row["practitioner_present"] == "1" and row["complete"] == "1"
    assert row["overall_suggested"] == "requires_improvement" and row["overall_final"] == "good"
    assert row["overall_overridden"] == "1" and row["grades_overridden"] == "1"
    assert (row["actions_open"], row["actions_open_overdue"]) == ("1", "1")
    assert (row["actions_done"], row["actions_done_on_time"]) == ("2", "1")
    assert row["sections_final"] == "practice=requires_improvement;voice=good"
    labelled = {r["audit_id"]: r for r in as_dicts(export_bytes(filled.ws, "audits", labels=True))}
    row = labelled[filled.finalised]
    assert (row["case_type"], row["status"], row["practitioner_present"]) == (
        "Child in Need",
        "Finalised",
        "Yes",
    )
    assert row["overall_suggested"] == "Requires improvement"
    assert row["sections_final"] == "practice=Requires improvement;voice=Good"


def test_with_a_tool_each_section_gets_its_own_columns(filled: Filled) -> None:
    where = ExportFilter(tool="export-test")
    rows = read_csv(export_bytes(filled.ws, "audits", where=where))
    header = rows[0]
    assert header[-6:] == [
        "practice_suggested",
        "practice_final",
        "practice_overridden",
        "voice_suggested",
        "voice_final",
        "voice_overridden",
    ]
    mine = next(dict(zip(header, r, strict=True)) for r in rows if r[0] == filled.finalised)
    assert (mine["practice_final"], mine["voice_final"], mine["voice_suggested"]) == (
        "requires_improvement",
        "good",
        "",
    )


def test_the_actions_table_counts_working_days_and_on_time(filled: Filled) -> None:
    rows = sorted(as_dicts(export_bytes(filled.ws, "actions")), key=lambda r: r["text"])
    assert [
        (r["status"], r["completed_on"], r["working_days_taken"], r["on_time"]) for r in rows
    ] == [
        ("done", "2026-02-27", "32", "0"),  # late
        ("open", "", "", "0"),  # open, past its due date
        ("done", "2026-01-20", "4", "1"),
    ]
    assert {r["due"] for r in rows} == {"2026-02-11"}
    assert {r["audit_ended_on"] for r in rows} == {"2026-01-14"}


def test_the_grades_table_is_long_with_titles_and_rationale(filled: Filled) -> None:
    rows = [
        r
        for r in as_dicts(export_bytes(filled.ws, "grades", labels=True))
        if r["audit_id"] == filled.finalised
    ]
    assert [(r["scope"], r["scope_title"], r["final"], r["overridden"]) for r in rows] == [
        ("practice", "Practice", "Requires improvement", "No"),
        ("voice", "'=Voice, “quoted” & naïve", "Good", "No"),
        ("overall", "Overall", "Good", "Yes"),
    ]
    assert rows[-1]["rationale"] == "Moderated: the impact for the child is strong."


# Filters


def test_filters_choose_audits_and_every_table_follows(filled: Filled) -> None:
    def audit_ids(table: str, **filters: object) -> set[str]:
        where = ExportFilter(**filters)  # type: ignore[arg-type]
        return {r["audit_id"] for r in as_dicts(export_bytes(filled.ws, table, where=where))}

    drafts = {filled.draft, *filled.hostile_audits}
    assert audit_ids("audits", status="draft") == drafts
    assert audit_ids("answers", status="draft") == drafts
    assert audit_ids("answers", status="finalised") == {filled.finalised}
    assert audit_ids("audits", ended_from=dt.date(2026, 1, 1), ended_to=dt.date(2026, 1, 31)) == {
        filled.finalised
    }
    assert audit_ids("audits", ended_from=dt.date(2026, 2, 1)) == {filled.closed}
    assert audit_ids("audits", team="South") == {filled.draft, filled.closed}
    assert audit_ids("actions", team="South") == set()
    assert audit_ids("actions", team="North") == {filled.finalised}
    assert audit_ids("audits", tool="no-such-tool") == set()


def test_bad_filters_and_tables_are_refused_in_words() -> None:
    with pytest.raises(InvalidAnswerError, match="'sent' is not one of draft"):
        ExportFilter(status="sent")
    with pytest.raises(InvalidAnswerError, match="before --from"):
        ExportFilter(ended_from=dt.date(2026, 2, 1), ended_to=dt.date(2026, 1, 1))
    with pytest.raises(InvalidAnswerError, match="'people' is not one of audits"):
        write_csv(None, "people", io.BytesIO())  # type: ignore[arg-type]


# The SQL-built answers table against a plain Python reading of the same rows


def shown_value(tool: AuditTool, q: Question, value: object, labels: bool) -> str:
    """One answer as the answers table shows it, worked out the obvious way."""
    options = {o.id: o.label for o in q.options or ()}

    def word(v: str) -> str:
        if not labels:
            return v
        if v == "na":
            return "N/A"
        if q.type == "grade":
            return tool.scale_def.label(v)
        if q.type in ("choice", "multi"):
            return options[v]
        return ANSWER_LABELS.get(v, v)

    if isinstance(value, list):
        return expected_cell(";".join(word(v) for v in value))
    if isinstance(value, str):
        choice = q.choice_values(tool.scale_def) or value == "na"
        return expected_cell(word(value) if choice else value)
    return json.dumps(value)


def automatic_number(tool: AuditTool, question_id: str) -> str:
    """The form's own number, else the spec's automatic one ("2.3"): the section's number, a
    dot, the question's position in the section."""
    for si, section in enumerate(tool.sections, start=1):
        for qi, q in enumerate(section.questions, start=1):
            if q.id == question_id:
                return expected_cell(q.number or f"{section.number or si}.{qi}")
    raise AssertionError(question_id)


def reference_answers(ws: Workspace, labels: bool) -> list[list[str]]:
    """The answers table computed the slow, obvious way from the services' view."""
    out = []
    for row in ws.store.query("SELECT * FROM answers ORDER BY rowid"):
        tool = audits.load(ws, row["audit_id"]).tool
        q = tool.question(row["question_id"])
        assert q is not None
        value = json.loads(row["value"]) if row["value"] is not None else None
        out.append(
            [
                row["audit_id"],
                tool.id,
                str(tool.version),
                tool.section_of[q.id].id,
                q.id,
                automatic_number(tool, q.id),
                expected_cell(q.text),
                "" if value is None else shown_value(tool, q, value, labels),
                expected_cell(row["evidence"] or ""),
                expected_cell(row["answered_by"]),
                row["answered_at"],
            ]
        )
    return out


@pytest.mark.parametrize("labels", [False, True])
def test_sqlite_lines_equal_a_plain_python_reference(filled: Filled, labels: bool) -> None:
    exported = read_csv(export_bytes(filled.ws, "answers", labels=labels))
    assert exported[0] == list(answers_table.HEADER)
    assert exported[1:] == reference_answers(filled.ws, labels)


def test_demo_data_over_every_shipped_tool_matches_the_reference(tmp_path: Path) -> None:
    from auditui.config import Config
    from auditui.services.demo import generate_demo

    ws = Workspace.open(tmp_path / "demo.db", ToolLibrary.load([]), Config())
    try:
        generate_demo(ws, audits=40, seed=7)
        for labels in (False, True):
            exported = read_csv(export_bytes(ws, "answers", labels=labels))
            assert exported[1:] == reference_answers(ws, labels)
    finally:
        ws.close()


def test_small_read_spans_lose_and_repeat_no_row(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = export_bytes(filled.ws, "answers")
    monkeypatch.setattr(answers_table, "FIRST_SPAN", 3)
    monkeypatch.setattr(answers_table, "BLOCK_TARGET", 64)
    seen: list[tuple[int, int]] = []
    stream = io.BytesIO()
    rows = write_csv(filled.ws, "answers", stream, progress=lambda d, t: seen.append((d, t)))
    assert stream.getvalue() == whole
    assert rows == len(read_csv(whole)) - 1
    assert len(seen) > 10 and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_an_audit_whose_tool_is_no_longer_loaded_still_exports(
    filled: Filled, tmp_path: Path
) -> None:
    other = tmp_path / "no-tools"
    other.mkdir()
    ws = make_workspace(filled.ws.store.path, other)
    try:
        rows = as_dicts(export_bytes(ws, "answers"))
        mine = {r["question_id"]: r for r in rows if r["audit_id"] == filled.finalised}
        assert mine["plan_smart"]["value"] == "partly"
        assert mine["plan_smart"]["question_text"] == ""
        assert mine["tools_used"]["value"] == "momo;other"
        assert mine["balance"]["value"] == "-5"
        audits_rows = as_dicts(export_bytes(ws, "audits", labels=True))
        assert any(r["audit_id"] == filled.finalised for r in audits_rows)
    finally:
        ws.close()


# Files: whole or absent, owner-only


def test_a_file_is_written_whole_and_owner_only(filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "out" / "answers.csv"
    out.parent.mkdir()
    result = export_csv(filled.ws, "answers", out, labels=True)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert result.path == out and result.rows == len(read_csv(out.read_bytes())) - 1
    assert os.listdir(out.parent) == ["answers.csv"]


def test_a_failure_half_way_leaves_no_partial_file(
    filled: Filled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditui.export import tables

    monkeypatch.setattr(answers_table, "FIRST_SPAN", 3)
    monkeypatch.setattr(answers_table, "BLOCK_TARGET", 64)
    real_audit_rows = tables.audit_rows

    def audit_rows_failing(*args: object) -> object:
        for n, text in enumerate(real_audit_rows(*args)):  # type: ignore[arg-type]
            if n == 5:
                raise RuntimeError("the disk went away")
            yield text

    monkeypatch.setattr(tables, "audit_rows", audit_rows_failing)
    folder = tmp_path / "exports"
    folder.mkdir()
    old = folder / "kept.csv"
    old.write_bytes(b"the previous export\r\n")
    calls = []

    def fail_later(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 3:
            raise RuntimeError("the disk went away")

    for table in ("answers", "audits"):
        for target in (folder / "new.csv", old):
            with pytest.raises(RuntimeError, match="disk went away"):
                export_csv(filled.ws, table, target, progress=fail_later)
            calls.clear()
    assert os.listdir(folder) == ["kept.csv"]
    assert old.read_bytes() == b"the previous export\r\n"


def test_a_missing_folder_is_refused_in_words(filled: Filled, tmp_path: Path) -> None:
    from auditui.errors import StorageError

    with pytest.raises(StorageError, match="Cannot write .*nowhere"):
        export_csv(filled.ws, "audits", tmp_path / "nowhere" / "a.csv")


def test_an_export_is_one_snapshot_even_while_answers_are_written(filled: Filled) -> None:
    seen = []

    def write_meanwhile(done: int, total: int) -> None:
        if not seen:
            audits.answer(filled.ws, filled.draft, "seen_alone", "yes")
        seen.append(done)

    before = export_bytes(filled.ws, "answers")
    stream = io.BytesIO()
    write_csv(filled.ws, "answers", stream, progress=write_meanwhile)
    assert stream.getvalue() == before
    assert export_bytes(filled.ws, "answers") != before


# Helper processes: the same bytes, one snapshot, failures in words


@pytest.fixture
def helpers_always(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Read with helper processes even a tiny table, in many small turns; lists each started."""
    monkeypatch.setattr(answers_table, "PARALLEL_FROM", 1)
    monkeypatch.setattr(answers_table, "HELPER_SPAN", 7)
    started: list[object] = []
    real_spawn = answers_table.spawn

    def spawn(job: dict[str, object]) -> object:
        started.append(real_spawn(job))  # type: ignore[arg-type]
        return started[-1]

    monkeypatch.setattr(answers_table, "spawn", spawn)
    return started


@pytest.mark.parametrize("labels", [False, True])
def test_helper_processes_write_exactly_what_one_reader_writes(
    filled: Filled, labels: bool, helpers_always: list[object]
) -> None:
    seen: list[int] = []
    stream = io.BytesIO()
    write_csv(
        filled.ws,
        "answers",
        stream,
        labels=labels,
        readers=3,
        progress=lambda done, _: seen.append(done),
    )
    assert len(helpers_always) == 2  # and this process reads every third range
    assert stream.getvalue() == export_bytes(filled.ws, "answers", labels=labels, readers=1)
    assert len(seen) > 10 and seen == sorted(seen)
    where = ExportFilter(status="finalised")
    assert export_bytes(filled.ws, "answers", where=where, readers=2) == export_bytes(
        filled.ws, "answers", where=where, readers=1
    )


@pytest.mark.usefixtures("helpers_always")
def test_helpers_share_one_snapshot_while_answers_are_written(filled: Filled) -> None:
    before = export_bytes(filled.ws, "answers", readers=1)
    done: list[int] = []

    def write_meanwhile(_: int, __: int) -> None:
        if not done:
            audits.answer(filled.ws, filled.draft, "seen_alone", "yes")
        done.append(1)

    stream = io.BytesIO()
    write_csv(filled.ws, "answers", stream, readers=2, progress=write_meanwhile)
    assert stream.getvalue() == before


def test_a_writer_holding_the_lock_means_reading_alone_not_inconsistently(
    filled: Filled, helpers_always: list[object]
) -> None:
    import sqlite3

    expected = export_bytes(filled.ws, "answers", readers=1)
    writer = sqlite3.connect(filled.ws.store.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        assert export_bytes(filled.ws, "answers", readers=2) == expected
        assert helpers_always == []
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.parametrize("readers", [1, 2])
@pytest.mark.usefixtures("helpers_always")
def test_a_reader_failing_is_a_storage_error_and_leaves_no_file(
    filled: Filled, tmp_path: Path, readers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditui.errors import StorageError

    real = answers_table._chunk_sql
    monkeypatch.setattr(answers_table, "_chunk_sql", lambda labels: real(labels) + " AND nope")
    out = tmp_path / "answers.csv"
    with pytest.raises(StorageError, match="nope"):
        export_csv(filled.ws, "answers", out, readers=readers)
    assert not out.exists() and not list(tmp_path.glob(".answers.csv.*"))
