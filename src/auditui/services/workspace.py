"""What every service needs: the store, the loaded tools, the config, a clock.

Both faces build one ``Workspace`` and pass it to the service functions;
tests build one on a temporary database with a fixed ``today``. It also
keeps the audits it last read (``audit_cache``), so answering question
after question does not read and grade the whole audit each time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from auditui.config import Config, load_config
from auditui.domain.working_days import WorkingCalendar, working_calendar
from auditui.services.audit_cache import AuditCache
from auditui.store.db import BUSY_TIMEOUT_MS, Store, open_store
from auditui.tools.library import ToolLibrary


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass
class Workspace:
    store: Store
    library: ToolLibrary
    config: Config
    today: Callable[[], dt.date] = dt.date.today
    now: Callable[[], str] = field(default=_utc_now)
    audit_cache: AuditCache = field(default_factory=AuditCache, repr=False, compare=False)
    """Audits as last read or written; served only while the file is unchanged."""

    @classmethod
    def open(
        cls,
        db_path: Path,
        library: ToolLibrary | None = None,
        config: Config | None = None,
        read_only: bool = False,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> Workspace:
        return cls(
            store=open_store(db_path, read_only=read_only, busy_timeout_ms=busy_timeout_ms),
            library=library if library is not None else ToolLibrary.load(),
            config=config if config is not None else load_config(),
        )

    @property
    def user(self) -> str:
        return self.config.user.name

    @property
    def calendar(self) -> WorkingCalendar:
        return working_calendar(self.config.organisation.calendar)

    def close(self) -> None:
        self.audit_cache.clear()
        self.store.close()
