"""What every service needs: the store, the loaded tools, the config, a clock.

Both faces build one ``Workspace`` and pass it to the service functions;
tests build one on a temporary database with a fixed ``today``. It also
keeps the audits it last read (``audit_cache``), so answering question
after question does not read and grade the whole audit each time.

The tool library can be handed in unloaded, as a function that loads it:
the TUI's home screen lists audits from the database alone, so the tools
(and the validation library their models are built on) are read when a
screen first needs one, not before the first frame. So can the config: the
command line's `export csv --table answers`, which a script may run again
and again, never reads it, nor imports the modules that read it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from auditui.services.audit_cache import AuditCache
from auditui.store.db import BUSY_TIMEOUT_MS, Store, open_store, storage_errors

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from auditui.config import Config
    from auditui.domain.working_days import WorkingCalendar
    from auditui.tools.library import ToolLibrary


T = TypeVar("T")


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _load_every_tool() -> ToolLibrary:
    from auditui.tools.library import ToolLibrary

    return ToolLibrary.load()


class OnFirstUse(Generic[T]):
    """A value handed in as it is, or as a function giving it: called once, the first time
    the value is asked for, from whichever thread asks first."""

    def __init__(self, value: T | Callable[[], T]) -> None:
        self._value: T | None = None
        self._load: Callable[[], T] | None = None
        self._lock = threading.Lock()
        if callable(value):
            self._load = value
        else:
            self._value = value

    @property
    def loaded(self) -> bool:
        return self._value is not None

    def get(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    assert self._load is not None
                    self._value, self._load = self._load(), None
        return self._value

    def set(self, value: T) -> None:
        self._value, self._load = value, None


class Workspace:
    """The store, tools, config and clock that one face (or one job) works with."""

    def __init__(
        self,
        store: Store,
        library: ToolLibrary | Callable[[], ToolLibrary],
        config: Config | Callable[[], Config],
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], str] = _utc_now,
    ) -> None:
        self.store = store
        self._config = OnFirstUse(config)
        self.today = today
        self.now = now
        self.audit_cache = AuditCache()
        """Audits as last read or written; served only while the file is unchanged."""
        self._library = OnFirstUse(library)

    @classmethod
    def open(
        cls,
        db_path: Path,
        library: ToolLibrary | Callable[[], ToolLibrary] | None = None,
        config: Config | Callable[[], Config] | None = None,
        read_only: bool = False,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> Workspace:
        """The workspace on ``db_path``; every tool (loaded on first use) unless a
        library or a function giving one is handed in, and the user's config unless
        one (or a function giving one, called on first use) is."""
        if config is None:
            from auditui.config import load_config

            config = load_config()
        return cls(
            store=open_store(db_path, read_only=read_only, busy_timeout_ms=busy_timeout_ms),
            library=library if library is not None else _load_every_tool,
            config=config,
        )

    @property
    def config(self) -> Config:
        """The config, read the first time it is asked for when handed in as a function
        (its errors then arise there, inside the command that needed it)."""
        return self._config.get()

    @config.setter
    def config(self, config: Config) -> None:
        self._config.set(config)

    @property
    def library(self) -> ToolLibrary:
        """The tools, loaded the first time they are asked for (from any thread: the TUI
        loads them in the background after its first frame)."""
        return self._library.get()

    @property
    def library_loaded(self) -> bool:
        return self._library.loaded

    @property
    def user(self) -> str:
        return self.config.user.name

    @property
    def calendar(self) -> WorkingCalendar:
        from auditui.domain.working_days import working_calendar

        return working_calendar(self.config.organisation.calendar)

    def close(self) -> None:
        self.audit_cache.clear()
        self.store.close()


def rows_read(ws: Workspace) -> AbstractContextManager[None]:
    """Plain-words storage errors around a read outside a transaction."""
    return storage_errors()
