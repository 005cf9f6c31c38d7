"""Valid tool files, parsed once and remembered until their bytes change.

Reading YAML with line numbers (ruamel's round-trip parser) costs about
15 ms a file, and `auditui` and every CLI command load every tool at start:
for the eight shipped tools that was most of the TUI's start-up. Pydantic
validation and the cross-field checks take well under a millisecond, so the
cache keeps only the parsed, plain data of each *valid* file, keyed by the
SHA-256 of its bytes, and the loader still validates and checks it on every
load. A changed or broken file misses the cache and is read in full, so
every error keeps its file, line and field.

The cache is an optimisation and nothing more: it lives in the user's cache
directory (owner-only), a missing, corrupt or foreign cache is ignored, and
failing to write it is silent. Its header names the reader (auditui's
version, ruamel's version and the reader's own source), so a new reader
never trusts an old cache. ruamel's version is read from its install, not by
importing it: a start-up served from the cache never imports ruamel at all.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from auditui.user_cache import cache_path, installed_version, read_cache, write_cache

FORMAT = 2


def default_cache_path() -> Path:
    return cache_path("tool-files.json")


def _ruamel_version() -> str:
    found = installed_version("ruamel.yaml", "ruamel.yaml")
    if found is None:  # an unusual install: ask the package itself
        import ruamel.yaml

        found = str(ruamel.yaml.__version__)
    return found


def reader_key() -> str:
    """What produced the cached data: a different reader means a different key."""
    import auditui
    from auditui.tools import yamlfile

    digest = hashlib.sha256(Path(yamlfile.__file__).read_bytes()).hexdigest()[:16]
    return f"{FORMAT}:{auditui.__version__}:{_ruamel_version()}:{digest}"


def content_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def json_faithful(data: Any) -> bool:
    """True when JSON gives back exactly ``data`` (string keys, no dates or other types)."""
    if data is None or type(data) in (str, int, float, bool):
        return True
    if type(data) is list:
        return all(json_faithful(item) for item in data)
    if type(data) is dict:
        return all(type(k) is str and json_faithful(v) for k, v in data.items())
    return False


class ParseCache:
    """Parsed data of valid tool files by content hash, read once and written back if changed."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_cache_path()
        self.key = reader_key()
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.dirty = False
        self._read()

    def _read(self) -> None:
        entries = read_cache(self.path, self.key)
        if isinstance(entries, dict):
            self.entries = entries

    def get(self, content: bytes) -> Any | None:
        """The parsed data of a file with these bytes, if it was valid when last read."""
        key = content_key(content)
        data = self.entries.get(key)
        if data is not None:
            self.used.add(key)
        return data

    def put(self, content: bytes, data: Any) -> None:
        """Remember a valid file's parsed data (skipped when JSON could not keep it exactly)."""
        if not json_faithful(data):
            return
        key = content_key(content)
        self.used.add(key)
        if self.entries.get(key) != data:
            self.entries[key] = data
            self.dirty = True

    def save(self) -> None:
        """Write the entries this load used, if anything changed; never raise."""
        if set(self.entries) != self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.dirty = True
        if not self.dirty:
            return
        write_cache(self.path, self.key, self.entries)
        self.dirty = False
