"""The database file moved, deleted or replaced under a running auditui: no write is lost silently.

SQLite keeps writing to the file it opened even when the path no longer
names it, so a store that did not check would say "saved" into a file
nobody will open again, and the next start would make an empty database.
Each test does to a real file what a user (or a sync client, or a restore)
would do, then tries to write.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from auditui.config import Config
from auditui.errors import StorageError
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.store import first_start
from auditui.store.db import open_store
from auditui.tools.library import ToolLibrary


def _workspace(path: Path) -> tuple[Workspace, str]:
    ws = Workspace.open(path, ToolLibrary.load(), Config())
    audit_id = audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    audits.answer(ws, audit_id, "specific", "yes")
    return ws, audit_id


def _answers(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT question_id, value FROM answers").fetchall())
    finally:
        conn.close()


def test_a_moved_database_refuses_the_next_write_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    ws, audit_id = _workspace(path)
    try:
        moved = tmp_path / "elsewhere.db"
        for side in ("", "-wal", "-shm"):
            os.rename(f"{path}{side}", f"{moved}{side}")
        with pytest.raises(StorageError, match="moved or deleted") as caught:
            audits.answer(ws, audit_id, "measurable", "no")
        assert "was not saved" in caught.value.message
        assert str(path) in caught.value.message
        assert not path.exists(), "no new database where the old one was"
        assert _answers(moved) == {"specific": '"yes"'}
    finally:
        ws.close()


def test_a_deleted_database_refuses_every_later_write(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    ws, audit_id = _workspace(path)
    try:
        path.unlink()
        for question in ("measurable", "achievable"):
            with pytest.raises(StorageError, match="moved or deleted"):
                audits.answer(ws, audit_id, question, "no")
        assert not path.exists()
    finally:
        ws.close()


def test_a_database_replaced_by_another_file_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    other = tmp_path / "other" / "auditui.db"
    open_store(other).close()
    ws, audit_id = _workspace(path)
    try:
        shutil.copyfile(other, tmp_path / "swap.db")
        os.replace(tmp_path / "swap.db", path)  # a restore or a sync client swapping the file
        with pytest.raises(StorageError, match="replaced by another file"):
            audits.answer(ws, audit_id, "measurable", "no")
        assert "measurable" not in _answers(path)
    finally:
        ws.close()


def test_a_file_put_back_can_be_written_again(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    ws, audit_id = _workspace(path)
    try:
        os.rename(path, tmp_path / "aside.db")
        with pytest.raises(StorageError):
            audits.answer(ws, audit_id, "measurable", "no")
        os.rename(tmp_path / "aside.db", path)
        audits.answer(ws, audit_id, "measurable", "no")
    finally:
        ws.close()
    assert _answers(path) == {"specific": '"yes"', "measurable": '"no"'}


def test_a_vanished_database_is_not_silently_recreated_at_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "data" / "auditui.db"
    ws, _ = _workspace(path)
    ws.close()
    shutil.rmtree(path.parent)  # the whole folder, as an unmounted drive looks
    with pytest.raises(StorageError, match="is missing") as caught:
        open_store(path)
    record = first_start.record_of(path)
    assert str(record) in caught.value.message
    assert not path.parent.exists(), "nothing created"
    record.unlink()  # what the message says to do, to start again on purpose
    open_store(path).close()
    assert path.is_file()


def test_the_first_start_creates_the_database_and_records_it(tmp_path: Path) -> None:
    path = tmp_path / "new" / "auditui.db"
    record = first_start.record_of(path)
    assert not record.exists()
    open_store(path).close()
    assert path.is_file()
    assert record.is_file()
    assert record.stat().st_mode & 0o077 == 0
    assert repr(str(path)) in record.read_text(encoding="utf-8")


def test_a_database_from_before_the_records_is_protected_from_its_next_open(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    open_store(path).close()
    first_start.record_of(path).unlink()
    open_store(path).close()  # opened again: recorded now
    path.unlink()
    with pytest.raises(StorageError, match="is missing"):
        open_store(path)


def test_a_read_only_open_records_nothing(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    open_store(path).close()
    first_start.record_of(path).unlink()
    open_store(path, read_only=True).close()
    assert not first_start.record_of(path).exists()


def test_the_command_line_refuses_a_vanished_database_in_one_sentence(
    isolated_env, run_cli
) -> None:
    done = run_cli("audit", "list")
    assert done.returncode == 0, done.stderr
    assert isolated_env.db.is_file()
    isolated_env.db.unlink()
    done = run_cli("audit", "list")
    assert done.returncode == 1
    assert "is missing" in done.stderr and "Nothing was created" in done.stderr
    assert "Traceback" not in done.stderr
    assert not isolated_env.db.exists()


@pytest.mark.parametrize("readers", [1, 2])
def test_an_export_after_the_database_moved_is_refused_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, readers: int
) -> None:
    from auditui.export import answers_table, write_csv

    monkeypatch.setattr(answers_table, "PARALLEL_FROM", 1)
    path = tmp_path / "auditui.db"
    ws, _ = _workspace(path)
    try:
        for side in ("", "-wal", "-shm"):
            os.rename(f"{path}{side}", f"{tmp_path / 'moved.db'}{side}")
        with pytest.raises(StorageError):
            write_csv(ws, "answers", io.BytesIO(), readers=readers)
        assert not path.exists(), "no empty database where the old one was"
    finally:
        ws.close()


def test_a_second_connection_for_a_job_refuses_a_replaced_file(tmp_path: Path) -> None:
    path = tmp_path / "auditui.db"
    first = open_store(path)
    try:
        open_store(path, same_file_as=first.identity).close()  # the same file: fine
        open_store(tmp_path / "other.db").close()
        os.replace(tmp_path / "other.db", path)
        with pytest.raises(StorageError, match="replaced by another file"):
            open_store(path, same_file_as=first.identity)
    finally:
        first.close()
