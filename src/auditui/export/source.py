"""What an export reads: the local store, the loaded tools, the calendar and today.

The services' ``Workspace`` has exactly this shape, so both faces pass their
workspace. Export takes the shape rather than the class because it sits
beside the services in the layers contract and must not import them.

Exports read through their own connections (``store.export_rows``), so a
TUI worker thread never shares the app's, and a long export sees the
database as it was when it started.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from auditui.store import export_rows

if TYPE_CHECKING:  # an answers export needs neither the tools nor the calendar loaded
    from auditui.domain.working_days import WorkingCalendar
    from auditui.store.db import Store
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


def reading_connection(store: Store) -> sqlite3.Connection:
    """A private connection to the store's file holding one consistent snapshot until closed."""
    return export_rows.reading_connection(store.path)
