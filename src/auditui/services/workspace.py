"""What every service needs: the store, the loaded tools, the config, a clock.

Both faces build one ``Workspace`` and pass it to the service functions;
tests build one on a temporary database with a fixed ``today``. It also
keeps the audits it last read (``audit_cache``), so answering question
after question does not read and grade the whole audit each time.

The tool library can be handed in unloaded, as a function that loads it:
the TUI's home screen lists audits from the database alone, so the tools
(and the validation library their models are built on) are read when a
screen first needs one, not before the first frame.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from auditui.config import Config, load_config
from auditui.domain.working_days import WorkingCalendar, working_calendar
from auditui.services.audit_cache import AuditCache
from auditui.store.db import BUSY_TIMEOUT_MS, Store, open_store, storage_errors

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from auditui.tools.library import ToolLibrary


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _load_every_tool() -> ToolLibrary:
    from auditui.tools.library import ToolLibrary

    return ToolLibrary.load()


class Workspace:
    """The store, tools, config and clock that one face (or one job) works with."""

    def __init__(
        self,
        store: Store,
        library: ToolLibrary | Callable[[], ToolLibrary],
        config: Config,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], str] = _utc_now,
    ) -> None:
        self.store = store
        self.config = config
        self.today = today
        self.now = now
        self.audit_cache = AuditCache()
        """Audits as last read or written; served only while the file is unchanged."""
        self._library: ToolLibrary | None = None
        self._load_library: Callable[[], ToolLibrary] | None = None
        self._library_lock = threading.Lock()
        if callable(library):
            self._load_library = library
        else:
            self._library = library

    @classmethod
    def open(
        cls,
        db_path: Path,
        library: ToolLibrary | Callable[[], ToolLibrary] | None = None,
        config: Config | None = None,
        read_only: bool = False,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> Workspace:
        """The workspace on ``db_path``; every tool (loaded on first use) unless a
        library or a function giving one is handed in, and the user's config unless
        one is."""
        return cls(
            store=open_store(db_path, read_only=read_only, busy_timeout_ms=busy_timeout_ms),
            library=library if library is not None else _load_every_tool,
            config=config if config is not None else load_config(),
        )

    @property
    def library(self) -> ToolLibrary:
        """The tools, loaded the first time they are asked for (from any thread: the TUI
        loads them in the background after its first frame)."""
        if self._library is None:
            with self._library_lock:
                if self._library is None:
                    assert self._load_library is not None
                    self._library = self._load_library()
                    self._load_library = None
        return self._library

    @property
    def library_loaded(self) -> bool:
        return self._library is not None

    @property
    def user(self) -> str:
        return self.config.user.name

    @property
    def calendar(self) -> WorkingCalendar:
        return working_calendar(self.config.organisation.calendar)

    def close(self) -> None:
        self.audit_cache.clear()
        self.store.close()


def rows_read(ws: Workspace) -> AbstractContextManager[None]:
    """Plain-words storage errors around a read outside a transaction."""
    return storage_errors()
