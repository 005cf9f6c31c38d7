"""Reading a file someone else put on a shared drive without being stopped by it; writing whole.

A folder hub is writable by everyone on the share, so any name in it may be
a named pipe (opening it for reading waits forever for a writer), a device,
a socket, a link to somewhere else, or a file of gigabytes. Only regular
files are read: opened without following links and without blocking, checked
with ``fstat`` on the open descriptor (so it cannot be swapped between the
check and the read), and read up to a size cap.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 4 * 1024 * 1024
"""A graded result is a few kilobytes; anything this big is not one."""

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_regular(path: Path, cap: int = MAX_FILE_BYTES) -> bytes | str:
    """The bytes of the regular file ``path``, or a sentence saying why it is not read."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a link, not a file"
        if exc.errno in (errno.ENXIO, errno.ENODEV, errno.EOPNOTSUPP):
            return "not a regular file (a socket or device)"
        return f"cannot be read ({exc.strerror})"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = "a named pipe" if stat.S_ISFIFO(st.st_mode) else "a folder, device or socket"
            return f"not a regular file ({what})"
        if st.st_size > cap:
            return f"{st.st_size:,} bytes, larger than any hub record ({cap:,} at most)"
        chunks = []
        left = cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > cap:
            return f"grew past {cap:,} bytes while being read"
        return data
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    finally:
        os.close(fd)


def read_json(path: Path, cap: int = MAX_FILE_BYTES) -> Any:
    """The parsed JSON in ``path``, or a sentence (a ``str``) saying why it cannot be used.

    Callers tell the two apart with ``isinstance(found, Problem)``.
    """
    raw = read_regular(path, cap)
    if isinstance(raw, str):
        return Problem(raw)
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Problem("not UTF-8 text")
    except json.JSONDecodeError as exc:
        return Problem(f"not valid JSON (truncated or damaged): {exc.msg} at line {exc.lineno}")
    except RecursionError:
        return Problem("not valid JSON: nested too deeply")


class Problem(str):
    """Why a file was not used (a ``str``, so it prints as the sentence itself)."""


def write_once(directory: Path, name: str, data: bytes) -> int | None:
    """Write ``data`` as ``name`` atomically; the new file's inode, or None when an identical
    file is already there. Anything else under that name (a damaged or forged copy, a
    pipe) is replaced."""
    final = directory / name
    if read_regular(final, cap=len(data)) == data:
        return None
    temp = directory / f".tmp-{name}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o640)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        inode = os.fstat(fd).st_ino
    finally:
        os.close(fd)
    try:
        os.replace(temp, final)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return inode


def fsync_dir(directory: Path) -> None:
    """Make the renames durable (where the platform allows a folder to be fsynced)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def listed_names(
    folder: Path, label: str, max_files: int, refused: list[tuple[str, str]]
) -> list[str]:
    """The visible file names in ``folder``, sorted; none (and a line in ``refused``) when it
    holds more than ``max_files`` entries, so a flooded folder cannot stall a sync."""
    from auditui.errors import HubError

    try:
        with os.scandir(folder) as entries:
            names = []
            for entry in entries:
                names.append(entry.name)
                if len(names) > max_files:
                    refused.append((label, f"holds more than {max_files:,} files; none was read"))
                    return []
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise HubError(f"Cannot read {folder} ({exc.strerror}).") from None
    return sorted(n for n in names if not n.startswith("."))
