"""Whether the tool library would load exactly as before, told without loading it.

Loading the library means importing the tool models and the validation
library they are built on (pydantic), about 130 ms, before a tool file is
even read. Something derived from the loaded tools alone (the answers
export's question cells) can be remembered between runs instead, keyed by
this fingerprint: the files ``ToolLibrary.load`` would read, in its order,
each by its path, its resolved path and the SHA-256 of its bytes, and the
code that turns bytes into tools (every module of this package, the
versions of auditui, pydantic and ruamel.yaml, and Python's). Same
fingerprint, same library: the same bytes read by the same code in the same
order give the same tools and refuse the same files.

Reading and hashing the files costs about a millisecond. Anything unusual
(a file that cannot be read, a package whose version cannot be told) gives
no fingerprint, and the caller loads the library as always.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import auditui
from auditui.errors import ToolFileError
from auditui.tools.library import library_files
from auditui.tools.tool_bytes import read_tool_bytes
from auditui.user_cache import installed_version

READERS = (("pydantic", "pydantic"), ("ruamel.yaml", "ruamel.yaml"))
"""The packages (import name, project) whose versions decide how a file's bytes are read
(pydantic pins its own core)."""


def source_digest(paths: Iterable[Path]) -> str:
    """SHA-256 over the bytes of these source files, each with its name."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def reader_fingerprint() -> str | None:
    """What reads a tool file: this package's code and the versions it runs on."""
    versions = [installed_version(name, project) for name, project in READERS]
    if None in versions:
        return None
    try:
        code = source_digest(sorted(Path(__file__).parent.glob("*.py")))
    except OSError:
        return None
    return ":".join([auditui.__version__, sys.version, *map(str, versions), code])


def library_fingerprint(
    dirs: Iterable[Path] | None = None, include_shipped: bool = True
) -> str | None:
    """The same text for the same library ``ToolLibrary.load(dirs, include_shipped)`` gives;
    None when it cannot be told without loading it."""
    reader = reader_fingerprint()
    if reader is None:
        return None
    digest = hashlib.sha256(reader.encode())
    try:
        for path in library_files(dirs, include_shipped):
            raw = read_tool_bytes(path)
            for part in (str(path), os.path.realpath(path), hashlib.sha256(raw).hexdigest()):
                digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    except (OSError, RuntimeError, ToolFileError):
        return None
    return digest.hexdigest()
