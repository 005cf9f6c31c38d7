"""Where an export goes: a file that is whole or absent, or standard output.

A file is written to a temporary name beside the target, created owner-only
(it holds children's data) from its first byte, flushed to disk and renamed
over the target only once every row is written. If anything fails half-way,
the temporary file is removed and the target is untouched: nobody opens half
an export in Excel and takes it for the whole.

A process that is killed cannot remove its temporary file, so the next
export into the same folder does: a file whose name says auditui wrote it
(``.NAME.auditui-UID-PID-RANDOM.part``), for this user, owned by this user,
from a process that no longer runs. Nothing else there is ever touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from auditui.errors import StorageError

BLOCK_BYTES = 1 << 20
"""Write in blocks of about this size: few system calls, flat memory."""
WRITEBACK_BYTES = 1 << 20
"""After each this many bytes of a file, ask the kernel to start writing them to the disk.
Measured at 420,000 answers (93 MiB, median of 6): the final ``fsync`` waited 8.1 ms with 16
MiB, 1.8 ms with 4 MiB and 0.2 ms with 1 MiB, and the export was no slower for asking
more often."""


@contextlib.contextmanager
def open_output(target: Path | str | None) -> Iterator[BinaryIO]:
    """A binary stream to ``target``; ``None`` or ``"-"`` is standard output.

    Standard output is a stream: whatever was written before a failure has
    gone, so a script should check the exit code. So is a device or a named
    pipe given as the target, which is written in place, never replaced.
    """
    if target is None or str(target) == "-":
        stream: BinaryIO = sys.stdout.buffer
        if sys.stdout.isatty():
            stream = TerminalSafe(stream)  # type: ignore[assignment]
        try:
            yield stream
            stream.flush()
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            raise StorageError(
                f"Cannot write to standard output: {_reason(exc)}; the export is incomplete."
            ) from exc
        return
    path = Path(target)
    try:
        path = path.expanduser()
        special, folder = _is_special(path), path.is_dir()
    except (OSError, RuntimeError) as exc:  # a name too long, ~nobody
        raise StorageError(f"Cannot write {shown_path(path)}: {_reason(exc)}.") from exc
    if special:
        yield from _write_in_place(path)
        return
    if folder:
        raise StorageError(f"Cannot write {shown_path(path)}: it is a folder; give a file name.")
    remove_stale_parts(path.parent)
    try:
        fd, temp = _create_part(path)
    except OSError as exc:
        raise StorageError(
            f"Cannot write {shown_path(path)}: {_reason(exc)}. "
            "Check the folder exists and is writable."
        ) from exc
    try:
        with os.fdopen(fd, "wb", buffering=BLOCK_BYTES) as stream:
            yield WritingBack(stream)  # type: ignore[misc]
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise StorageError(
                f"Cannot write {shown_path(path)}: {_reason(exc)}; nothing was written."
            ) from exc
        raise


class WritingBack:
    """A file written whole, whose bytes start on their way to the disk as they are written.

    The export is durable only once ``fsync`` returns, and a large one used to
    wait there for the whole file (measured: 40-60 ms for 92 MiB, the
    answers table of 45,000 audits). Every ``WRITEBACK_BYTES`` this asks the
    kernel to begin writing what came before (``POSIX_FADV_DONTNEED`` starts
    writeback without waiting for it, as ``sync_file_range`` would), while the
    export goes on making rows; the final ``fsync`` waits only for the rest.
    Only a hint: nothing is durable until that ``fsync``, which still reports
    any write error. Elsewhere than Linux it does nothing.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self._written = 0
        self._handed = 0

    def write(self, data: bytes) -> int:
        written = self.stream.write(data)
        if self._written + len(data) - self._handed >= WRITEBACK_BYTES:
            self.stream.flush()
        self._account(len(data))
        return written

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()

    def move_from_pipe(self, fd: int, length: int) -> int:
        """Move the next ``length`` bytes of the pipe ``fd`` to the end of the file without
        copying them through this process (``splice``); the bytes moved (fewer only if the
        pipe ended)."""
        self.stream.flush()
        out, left = self.stream.fileno(), length
        while left > 0:
            moved = os.splice(fd, out, left)
            if moved == 0:
                break
            left -= moved
        self._account(length - left)
        return length - left

    def _account(self, size: int) -> None:
        self._written += size
        if self._written - self._handed >= WRITEBACK_BYTES:
            _start_writeback(self.stream.fileno(), self._handed, self._written - self._handed)
            self._handed = self._written


def _start_writeback(fd: int, offset: int, length: int) -> None:
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None and sys.platform == "linux":
        with contextlib.suppress(OSError):
            advise(fd, offset, length, os.POSIX_FADV_DONTNEED)


PART = re.compile(r"^\.(?P<name>.+)\.auditui-(?P<uid>[0-9]+)-(?P<pid>[0-9]+)-[0-9a-f]{16}\.part$")
"""The name of a temporary export file: the target's name, this user's id, the writer's pid."""


def _create_part(path: Path) -> tuple[int, Path]:
    """A new owner-only temporary file beside ``path``, named so a later run can tell it is ours."""
    name = f".{path.name}.auditui-{os.getuid()}-{os.getpid()}-{os.urandom(8).hex()}.part"
    temp = path.parent / name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    fd = os.open(temp, flags, 0o600)  # 0600 at creation: no moment when others may read it
    os.fchmod(fd, 0o600)  # a umask can only take bits away, but be explicit
    return fd, temp


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove this user's temporary export files in ``folder`` left by processes that are gone.

    Only regular files whose name matches ``PART`` with this user's id, that
    this user owns and whose writing process no longer exists; a problem
    reading the folder or removing a file is ignored (the export goes on).
    Returns what was removed.
    """
    removed: list[Path] = []
    uid = os.getuid()
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.endswith(".part")]
    except OSError:
        return removed
    for name in names:
        match = PART.match(name)
        if match is None or int(match["uid"]) != uid or _running(int(match["pid"])):
            continue
        candidate = folder / name
        with contextlib.suppress(OSError):
            info = candidate.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_uid == uid:
                candidate.unlink()
                removed.append(candidate)
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this id exists (one we may not signal still exists)."""
    if pid == os.getpid():
        return True
    if pid <= 0 or pid > 2**22:
        return True  # not a pid Linux hands out: not ours to judge, leave the file alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


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
        raise StorageError(f"Cannot write {shown_path(path)}: {_reason(exc)}.") from exc
    try:
        with stream:
            yield stream
            stream.flush()
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise StorageError(
            f"Cannot write {shown_path(path)}: {_reason(exc)}; what reached it is incomplete."
        ) from exc


def shown_path(path: Path | str) -> str:
    """A path for a message: whole when it is of a sane length, else its two ends."""
    text = str(path)
    return text if len(text) <= 240 else f"{text[:160]}...{text[-60:]}"


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc).rstrip(".")


_UNSAFE_BYTES = re.compile(
    rb"\r(?!\n)|[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)
"""UTF-8 for what ``cli.context.terminal_text`` escapes: C0 controls but line breaks, DEL,
C1 controls, bidirectional overrides."""


def _escaped_bytes(match: re.Match[bytes]) -> bytes:
    char = match.group().decode("utf-8")
    if char in "\r\t":
        return b"\\r" if char == "\r" else b"\\t"
    code = ord(char)
    return (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}").encode()


class TerminalSafe:
    """A CSV or report written to a terminal, with every control character shown escaped.

    Evidence text comes from people and hub files; an escape sequence in it must
    not recolour, retitle or rewrite the screen (a file or a pipe gets it as is).
    Writers hand over whole lines, so no UTF-8 sequence is split between writes.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        self.stream.write(_UNSAFE_BYTES.sub(_escaped_bytes, bytes(data)))
        return len(data)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()


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

    def move(self, fd: int, length: int) -> int:
        """The next ``length`` bytes of the pipe ``fd`` (UTF-8 from SQLite in a helper
        process), written straight through: moved into a file by the kernel where it can
        (Linux), else read and written. Returns the bytes written (fewer only if the pipe
        ended)."""
        self.flush()
        mover = getattr(self.stream, "move_from_pipe", None)
        if mover is not None and hasattr(os, "splice"):
            return int(mover(fd, length))
        left = length
        while left > 0:
            part = os.read(fd, min(left, BLOCK_BYTES))
            if not part:
                break
            self.stream.write(part)
            left -= len(part)
        return length - left

    def flush(self) -> None:
        if self._parts:
            self.stream.write("".join(self._parts).encode("utf-8"))
            self._parts.clear()
            self._size = 0
