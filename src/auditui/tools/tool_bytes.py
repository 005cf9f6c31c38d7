"""Reading a tool file's bytes, bounded, and quoting what it says on one line.

Apart from the loader because reading is all some callers need: the export
tells whether the tool files changed since it last built its cells
(``tools.fingerprint``) by reading their bytes, and must not import the
models, the checks and the validation library to do it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from auditui.errors import ToolFileError

MAX_FILE_BYTES = 500_000
"""A tool file larger than this is refused unread (the largest shipped tool is 13 kB)."""


def read_tool_bytes(path: Path, where: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``MAX_FILE_BYTES``, else ``ToolFileError``.

    Opened without blocking and checked on the open descriptor, so a named
    pipe or device in a tools folder is refused instead of waited on.
    """
    where = one_line(f"{path}:1: {path.stem}") if where is None else where
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ToolFileError([f"{where}: cannot read the file ({exc.strerror})"]) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ToolFileError([f"{where}: not a regular file, so it is not read"])
        with os.fdopen(fd, "rb", closefd=False) as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ToolFileError([f"{where}: cannot read the file ({exc.strerror})"]) from None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise ToolFileError([f"{where}: the file is larger than {MAX_FILE_BYTES:,} bytes"])
    return raw


def one_line(problem: str) -> str:
    """A problem as one printable line: line breaks and control characters escaped.

    A refusal quotes what the file says, and the file may be hostile: nothing it
    holds may start a new problem line or reach a terminal as an escape sequence.
    """
    if problem.isprintable():
        return problem
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in problem
    )
