"""The bank-holiday cache gives the package's dates, and a warm start never imports the package."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import holidays
import pytest

from auditui.domain.bank_holiday_cache import BankHolidayCache, from_package
from auditui.user_cache import installed_version

SUBDIVISIONS = ("ENG", "SCT", "NIR")


def _package(subdivision: str, year: int) -> dict[date, str]:
    source = holidays.country_holidays("GB", subdiv=subdivision, years=range(year - 1, year + 2))
    return {day: name for day, name in sorted(source.items()) if day.year == year}


def test_installed_version_is_the_packages_own() -> None:
    from importlib.metadata import version

    assert installed_version("holidays", "holidays") == version("holidays")
    assert installed_version("ruamel.yaml", "ruamel.yaml") == version("ruamel.yaml")
    assert installed_version("no_such_package_here", "no-such-package") is None


@pytest.mark.parametrize("subdivision", SUBDIVISIONS)
def test_cold_and_warm_caches_give_the_packages_dates(tmp_path: Path, subdivision: str) -> None:
    path = tmp_path / "bank-holidays.json"
    cold = BankHolidayCache(path)
    years = range(2019, 2031)
    for year in years:
        assert cold.get(subdivision, year) == _package(subdivision, year), year
    assert path.exists()
    warm = BankHolidayCache(path)
    for year in years:
        assert warm.get(subdivision, year) == _package(subdivision, year), year


def test_a_warm_cache_is_really_read(tmp_path: Path) -> None:
    path = tmp_path / "bank-holidays.json"
    BankHolidayCache(path).get("ENG", 2027)
    stored = json.loads(path.read_text(encoding="utf-8"))
    christmas = [day for day in stored["payload"]["ENG"]["2027"] if day[0] == "2027-12-27"]
    assert christmas, stored["payload"]["ENG"]["2027"]
    christmas[0][1] = "Named in the cache"
    path.write_text(json.dumps(stored), encoding="utf-8")
    assert BankHolidayCache(path).get("ENG", 2027)[date(2027, 12, 27)] == "Named in the cache"


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b'{"producer": "1:holidays 0.0", "payload": {"ENG": {"2027": [["2027-12-27", "Old"]]}}}',
        b'{"producer": "PRODUCER", "payload": {"ENG": {"2027": [["27/12/2027", "Bad"]]}}}',
        b'{"producer": "PRODUCER", "payload": {"ENG": {"2027": 5}}}',
        b'{"producer": "PRODUCER", "payload": ["not", "a", "dict"]}',
    ],
)
def test_corrupt_or_stale_files_are_ignored_and_replaced(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bank-holidays.json"
    producer = BankHolidayCache(path).producer
    assert producer is not None
    path.write_bytes(content.replace(b"PRODUCER", producer.encode()))
    assert BankHolidayCache(path).get("ENG", 2027) == _package("ENG", 2027)
    assert json.loads(path.read_text(encoding="utf-8"))["producer"] == producer


def test_an_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    cache = BankHolidayCache(blocker / "bank-holidays.json")
    assert cache.get("SCT", 2026) == _package("SCT", 2026)


def test_the_cache_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "bank-holidays.json"
    BankHolidayCache(path).get("NIR", 2026)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_block_of_years_is_computed_at_once(tmp_path: Path) -> None:
    block = from_package("ENG", range(2026, 2029))
    assert sorted(block) == [2026, 2027, 2028]
    assert all(day.year == year for year, days in block.items() for day in days)


CHILD = """
import sys
from datetime import date
from auditui.domain.working_days import WorkingCalendar
due = WorkingCalendar("england-and-wales").add_working_days(date(2026, 12, 21), 20)
print(due.isoformat(), "holidays" in sys.modules)
"""


def test_a_warm_start_never_imports_the_package(tmp_path: Path) -> None:
    """Real processes, the user's cache directory: the first imports `holidays`, the next not."""
    runs = [
        subprocess.run(
            [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    # 25 Dec, 28 Dec (Boxing Day observed) and 1 Jan are closed: 20 working days lands on 21 Jan.
    assert runs == [["2027-01-21", "True"], ["2027-01-21", "False"]]
