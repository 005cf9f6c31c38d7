"""Bank holidays remembered between runs, so that opening auditui need not import `holidays`.

The home screen shows the actions due in the next five working days, so
every start needs this year's bank holidays. Importing the ``holidays``
package and building the UK calendar took about 80 ms (asking for one
country loads all 250 of them), the largest single part of opening the app.
So the first time a year is needed, the package computes a block of years
around it and the result is kept as a small JSON file in the user's cache
directory; later runs read that file and never import the package.

The package stays the only source of the dates: the file names the
``holidays`` version it came from (read from the install, not by importing
it), so an upgrade that brings a new proclamation replaces the file. As with
every cache here (see ``auditui.user_cache``), a missing, corrupt or stale
file is ignored and an unwritable one is not an error. When the installed
version cannot be found, nothing is cached and the package answers each time.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from auditui.user_cache import cache_path, installed_version, read_cache, write_cache

FORMAT = 1

BEFORE = 3
AFTER = 8
"""A miss for year Y computes Y-3 to Y+7: this year's due dates, next year's, and the history."""

Holidays = dict[date, str]


def from_package(subdivision: str, years: range) -> dict[int, Holidays]:
    """Bank holidays by year for a UK subdivision, straight from the ``holidays`` package.

    Built from the neighbouring years too, so that a holiday observed across
    a year boundary (none today, but the package decides) is not lost.
    """
    import holidays

    source = holidays.country_holidays(
        "GB", subdiv=subdivision, years=range(years.start - 1, years.stop + 1)
    )
    found: dict[int, Holidays] = {year: {} for year in years}
    for day, name in sorted(source.items()):
        if day.year in found:
            found[day.year][day] = name
    return found


def _decode(stored: Any) -> Holidays | None:
    """One stored year, or None when it is not what this module writes."""
    try:
        return {date.fromisoformat(day): str(name) for day, name in stored}
    except (TypeError, ValueError):
        return None


class BankHolidayCache:
    """Bank holidays by subdivision and year: from the cache file if it holds them, else computed."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else cache_path("bank-holidays.json")
        version = installed_version("holidays", "holidays")
        self.producer = None if version is None else f"{FORMAT}:holidays {version}"
        self._lock = threading.Lock()
        self._stored: dict[str, dict[str, Any]] | None = None

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._stored is None:
            stored = read_cache(self.path, self.producer) if self.producer else None
            if isinstance(stored, dict) and all(isinstance(v, dict) for v in stored.values()):
                self._stored = stored
            else:
                self._stored = {}
        return self._stored

    def get(self, subdivision: str, year: int) -> Holidays:
        """The bank holidays of ``year`` (date -> English name) for a UK subdivision."""
        with self._lock:
            stored = self._load()
            kept = stored.get(subdivision, {}).get(str(year))
            found = None if kept is None else _decode(kept)
            if found is not None:
                return found
            block = from_package(subdivision, range(year - BEFORE, year + AFTER))
            years = stored.setdefault(subdivision, {})
            for each, days in block.items():
                years[str(each)] = [[day.isoformat(), name] for day, name in days.items()]
            if self.producer:
                write_cache(self.path, self.producer, stored)
            return block[year]


_default: BankHolidayCache | None = None
_default_lock = threading.Lock()


def default_cache() -> BankHolidayCache:
    """The cache in the user's cache directory (a new one if that directory changed)."""
    global _default
    path = cache_path("bank-holidays.json")
    with _default_lock:
        if _default is None or _default.path != path:
            _default = BankHolidayCache(path)
        return _default
