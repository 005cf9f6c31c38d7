"""The helper processes that read a large answers table: starting them, and reading their pipes.

``answers_table`` decides when helpers are worth starting, holds the lock
that puts them all on one snapshot, and turns what they send into blocks in
table order. This module is only the process plumbing around
``store.answer_reader`` (run as a script): start a helper with its job, wait for
it to say it is ready, read one frame at a time from its pipe, and stop it.
Kept apart so the pipe protocol and its failure words sit in one place.
"""

from __future__ import annotations

import contextlib
import json
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
    """A helper running ``answer_reader.py`` as a script: the standard library only."""
    helper = subprocess.Popen(
        [sys.executable, *HELPER_FLAGS, answer_reader.__file__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert helper.stdin is not None and helper.stdout is not None
    _widen(helper.stdin)
    _widen(helper.stdout)
    helper.stdin.write(json.dumps(job).encode() + b"\n")
    helper.stdin.flush()
    return helper


def hand_tables(helper: subprocess.Popen[bytes], tables: bytes) -> None:
    """Send a ready helper the export's tables (``answer_reader.tables_of``); its input ends."""
    assert helper.stdin is not None
    helper.stdin.write(FRAME.pack(len(tables), 0))
    helper.stdin.write(tables)
    helper.stdin.close()


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


def expect_ready(helper: subprocess.Popen[bytes]) -> None:
    assert helper.stdout is not None
    if helper.stdout.read(1) != b"R":
        raise StorageError("An export helper process could not open the database.")


def read_frame(stream: IO[bytes]) -> tuple[bytes, int]:
    """A helper's next block of finished lines, and how many rows it holds."""
    header = stream.read(FRAME.size)
    if len(header) == FRAME.size:
        length, rows = FRAME.unpack(header)
        if length < 0:
            message = stream.read(rows).decode("utf-8", "replace")
            raise StorageError(f"The database could not be read for the export ({message}).")
        data = stream.read(length)
        if len(data) == length:
            return data, rows
    raise StorageError("An export helper process stopped before the end; nothing was written.")


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
