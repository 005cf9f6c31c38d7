"""Small JSON files in the user's cache directory, and how to tell when they are stale.

auditui remembers two costly results between runs: parsed tool files
(``tools/parse_cache``) and bank holidays (``domain/bank_holiday_cache``).
Both follow the same rules, kept here once:

* a cache is an optimisation and nothing more: a missing, corrupt or foreign
  file is ignored, and failing to write one is silent;
* it is owner-only (the directory 0700, the file written through a private
  temporary file and renamed into place, so a reader never sees half a file);
* it names what produced it, so a new version of the producer never trusts
  an old cache. ``installed_version`` reads a package's version from its
  ``.dist-info`` directory name without importing the package, because not
  importing it is the point of the cache.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
from pathlib import Path
from typing import Any

import platformdirs


def cache_path(name: str) -> Path:
    """Where the cache file ``name`` lives for this user."""
    return Path(platformdirs.user_cache_dir("auditui")) / name


def read_cache(path: Path, producer: str) -> Any | None:
    """The payload stored at ``path`` by this ``producer``, or None (missing, corrupt, stale)."""
    try:
        stored = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if isinstance(stored, dict) and stored.get("producer") == producer:
        return stored.get("payload")
    return None


def write_cache(path: Path, producer: str, payload: Any) -> None:
    """Store ``payload`` at ``path`` atomically and owner-only; never raise on a disk error."""
    with contextlib.suppress(OSError):
        _write(path, json.dumps({"producer": producer, "payload": payload}, separators=(",", ":")))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    import tempfile  # only when writing: every command reads a cache, few write one

    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _normalise(project: str) -> str:
    return re.sub(r"[-_.]+", "_", project).lower()


def installed_version(import_name: str, project: str) -> str | None:
    """The installed version of ``project`` (imported as ``import_name``), without importing it.

    Read from the ``<project>-<version>.dist-info`` directory beside the
    package, as pip installs it. None when there is no such directory (an
    unusual install): the caller then does not cache at all.
    """
    try:
        spec = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    site = Path(spec.origin).parents[len(import_name.split("."))]
    wanted = _normalise(project)
    try:
        entries = os.listdir(site)
    except OSError:
        return None
    for entry in entries:
        if entry.endswith(".dist-info"):
            name, _, version = entry[: -len(".dist-info")].rpartition("-")
            if _normalise(name) == wanted:
                return version
    return None
