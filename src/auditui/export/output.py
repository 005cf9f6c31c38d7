"""Where an export goes: a file that is whole or absent, or standard output.

A file is written to a temporary name beside the target, created owner-only
(it holds children's data), flushed to disk and renamed over the target only
once every row is written. If anything fails half-way, the temporary file is
removed and the target is untouched: nobody opens half an export in Excel
and takes it for the whole.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from auditui.errors import StorageError

BLOCK_BYTES = 1 << 20
"""Write in blocks of about this size: few system calls, flat memory."""


@contextlib.contextmanager
def open_output(target: Path | str | None) -> Iterator[BinaryIO]:
    """A binary stream to ``target``; ``None`` or ``"-"`` is standard output.

    Standard output is a stream: whatever was written before a failure has
    gone, so a script should check the exit code. So is a device or a named
    pipe given as the target, which is written in place, never replaced.
    """
    if target is None or str(target) == "-":
        stream = sys.stdout.buffer
        yield stream
        stream.flush()
        return
    path = Path(target).expanduser()
    if _is_special(path):
        yield from _write_in_place(path)
        return
    parent = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise StorageError(
            f"Cannot write {path}: {exc.strerror or exc}. Check the folder exists and is writable."
        ) from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb", buffering=BLOCK_BYTES) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise StorageError(
                f"Cannot write {path}: {exc.strerror or exc}; nothing was written."
            ) from exc
        raise


def _is_special(path: Path) -> bool:
    """A device or pipe (``/dev/null``, ``/dev/stdout``, a FIFO): renaming over it would
    replace the device with a file, so it is written in place instead."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_in_place(path: Path) -> Iterator[BinaryIO]:
    try:
        stream = open(path, "wb", buffering=BLOCK_BYTES)  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise StorageError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    with stream:
        yield stream
        stream.flush()


class BlockWriter:
    """Collects text lines and writes them to a binary stream in large blocks."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self._parts: list[str] = []
        self._size = 0

    def text(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= BLOCK_BYTES:
            self.flush()

    def raw(self, block: bytes) -> None:
        """Bytes already encoded as UTF-8 (from SQLite), written straight through."""
        self.flush()
        self.stream.write(block)

    def flush(self) -> None:
        if self._parts:
            self.stream.write("".join(self._parts).encode("utf-8"))
            self._parts.clear()
            self._size = 0
