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
import json
import os
import subprocess
import sys
from typing import Any

from auditui.export.answer_helpers import HELPER_FLAGS, _widen, stop
from auditui.store import answer_reader

MAX_READERS = 4


def default_readers() -> int:
    """Processes reading a large answers table, this one included: one per core, up to
    ``MAX_READERS``."""
    return max(1, min(MAX_READERS, os.cpu_count() or 1))


def start() -> subprocess.Popen[bytes]:
    """A helper process starting up; it waits on its standard input for ``send``."""
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
    """Hand a started helper its job, as ``spawn`` does (it then takes its snapshot,
    answers ``R``, builds the export's tables and reads its ranges)."""
    assert helper.stdin is not None
    helper.stdin.write(json.dumps(job).encode() + b"\n")
    helper.stdin.flush()


def stop_started(helpers: list[subprocess.Popen[bytes]]) -> None:
    """End helpers started early, used or not, and close both their pipes (twice is harmless)."""
    for helper in helpers:
        if helper.stdin is not None:
            with contextlib.suppress(OSError):
                helper.stdin.close()
    stop(helpers)
