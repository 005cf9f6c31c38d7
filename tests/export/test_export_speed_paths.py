"""The fast paths of `auditui export csv --table answers` write exactly what the slow ones do.

Issue 12's figure: the whole command within 1.5x of the sqlite3 shell. The
command no longer loads the tools when their files are unchanged (the
answers' tool cells come from the user's cache, keyed by the library's
fingerprint), so each test here holds a fast path to the bytes, or the
decisions, of the path it replaces: a cached export against one that loaded
the tools, a changed or damaged cache against a fresh load, and the
fingerprint against the changes that must (and must not) alter it.
"""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from export_support import EXPORT_TOOL, Filled
from hypothesis import given, settings
from hypothesis import strategies as st

from auditui.export import export_csv, write_csv
from auditui.export.cells import sql_text_cell
from auditui.export.tool_cells import (
    _SAFE_CELLS,
    CACHE_NAME,
    _from_payload,
    build_cells,
    tool_cells,
)
from auditui.store import answer_export as sql
from auditui.store import export_rows
from auditui.tools.fingerprint import library_fingerprint
from auditui.tools.library import ToolLibrary
from auditui.tools.tool_bytes import MAX_FILE_BYTES
from auditui.user_cache import cache_path

IsolatedEnv = Any
"""tests/conftest.py's ``isolated_env`` fixture: every auditui path inside tmp_path."""

CHILD = """
import json, sys
sys.argv = ["auditui", *json.loads(sys.argv[1])]
try:
    from auditui.cli.main import main
    main()
except SystemExit as exc:
    if exc.code:
        raise
finally:
    with open(OUT, "w") as f:
        json.dump(sorted(sys.modules), f)
"""

TOOL_MODELS = {"pydantic", "auditui.tools.models", "auditui.tools.loader", "ruamel.yaml"}


@pytest.fixture
def cli_data(filled_template: tuple[Path, Filled], isolated_env: IsolatedEnv) -> Filled:
    """The filled database where the `auditui` command looks, with its tool."""
    template, ids = filled_template
    shutil.copyfile(template, isolated_env.db)
    isolated_env.db.chmod(0o600)
    (isolated_env.tools / "export-test.yaml").write_text(EXPORT_TOOL, encoding="utf-8")
    return ids


def export_in_child(args: list[str], env: dict[str, str], tmp_path: Path) -> tuple[bytes, set[str]]:
    """Run `auditui export csv --table answers ARGS` in a new interpreter: (bytes, modules)."""
    modules = tmp_path / "modules.json"
    out = tmp_path / "answers.csv"
    out.unlink(missing_ok=True)
    command = ["export", "csv", "--table", "answers", "--out", str(out), *args]
    done = subprocess.run(
        [sys.executable, "-c", f"OUT = {str(modules)!r}\n" + CHILD, json.dumps(command)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    return out.read_bytes(), set(json.loads(modules.read_text()))


def reference(filled: Filled, isolated_env: IsolatedEnv, labels: bool) -> bytes:
    """The answers table written in-process from a library loaded the ordinary way."""
    del filled  # the database is the one cli_data copied
    from auditui.config import Config
    from auditui.services.workspace import Workspace
    from auditui.tools.library import user_tools_dirs

    ws = Workspace.open(isolated_env.db, ToolLibrary.load(user_tools_dirs()), Config())
    try:
        stream = io.BytesIO()
        write_csv(ws, "answers", stream, labels=labels)
        return stream.getvalue()
    finally:
        ws.close()


@pytest.mark.parametrize("labels", [False, True])
def test_an_export_with_unchanged_tools_loads_none_and_writes_the_same_bytes(
    cli_data: Filled,
    isolated_env: IsolatedEnv,
    child_env: dict[str, str],
    tmp_path: Path,
    labels: bool,
) -> None:
    args = ["--labels"] if labels else []
    first, first_modules = export_in_child(args, child_env, tmp_path)
    assert cache_path(CACHE_NAME).is_file()
    second, second_modules = export_in_child(args, child_env, tmp_path)
    assert "pydantic" in first_modules  # nothing cached yet: the tools were loaded
    assert not TOOL_MODELS & second_modules, sorted(TOOL_MODELS & second_modules)
    expected = reference(cli_data, isolated_env, labels)
    assert first == expected
    assert second == expected
    assert expected.count(b"\r\n") > 20  # the header and many answers


def test_a_changed_tool_file_is_read_again(
    cli_data: Filled, isolated_env: IsolatedEnv, child_env: dict[str, str], tmp_path: Path
) -> None:
    before, _ = export_in_child([], child_env, tmp_path)
    assert b'"Is the plan SMART?"' in before
    tool = isolated_env.tools / "export-test.yaml"
    tool.write_text(EXPORT_TOOL.replace("Is the plan SMART?", "Is the plan specific?"), "utf-8")
    after, modules = export_in_child([], child_env, tmp_path)
    assert "pydantic" in modules
    assert b'"Is the plan specific?"' in after and b"SMART" not in after
    assert after == reference(cli_data, isolated_env, False)


def _counting(library: ToolLibrary) -> tuple[list[int], Any]:
    calls: list[int] = []

    def load() -> ToolLibrary:
        calls.append(1)
        return library

    return calls, load


def test_the_cache_is_used_only_while_it_matches_and_is_well_formed(
    isolated_env: IsolatedEnv,
) -> None:
    tool = isolated_env.tools / "export-test.yaml"
    tool.write_text(EXPORT_TOOL, encoding="utf-8")
    dirs = [isolated_env.tools]
    library = ToolLibrary.load(dirs)
    calls, load = _counting(library)
    for labels in (False, True):
        assert tool_cells(load, labels, dirs) == build_cells(library, labels)
    assert len(calls) == 1  # the first call built both, the second read the cache

    path = cache_path(CACHE_NAME)
    assert path.stat().st_mode & 0o777 == 0o600
    stored = json.loads(path.read_bytes())
    for damage in ("not json", json.dumps({**stored, "producer": "someone else"})):
        path.write_text(damage, encoding="utf-8")
        assert tool_cells(load, False, dirs) == build_cells(library, False)
    bad_row = json.loads(json.dumps(stored))
    bad_row["payload"]["ids"][1][0] = ["0", "plan_smart", '"=cmd|calc"']  # k as text
    short = json.loads(json.dumps(stored))
    short["payload"]["labels"] = short["payload"]["labels"][:3]
    formula = json.loads(json.dumps(stored))  # well formed, but its cells bring in a formula
    k, question, _ = formula["payload"]["ids"][1][0]
    formula["payload"]["ids"][1][0] = [k, question, '"t",1,"s","q","1","=HYPERLINK(""x"")"']
    broken_line = json.loads(json.dumps(stored))
    row = broken_line["payload"]["labels"][2][0]
    row[3] = row[3][:-1] + '\r\n"=1+1"'  # a cell left open, then a line of its own
    for damaged, labels in ((bad_row, False), (short, True), (formula, False), (broken_line, True)):
        path.write_text(json.dumps(damaged), encoding="utf-8")
        assert tool_cells(load, labels, dirs) == build_cells(library, labels)
    assert len(calls) == 7  # every damaged cache meant loading the tools again
    assert tool_cells(load, False, dirs) == build_cells(library, False)
    assert len(calls) == 7  # and was written again whole

    assert tool_cells(load, False, None) == build_cells(library, False)
    assert len(calls) == 8  # no folders given: no cache, the library as handed in


def test_the_fingerprint_follows_the_files_the_library_reads(isolated_env: IsolatedEnv) -> None:
    tools = isolated_env.tools
    (tools / "export-test.yaml").write_text(EXPORT_TOOL, encoding="utf-8")
    first = library_fingerprint([tools])
    assert first is not None and first == library_fingerprint([tools])
    assert library_fingerprint([tools], include_shipped=False) != first
    (tools / "notes.txt").write_text("not a tool file", encoding="utf-8")
    assert library_fingerprint([tools]) == first  # not a file the library reads
    (tools / "export-test.yaml").write_text(EXPORT_TOOL + "\n", encoding="utf-8")
    changed = library_fingerprint([tools])
    assert changed not in (None, first)
    (tools / "broken.yaml").write_text("id: [", encoding="utf-8")
    assert library_fingerprint([tools]) not in (None, first, changed)  # refused the same way
    broken = library_fingerprint([tools])
    os.mkfifo(tools / "pipe.yaml")
    assert library_fingerprint([tools]) == broken  # never opened, as the library never reads it
    (tools / "huge.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert library_fingerprint([tools]) is None  # refused unread: the load must say why


def test_a_file_handed_to_the_disk_as_it_is_written_holds_the_same_bytes(
    filled: Filled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditui.export import answers_table, output

    monkeypatch.setattr(output, "WRITEBACK_BYTES", 256)
    monkeypatch.setattr(answers_table, "FIRST_SPAN", 3)  # many small blocks
    monkeypatch.setattr(answers_table, "BLOCK_TARGET", 64)
    advised: list[tuple[int, int]] = []
    real_advise = os.posix_fadvise

    def advise(fd: int, offset: int, length: int, advice: int) -> None:
        advised.append((offset, length))
        real_advise(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", advise)
    for table in ("answers", "audits"):
        advised.clear()
        stream = io.BytesIO()
        write_csv(filled.ws, table, stream)
        out = tmp_path / f"{table}.csv"
        export_csv(filled.ws, table, out)
        assert out.read_bytes() == stream.getvalue()
        assert out.stat().st_mode & 0o777 == 0o600
        # each range handed over once, in order, none past what was written
        assert advised and all(n >= 256 for _, n in advised)
        assert [offset for offset, _ in advised] == [
            sum(n for _, n in advised[:i]) for i in range(len(advised))
        ]
        assert sum(n for _, n in advised) <= len(stream.getvalue())
        assert len(advised) > (1 if table == "answers" else 0)  # answers: block by block


@pytest.mark.parametrize("large", [True, False])
def test_helpers_started_early_are_used_for_a_large_table_and_stopped_otherwise(
    filled: Filled, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    from auditui.export import answers_table, early_helpers

    monkeypatch.setattr(answers_table, "HELPER_SPAN", 7)
    if large:
        monkeypatch.setattr(answers_table, "PARALLEL_FROM", 1)
    expected = io.BytesIO()
    write_csv(filled.ws, "answers", expected, readers=1)
    started = [early_helpers.start() for _ in range(3)]
    spawned: list[object] = []
    monkeypatch.setattr(answers_table, "spawn", lambda job: spawned.append(job))
    sent: list[object] = []
    real_send = answers_table.send

    def send(helper: Any, job: Any) -> None:
        sent.append(helper)
        real_send(helper, job)

    monkeypatch.setattr(answers_table, "send", send)
    stream = io.BytesIO()
    write_csv(filled.ws, "answers", stream, readers=3, started=started)
    assert stream.getvalue() == expected.getvalue()
    assert spawned == []  # this process and two of the helpers started early read
    for helper in started:  # used or not, none is left running or holding a pipe
        assert helper.poll() is not None
        assert helper.stdout is not None and helper.stdout.closed
    assert sent == (started[:2] if large else [])


def test_the_command_starts_its_helpers_early_only_for_a_large_answers_table(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditui.cli import export_cmd
    from auditui.cli.context import Settings
    from auditui.export import early_helpers

    settings = Settings(db=filled.ws.store.path)
    monkeypatch.setattr(early_helpers, "default_readers", lambda: 3)
    for table, threshold, expected in (
        ("answers", 0, 2),  # this process reads a share too
        ("answers", 1 << 40, 0),
        ("audits", 0, 0),
    ):
        monkeypatch.setattr(export_cmd, "PRESTART_FROM_BYTES", threshold)
        with export_cmd._helpers_started_early(settings, table) as started:
            assert len(started) == expected
            assert all(helper.poll() is None for helper in started)  # waiting for a job
        assert all(helper.poll() is not None for helper in started)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=40,
)


@functools.cache
def _real_payload() -> str:
    """The shipped tools' cells as the cache keeps them (JSON text: each test alters a copy)."""
    library = ToolLibrary.load()
    return json.dumps({n: build_cells(library, n == "labels").rows() for n in ("ids", "labels")})


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        _JSON,
        st.builds(lambda ids, labels: {"ids": ids, "labels": labels}, _JSON, _JSON),
        st.tuples(
            st.sampled_from(["ids", "labels"]),
            st.integers(0, 3),
            st.integers(0, 40),
            st.integers(0, 3),
            _JSON,
        ),
    )
)
def test_any_cache_payload_gives_safe_cells_or_none(payload: Any) -> None:
    """Whatever a cache file holds, reading it raises nothing, and gives nothing or cells of
    the shape and safety ``build_cells`` gives."""
    if isinstance(payload, tuple):  # the real payload with one value replaced
        name, table, row, column, value = payload
        altered = json.loads(_real_payload())
        rows = altered[name][table]
        if rows:
            target = rows[row % len(rows)]
            target[column % len(target)] = value
        payload = altered
    for labels in (False, True):
        cells = _from_payload(payload, labels)
        if cells is None:
            continue
        for row in cells.tools:
            assert tuple(map(type, row)) == (str, int, int)
        for _, _, text in cells.questions:
            assert _SAFE_CELLS.fullmatch(text)
        for _, _, raw, text in cells.values:
            assert isinstance(raw, str) and _SAFE_CELLS.fullmatch(text)


@pytest.mark.parametrize(
    ("clause", "params"), [("", []), (" WHERE u.team = ?", ["North"])], ids=["all", "a team"]
)
def test_the_exports_audits_are_read_in_id_order_from_the_index_with_nothing_sorted(
    filled: Filled, clause: str, params: list[str]
) -> None:
    """The table of chosen audits a large export builds first (while its helpers wait) is
    made from the V10 index, which holds its columns in id order: no audit row is read whole
    and no sort is made for the whole export. Filtered, it is still made in id order."""
    conn = export_rows.connect(filled.ws.store.path)
    try:
        conn.execute(sql.ATTACH)
        for statement in sql.EXPORT_TABLES:
            conn.execute(statement)
        statement = sql.audits_sql(clause, sql_text_cell)
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {statement}", params)]
        conn.execute(statement, params)
        ids = [row[0] for row in conn.execute("SELECT id FROM export.export_audits")]
        chosen = conn.execute(f"SELECT u.id FROM main.audits u{clause}", params).fetchall()
    finally:
        conn.close()
    assert "audits_by_id_tool" in " ".join(plan), plan
    if not clause:
        assert not any("TEMP B-TREE" in step for step in plan), plan
    assert chosen and ids == sorted(row[0] for row in chosen)
