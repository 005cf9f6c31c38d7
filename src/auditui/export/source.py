"""What an export reads: the local store, the loaded tools, the calendar and today.

The services' ``Workspace`` has exactly this shape, so both faces pass their
workspace. Export takes the shape rather than the class because it sits
beside the services in the layers contract and must not import them.

Exports read through their own connections, so a TUI worker thread never
shares the app's, and a long export sees the database as it was when it
started: WAL readers do not block writers, and writers do not change what a
reader sees.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Protocol

from auditui.domain.working_days import WorkingCalendar
from auditui.export.answers_reader import begin_snapshot
from auditui.store.db import BUSY_TIMEOUT_MS, Store, storage_errors
from auditui.tools.library import ToolLibrary

SNAPSHOT_WAIT_S = 0.5
"""How long to wait for a writer before sharing a snapshot between processes."""


class ExportSource(Protocol):
    @property
    def store(self) -> Store: ...

    @property
    def library(self) -> ToolLibrary: ...

    @property
    def today(self) -> Callable[[], dt.date]:
        """Today's date, as the workspace's clock says (tests fix it)."""
        ...

    @property
    def calendar(self) -> WorkingCalendar: ...


def connect(store: Store, timeout: float = BUSY_TIMEOUT_MS / 1000) -> sqlite3.Connection:
    """A private connection to the store's file; exports write only temporary tables."""
    conn = sqlite3.connect(
        str(store.path), isolation_level=None, check_same_thread=False, timeout=timeout
    )
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def reading_connection(store: Store) -> sqlite3.Connection:
    """A private connection holding one consistent snapshot until it is closed."""
    with storage_errors():
        conn = connect(store)
        begin_snapshot(conn)
    return conn
