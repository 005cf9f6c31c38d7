"""When a worker fails in a way nobody planned for: log it privately, say one sentence, stay up.

Services refuse bad input with an ``AuditUIError`` and the screens show its
words. Anything else a worker raises is a bug; by default Textual then closes
the whole app, in front of an auditor mid-audit, although every answer is
already saved. Here the traceback goes to an owner-only log file (it may
quote case data), and the user is told in one sentence where it went.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import traceback
from pathlib import Path

import platformdirs

from auditui import __version__
from auditui.config import APP_NAME

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 1_000_000
"""A log past this size starts again, so a bug repeated all day cannot fill the disk."""


def default_log_dir() -> Path:
    """The per-user log folder (``~/.local/state/auditui/log`` on Linux)."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def unexpected_sentence(log: Path | None) -> str:
    """The one sentence the user sees."""
    where = f" The details are in {log}." if log else " The details could not be written."
    return (
        "Something went wrong that auditui did not expect, and that task stopped; "
        "everything already saved is safe." + where
    )


def log_unexpected(error: BaseException, where: str, folder: Path | None = None) -> Path | None:
    """Append ``error`` with its traceback to the owner-only log; None if it cannot be written.

    The folder is made 0700 and the file 0600 (also when they already
    existed looser); a symlink in the file's place is refused, not followed.
    """
    folder = folder or default_log_dir()
    path = folder / LOG_NAME
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    text = "".join(traceback.format_exception(error))
    entry = f"--- {stamp} auditui {__version__}: unexpected error in {where}\n{text}\n"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
        # No following a symlink, no waiting on a named pipe: only a regular file is written.
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags, 0o600)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None
            os.fchmod(fd, 0o600)
            if info.st_size > MAX_LOG_BYTES:
                os.ftruncate(fd, 0)
            os.write(fd, entry.encode("utf-8", "replace"))
        finally:
            os.close(fd)
    except OSError:
        return None
    return path
