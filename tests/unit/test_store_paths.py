"""A database path is a file name, taken literally, and the file is always owner-only.

Names that mean something in an SQLite URI (``?mode=memory``, ``#``, ``%41``)
once chose an in-memory database or wrote to another file, readable by
everyone. Each test opens a real file and checks, from the directory
listing, that the file written is exactly the one named.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditui.config import Config
from auditui.errors import StorageError
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.store.db import open_store
from auditui.tools.library import ToolLibrary

SIDE_FILES = ("-wal", "-shm")


def _written_there(folder: Path, name: str) -> None:
    """Only ``name`` (and its WAL files) in ``folder``, all owner-only, holding the data."""
    names = set(os.listdir(folder))
    assert name in names, names
    assert names <= {name, *(name + side for side in SIDE_FILES)}, names
    for found in names:
        assert stat.S_IMODE((folder / found).stat().st_mode) & 0o077 == 0, found
    store = open_store(folder / name, read_only=True)
    try:
        assert store.one("SELECT value FROM scratch")["value"] == ascii(name)  # type: ignore[index]
    finally:
        store.close()


def _write_once(path: Path) -> None:
    store = open_store(path)
    try:
        with store.transaction() as conn:
            conn.execute("CREATE TABLE scratch (value TEXT)")
            conn.execute("INSERT INTO scratch VALUES (?)", (ascii(path.name),))
    finally:
        store.close()


@pytest.mark.parametrize(
    "name",
    ["x?mode=memory", "b#x.db", "c%41.db", "file:d.db", "e?f#g%h", os.fsdecode(b"\xff\xfe.db")],
)
def test_uri_characters_in_the_name_are_part_of_the_file_name(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    _write_once(folder / name)
    _written_there(folder, name)


def test_a_relative_path_with_uri_characters_names_a_file_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "here"
    folder.mkdir(mode=0o700)
    monkeypatch.chdir(folder)
    _write_once(Path("x?mode=memory"))
    _written_there(folder, "x?mode=memory")


def test_the_whole_service_stack_writes_the_named_file(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    ws = Workspace.open(folder / "b#x.db", ToolLibrary.load(), Config())
    try:
        audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    finally:
        ws.close()
    assert set(os.listdir(folder)) <= {"b#x.db", "b#x.db-wal", "b#x.db-shm"}
    assert stat.S_IMODE((folder / "b#x.db").stat().st_mode) == 0o600


def test_a_folder_or_a_nul_is_refused_plainly(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is not a file"):
        open_store(tmp_path)
    with pytest.raises(StorageError, match="NUL"):
        open_store(tmp_path / "a\x00b.db")


# Any character a file name may hold: everything but "/" and NUL; names "." and ".."
# are folders.
NAME_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")
NAME_BYTES = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b)
NAMES = st.one_of(st.text(NAME_CHARS, min_size=1, max_size=40), NAME_BYTES.map(os.fsdecode))
"""Any file name: text of any characters, or any bytes (not UTF-8) as Python shows them."""


@settings(max_examples=200)
@given(name=NAMES)
def test_fuzz_any_file_name_is_the_file_written(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    if name in (".", "..") or len(os.fsencode(name)) > 200:
        return
    folder = tmp_path_factory.mktemp("fuzz")
    folder.chmod(0o700)
    _write_once(folder / name)
    _written_there(folder, name)
    for found in os.listdir(folder):
        (folder / found).unlink()
    with pytest.raises(StorageError, match="is missing"):  # its record names it exactly
        open_store(folder / name)
    assert os.listdir(folder) == []


@pytest.mark.parametrize("readers", [1, 2])
def test_an_export_reads_the_named_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, readers: int
) -> None:
    """The export's own connections (and its helper processes) take the name literally too."""
    import io

    from auditui.export import answers_table, write_csv

    monkeypatch.setattr(answers_table, "PARALLEL_FROM", 1)
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    ws = Workspace.open(folder / "b#x?mode=ro%41.db", ToolLibrary.load(), Config())
    try:
        audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
        audits.answer(ws, audit_id, "specific", "yes", evidence="in the plan")
        stream = io.BytesIO()
        assert write_csv(ws, "answers", stream, readers=readers) == 1
        assert b'"in the plan"' in stream.getvalue()
    finally:
        ws.close()
    assert set(os.listdir(folder)) <= {f"b#x?mode=ro%41.db{side}" for side in ("", *SIDE_FILES)}
