"""How fast `auditui demo` fills a database, against plain executemany of the same rows.

    python bench/demo.py [AUDITS]        (default 20000)

Generates AUDITS audits through the real generator (grading engine, real
schema, one transaction), then copies exactly the rows it wrote into a fresh
database of the same schema with one ``executemany`` per table in one
transaction: the cost of writing alone. Prints both and the ratio.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from auditui.config import Config
from auditui.services.demo import generate_demo
from auditui.services.workspace import Workspace
from auditui.store.db import open_store

TABLES = ("audits", "answers", "answer_history", "grades", "audit_events", "actions", "outbox")


def main(audits: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "demo.db", config=Config())
        ws.today = lambda: dt.date(2026, 11, 22)
        started = time.perf_counter()
        generate_demo(ws, audits, seed=1)
        demo_s = time.perf_counter() - started
        rows = {t: ws.store.conn.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
        total = sum(len(r) for r in rows.values())
        ws.close()

        target = open_store(Path(tmp) / "copy.db")
        conn: sqlite3.Connection = target.conn
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for table, data in rows.items():
            if data:
                marks = ", ".join("?" * len(data[0]))
                conn.executemany(f"INSERT INTO {table} VALUES ({marks})", [tuple(r) for r in data])
        conn.execute("COMMIT")
        copy_s = time.perf_counter() - started
        target.close()

    print(f"audits: {audits}, rows written: {total}")
    print(
        f"auditui demo:           {demo_s:8.2f} s  ({total / demo_s:,.0f} rows/s, {audits / demo_s:,.0f} audits/s)"
    )
    print(f"executemany same rows:  {copy_s:8.2f} s  ({total / copy_s:,.0f} rows/s)")
    print(f"ratio demo / executemany: {demo_s / copy_s:.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
