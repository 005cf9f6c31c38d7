"""Several processes opening one database at once: each ends on the current schema.

Two auditui commands started together (a script answering in a loop, the TUI
and the CLI) may all meet a database that is new, or one an older auditui
wrote. Each is a real child process; they wait on a shared "go" file so their
opens overlap, and every one must succeed, with the schema built exactly
once.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditui.store.schema import MIGRATIONS

OPENERS = 6

OPEN_WHEN_TOLD = """
import os, sys, time
from pathlib import Path

from auditui.store.db import open_store
from auditui.store.schema import MIGRATIONS

db, go = Path(sys.argv[1]), Path(sys.argv[2])
print("READY", flush=True)
deadline = time.monotonic() + 60
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit("never told to go")
    time.sleep(0.001)
store = open_store(db)
print(store.conn.execute("PRAGMA user_version").fetchone()[0], len(MIGRATIONS), flush=True)
store.close()
"""


def _env() -> dict[str, str]:
    import auditui

    env = dict(os.environ)
    src = str(Path(auditui.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    return env


def _open_all_at_once(db: Path, go: Path) -> list[tuple[int, str, str]]:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_WHEN_TOLD, str(db), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for _ in range(OPENERS)
    ]
    try:
        for child in children:  # every child imported and waiting before any opens
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "READY"
        go.touch()
        results = []
        for child in children:
            out, err = child.communicate(timeout=120)
            results.append((child.returncode, out.strip(), err))
        return results
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


def _schema(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT type, name FROM sqlite_master ORDER BY type, name").fetchall()
        return [(str(kind), str(name)) for kind, name in rows]
    finally:
        conn.close()


def _reference_schema(tmp_path: Path) -> list[tuple[str, str]]:
    from auditui.store.db import open_store

    path = tmp_path / "reference" / "auditui.db"
    open_store(path).close()
    return _schema(path)


@pytest.mark.parametrize("rounds", [3])
def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path, rounds: int) -> None:
    expected = _reference_schema(tmp_path)
    for n in range(rounds):
        db = tmp_path / f"new{n}" / "auditui.db"
        results = _open_all_at_once(db, tmp_path / f"go-new{n}")
        for code, out, err in results:
            assert code == 0, err
            version, latest = out.split()
            assert version == latest, err  # each opener ends on the newest schema it knows
        assert len({out for _, out, _ in results}) == 1
        assert _schema(db) == expected


def test_processes_opening_an_old_schema_database_at_once_all_migrate_it_once(
    tmp_path: Path,
) -> None:
    import sqlite_utils

    expected = _reference_schema(tmp_path)
    for n in range(3):
        db = tmp_path / f"old{n}" / "auditui.db"
        db.parent.mkdir(mode=0o700)
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        MIGRATIONS[0](sqlite_utils.Database(conn))
        conn.execute("PRAGMA user_version = 1")
        conn.execute(
            "INSERT INTO audits (id, tool_id, tool_version, case_ref, case_type, team,"
            " practitioner, auditor, kind, practitioner_present, started_on, created_at,"
            " updated_at) VALUES ('a1', 'smart-plans', 1, 'ABC123', 'CP', 'North', 'Pat', 'Sam',"
            " 'themed', 1, '2026-01-05', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z')"
        )
        conn.close()
        started = time.monotonic()
        results = _open_all_at_once(db, tmp_path / f"go-old{n}")
        assert time.monotonic() - started < 120
        for code, out, err in results:
            assert code == 0, err
            version, latest = out.split()
            assert version == latest, err  # each opener ends on the newest schema it knows
        assert len({out for _, out, _ in results}) == 1
        assert _schema(db) == expected
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT id FROM audits").fetchall() == [("a1",)]
        conn.close()
