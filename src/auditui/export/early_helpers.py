"""Helper processes started before their job is known, so their start-up is not waited for.

A helper (``store.answer_reader`` run as a script) takes about 20 ms to start
Python and import what it needs. ``answer_helpers.spawn`` starts one with its
job in hand, so a large export waits that long before the first helper
takes its snapshot. The command line knows earlier that it will export a
large answers table: it starts its helpers first (``start``), loads the
export and opens the database meanwhile, and the export hands each its job
(``send``) or, if it reads alone after all, stops them (``stop_started``).
"""

from __future__ import annotations

import contextlib
import os
import subprocess

from auditui.export.answer_helpers import send, start, stop

__all__ = ["MAX_READERS", "default_readers", "send", "start", "stop_started"]

MAX_READERS = 4


def default_readers() -> int:
    """Processes reading a large answers table, this one included: one per core, up to
    ``MAX_READERS``."""
    return max(1, min(MAX_READERS, os.cpu_count() or 1))


def stop_started(helpers: list[subprocess.Popen[bytes]]) -> None:
    """End helpers started early, used or not, and close both their pipes (twice is harmless)."""
    for helper in helpers:
        if helper.stdin is not None:
            with contextlib.suppress(OSError):
                helper.stdin.close()
    stop(helpers)
