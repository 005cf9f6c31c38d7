"""The three sections a QA lead writes for the board's report pack, stored with the period.

"What do we know", "How do we know", "What next": written in any editor as
one Markdown file with those three headings (``report pack --narrative
FILE.md``), checked, and kept owner-only beside the database under
``narratives/<from>_<to>.md``, so the next pack for the same period has them
without the file. A file that is not what it should be (not a regular file,
too big, not UTF-8, another heading, text before the first heading, a
section longer than a note may be, control characters) is refused with the
line, and nothing is stored.

The TUI's narrative screen (``tui.screens.narrative``) keeps the same file
as it is typed, so the pack and the screen always agree. A typed line that
would read as a heading (``# ...``) is kept with a backslash before it
(Markdown's own escape) and read back without it, so any text survives.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditui.domain.records import NOTE_LIMIT
from auditui.errors import InvalidAnswerError, StorageError

if TYPE_CHECKING:
    from auditui.services.workspace import Workspace

NARRATIVE_HEADINGS = ("What do we know", "How do we know", "What next")
MAX_BYTES = 256 * 1024
_HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)[ \t#]*$")
_ESCAPED = re.compile(r"^\\*#")
"""A line that starts (after any backslashes) with '#': written with one more backslash."""
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Narrative:
    what_we_know: str = ""
    how_we_know: str = ""
    what_next: str = ""

    def to_markdown(self) -> str:
        texts = (self.what_we_know, self.how_we_know, self.what_next)
        return "".join(
            f"# {h}\n\n{_escape(t)}\n\n" for h, t in zip(NARRATIVE_HEADINGS, texts, strict=True)
        )

    @property
    def texts(self) -> tuple[str, str, str]:
        return (self.what_we_know, self.how_we_know, self.what_next)


def _escape(text: str) -> str:
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join("\\" + line if _ESCAPED.match(line) else line for line in lines)


def _key(heading: str) -> str | None:
    wanted = heading.strip().rstrip("?").strip().casefold()
    for name in NARRATIVE_HEADINGS:
        if name.casefold() == wanted:
            return name
    return None


def parse_narrative(text: str, where: str) -> Narrative:
    """The three sections of ``text``; ``where`` names the file in every refusal."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if _UNSAFE.search(line):
            raise InvalidAnswerError(
                f"{where} line {number}: a control character; the narrative is plain text."
            )
        match = _HEADING.match(line)
        if match is not None:
            current = _key(match.group(1))
            if current is None:
                raise InvalidAnswerError(
                    f"{where} line {number}: the heading {match.group(1)[:80]!r} is not one of "
                    f"{', '.join(repr(h) for h in NARRATIVE_HEADINGS)}."
                )
            if current in found:
                raise InvalidAnswerError(f"{where} line {number}: {current!r} appears twice.")
            found[current] = []
        elif current is None:
            if line.strip():
                raise InvalidAnswerError(
                    f"{where} line {number}: text before the first heading "
                    f"(start with '# {NARRATIVE_HEADINGS[0]}')."
                )
        else:
            found[current].append(
                line[1:] if line.startswith("\\") and _ESCAPED.match(line[1:]) else line
            )
    texts = []
    for name in NARRATIVE_HEADINGS:
        body = "\n".join(found.get(name, [])).strip()
        if len(body) > NOTE_LIMIT:
            raise InvalidAnswerError(
                f"{where}: {name!r} is {len(body):,} characters, longer than the "
                f"{NOTE_LIMIT:,} a section may have."
            )
        texts.append(body)
    return Narrative(*texts)


def check_sections(narrative: Narrative) -> None:
    """Refuse a section the pack could not print, naming the section (as typed in the TUI)."""
    for name, text in zip(NARRATIVE_HEADINGS, narrative.texts, strict=True):
        if _UNSAFE.search(text.replace("\r\n", "\n")):
            raise InvalidAnswerError(
                f"{name}: a control character; the narrative is plain text. Nothing was kept."
            )
        if len(text.strip()) > NOTE_LIMIT:
            raise InvalidAnswerError(
                f"{name}: {len(text.strip()):,} characters, longer than the {NOTE_LIMIT:,} a "
                "section may have. Nothing was kept."
            )


def read_narrative(path: Path) -> Narrative:
    """A narrative file a person wrote: a regular file, bounded, UTF-8."""
    from auditui.sync.folder_files import read_regular

    raw = read_regular(path, cap=MAX_BYTES)
    if isinstance(raw, str):
        raise InvalidAnswerError(f"--narrative {path}: {raw}; nothing was made.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidAnswerError(
            f"--narrative {path}: not UTF-8 text (byte {exc.start}); save it as UTF-8."
        ) from None
    return parse_narrative(text, f"--narrative {path}")


def _path(ws: Workspace, first: dt.date, last: dt.date) -> Path:
    return ws.store.path.parent / "narratives" / f"{first.isoformat()}_{last.isoformat()}.md"


def store_narrative(ws: Workspace, first: dt.date, last: dt.date, narrative: Narrative) -> Path:
    """Keep ``narrative`` with the period (owner-only; replaced whole). It is checked as
    the pack will read it first, so what is kept can always be read back."""
    path = _path(ws, first, last)
    check_sections(narrative)
    parse_narrative(narrative.to_markdown(), "The narrative")
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            os.write(fd, narrative.to_markdown().encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as exc:
        if temp.exists():
            temp.unlink()
        raise StorageError(f"Cannot keep the narrative in {path} ({exc.strerror}).") from None
    return path


def stored_narrative(ws: Workspace, first: dt.date, last: dt.date) -> Narrative:
    """The narrative kept for this period, or three empty sections."""
    path = _path(ws, first, last)
    if not path.exists():
        return Narrative()
    return read_narrative(path)
