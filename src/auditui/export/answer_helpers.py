"""The helper processes that read a large answers table: starting them, and reading their pipes.

``answers_table`` decides when helpers are worth starting, holds the lock
that puts them all on one snapshot, and turns what they send into blocks in
table order. This module is only the process plumbing around
``store.answer_reader`` (run as a script): start a helper with its job, wait for
it to say it is ready, read one frame at a time from its pipe (or only its
header, the writer moving the lines), and stop it.
Kept apart so the pipe protocol and its failure words sit in one place.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from typing import IO, Any

from auditui.errors import StorageError
from auditui.store import answer_reader
from auditui.store.answer_reader import FRAME

if sys.platform == "linux":
    import fcntl

HELPER_FLAGS = ("-I", "-S")
"""Isolated (no user site, no environment, no current folder on the path) and without the
site module: the helper needs the standard library only, and starts 2 ms sooner."""

PIPE_BYTES = 1 << 20
"""Asked-for size of each helper's pipes (Linux's default limit for an unprivileged process)."""


def spawn(job: dict[str, Any]) -> subprocess.Popen[bytes]:
    """A helper running ``answer_reader.py`` as a script, with its job in hand."""
    helper = start()
    send(helper, job)
    return helper


def start() -> subprocess.Popen[bytes]:
    """A helper starting up (the standard library only); it waits on its standard input for
    ``send``."""
    helper = subprocess.Popen(
        [sys.executable, *HELPER_FLAGS, answer_reader.__file__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert helper.stdin is not None and helper.stdout is not None
    _widen(helper.stdin)
    _widen(helper.stdout)
    return helper


def send(helper: subprocess.Popen[bytes], job: dict[str, Any]) -> None:
    """Hand a started helper its job (it then takes its snapshot, answers ``R``, builds the
    export's tables and reads its ranges)."""
    assert helper.stdin is not None
    helper.stdin.write(json.dumps(job).encode() + b"\n")
    helper.stdin.flush()


def _widen(pipe: IO[bytes]) -> None:
    """Make a pipe hold a whole frame (Linux; elsewhere a no-op).

    A default pipe holds 64 KiB: the job would block ``spawn`` until the
    helper has started and read it, and a helper would stall after every
    64 KiB until the parent read them. Measured at a million answers (noisy
    machine, best of 6): 1.13 s with wide pipes against 1.44 s without.
    """
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


STOPPED = "An export helper process stopped before the end; nothing was written."

# A helper's output is read from its pipe's descriptor, never through a Python buffer: a
# frame's bytes may then be left in the pipe for the writer to move to the file itself
# (``PipedLines``), and no byte of them can be sitting in a buffer meanwhile.


def expect_ready(helper: subprocess.Popen[bytes]) -> None:
    assert helper.stdout is not None
    if read_exactly(helper.stdout.fileno(), 1) != b"R":
        raise StorageError("An export helper process could not open the database.")


def read_header(fd: int) -> tuple[int, int]:
    """The next frame's length and rows, from a helper's pipe; its failure in words."""
    header = read_exactly(fd, FRAME.size)
    if len(header) != FRAME.size:
        raise StorageError(STOPPED)
    length, rows = FRAME.unpack(header)
    if length < 0:
        message = read_exactly(fd, rows).decode("utf-8", "replace")
        raise StorageError(f"The database could not be read for the export ({message}).")
    return length, rows


def read_frame(fd: int) -> tuple[bytes, int]:
    """A helper's next block of finished lines, and how many rows it holds."""
    length, rows = read_header(fd)
    data = read_exactly(fd, length)
    if len(data) != length:
        raise StorageError(STOPPED)
    return data, rows


def read_exactly(fd: int, size: int) -> bytes:
    """``size`` bytes from a descriptor, or fewer only at its end."""
    parts = []
    while size > 0:
        part = os.read(fd, min(size, PIPE_BYTES))
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def stop(helpers: list[subprocess.Popen[bytes]]) -> None:
    """End the helpers (at once, if the export stopped early) and close their pipes."""
    for helper in helpers:
        if helper.poll() is None:
            helper.kill()
        helper.wait()
        if helper.stdin is not None:
            with contextlib.suppress(OSError):  # a job not all sent: the helper is gone
                helper.stdin.close()
        if helper.stdout is not None:
            helper.stdout.close()
