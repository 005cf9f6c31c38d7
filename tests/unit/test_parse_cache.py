"""The parse cache: unchanged valid tool files skip the YAML parse, and nothing else changes.

Every test loads real files through ``ToolLibrary.load`` with the cache in
the isolated XDG cache directory, and checks the library it gives against
one loaded without the cache.
"""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from auditui.tools.library import ToolLibrary
from auditui.tools.parse_cache import (
    ParseCache,
    content_key,
    default_cache_path,
    json_faithful,
)


def _stored() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(default_cache_path().read_text(encoding="utf-8"))
    return data


def _write_cache(data: dict[str, Any]) -> None:
    default_cache_path().write_text(json.dumps(data), encoding="utf-8")


def test_a_second_load_gives_the_same_library_from_an_owner_only_cache() -> None:
    fresh = ToolLibrary.load(cache=False)
    first = ToolLibrary.load()
    path = default_cache_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(_stored()["payload"]) == len(fresh.tools)
    second = ToolLibrary.load()
    assert first.tools == second.tools == fresh.tools
    assert first.sources == second.sources == fresh.sources


def test_a_cached_entry_is_what_loads_while_the_file_is_unchanged() -> None:
    """Proof the cache is read: an entry edited in the cache shows up in the tool."""
    library = ToolLibrary.load()
    source = library.sources[library.latest("smart-plans").key]
    stored = _stored()
    key = content_key(source.read_bytes())
    stored["payload"][key]["title"] = "Title from the cache"
    _write_cache(stored)
    assert ToolLibrary.load().latest("smart-plans").title == "Title from the cache"
    assert ToolLibrary.load(cache=False).latest("smart-plans").title != "Title from the cache"


def test_a_changed_file_is_read_again_and_a_broken_one_keeps_its_line(
    isolated_env: Any,
) -> None:
    shipped = ToolLibrary.load(cache=False)
    tool_file = isolated_env.tools / "smart-plans-local.yaml"
    text = shipped.sources[shipped.latest("smart-plans").key].read_text(encoding="utf-8")
    text = text.replace("id: smart-plans", "id: smart-plans-local", 1)
    tool_file.write_text(text, encoding="utf-8")
    assert ToolLibrary.load([isolated_env.tools]).latest("smart-plans-local")

    broken = text.replace("version: ", "version: not-a-number # ", 1)
    tool_file.write_text(broken, encoding="utf-8")
    library = ToolLibrary.load([isolated_env.tools])
    assert "smart-plans-local" not in library.ids()
    line = next(i for i, t in enumerate(broken.splitlines(), 1) if "not-a-number" in t)
    assert any(p.startswith(f"{tool_file}:{line}: smart-plans-local") for p in library.problems)
    assert len(_stored()["payload"]) == len(shipped.tools)  # broken files are never cached


def test_entries_for_files_no_longer_loaded_are_dropped(isolated_env: Any) -> None:
    shipped = ToolLibrary.load()
    extra = isolated_env.tools / "copy.yaml"
    text = shipped.sources[shipped.latest("smart-plans").key].read_text(encoding="utf-8")
    extra.write_text(text.replace("id: smart-plans", "id: copy", 1), encoding="utf-8")
    ToolLibrary.load([isolated_env.tools])
    assert len(_stored()["payload"]) == len(shipped.tools) + 1
    extra.unlink()
    ToolLibrary.load([isolated_env.tools])
    assert len(_stored()["payload"]) == len(shipped.tools)


@pytest.mark.parametrize(
    "content",
    [
        b"not json at all",
        b'{"producer": "someone else", "payload": {}}',
        b'["a list"]',
        b"",
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_rewritten(content: bytes) -> None:
    fresh = ToolLibrary.load(cache=False)
    path = default_cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert ToolLibrary.load().tools == fresh.tools
    assert len(_stored()["payload"]) == len(fresh.tools)


def test_a_cached_entry_that_no_longer_validates_falls_back_to_the_file() -> None:
    fresh = ToolLibrary.load()
    stored = _stored()
    for key in stored["payload"]:
        stored["payload"][key] = {"sections": "nonsense"}
    _write_cache(stored)
    assert ToolLibrary.load().tools == fresh.tools
    assert all(
        "sections" in v and v["sections"] != "nonsense" for v in _stored()["payload"].values()
    )


def test_an_unwritable_cache_never_stops_a_load(isolated_env: Any) -> None:
    fresh = ToolLibrary.load(cache=False)
    blocker = default_cache_path().parent
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    assert ToolLibrary.load().tools == fresh.tools


def test_only_data_json_gives_back_exactly_is_cached(tmp_path: Path) -> None:
    assert json_faithful({"a": [1, 2.5, True, None, "x"], "b": {"c": -1}})
    assert not json_faithful({1: "an int key"})
    assert not json_faithful({"when": dt.date(2026, 1, 1)})
    assert not json_faithful({"t": (1, 2)})
    cache = ParseCache(tmp_path / "c.json")
    cache.put(b"file", {"when": dt.date(2026, 1, 1)})
    cache.put(b"other", {"ok": 1})
    cache.save()
    assert set(json.loads((tmp_path / "c.json").read_text())["payload"]) == {content_key(b"other")}
