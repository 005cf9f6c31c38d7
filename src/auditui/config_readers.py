"""How each ``config.toml`` setting is checked, in the words a QA lead reads.

A reader takes the value TOML gave (already a str, bool, int, list or
table) and the config file's folder, and returns the setting's value or
raises ``Problem`` saying what is wrong with it. ``config.py`` names a
reader on each setting's field and reports every problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Reader = Callable[[Any, Path], Any]


def setting(doc: str, read: Reader) -> dict[str, Any]:
    """A field's metadata: what the setting means, and how the file's value is checked."""
    return {"doc": " ".join(doc.split()), "read": read}


A_LIST = 'must be a list, like ["Team A", "Team B"]'


class Problem(Exception):
    """What is wrong with one value; ``where`` narrows it, e.g. `` (item 2)``."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise Problem("must be text in quotes")
    return value


def text(stripped: bool = False, required: bool = False) -> Reader:
    """Text; with ``stripped``, without surrounding spaces; with ``required``, not empty."""

    def read(value: Any, base_dir: Path) -> str:
        value = _text(value)
        if stripped:
            value = value.strip()
        if required and not value:
            raise Problem("must not be empty")
        return value

    return read


def one_of(choices: Iterable[str]) -> Reader:
    allowed = tuple(choices)

    def read(value: Any, base_dir: Path) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise Problem(f"must be one of {', '.join(allowed)}")
        return value

    return read


def a_bool(value: Any, base_dir: Path) -> bool:
    if not isinstance(value, bool):
        raise Problem("must be true or false")
    return value


def a_whole_number(at_least: int) -> Reader:
    def read(value: Any, base_dir: Path) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise Problem("must be a whole number")
        if value < at_least:
            raise Problem(f"must be at least {at_least}")
        return value

    return read


def a_pattern(value: Any, base_dir: Path) -> str:
    """A regular expression that compiles."""
    value = _text(value)
    try:
        re.compile(value)
    except re.error as error:
        raise Problem(f"is not a valid regular expression ({error})") from None
    return value


def name_list(kind: str, most: int, longest: int, required: bool = False) -> Reader:
    """A list of at most ``most`` distinct names (compared ignoring case), spaces trimmed,
    each on one line and at most ``longest`` characters; with ``required``, not empty.

    ``kind`` names one item in the messages (``team``, ``theme``)."""

    def read(value: Any, base_dir: Path) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise Problem(A_LIST)
        if len(value) > most:
            raise Problem(f"lists {len(value)} {kind}s; at most {most} are allowed")
        if required and not value:
            raise Problem(f"must list at least one {kind}")
        names: list[str] = []
        seen: set[str] = set()
        for number, item in enumerate(value, start=1):
            where = f" (item {number})"
            if not isinstance(item, str):
                raise Problem("must be text in quotes", where=where)
            name = item.strip()
            if not name:
                raise Problem(f"{kind} names must not be empty", where=where)
            if len(name) > longest:
                raise Problem(f"is longer than {longest} characters", where=where)
            if not name.isprintable():
                raise Problem("must be on one line, without control characters", where=where)
            if name.casefold() in seen:
                raise Problem(f"{kind} {name!r} is listed twice")
            seen.add(name.casefold())
            names.append(name)
        return tuple(names)

    return read


team_names = name_list("team", most=500, longest=100)
"""``[organisation] teams``."""


def _resolved(value: str, base_dir: Path) -> Path:
    """``~`` expanded; a relative path taken from the config file's own folder."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else base_dir / path


def a_path(value: Any, base_dir: Path) -> Path:
    if not isinstance(value, str):
        raise Problem("must be a file path in quotes")
    return _resolved(value, base_dir)


def a_target(value: Any, base_dir: Path) -> str:
    """A folder (made absolute) or a postgresql:// URL."""
    value = _text(value).strip()
    if not value:
        raise Problem("must be a folder path or a postgresql:// URL (or left out)")
    if "://" in value:
        if not value.startswith(("postgresql://", "postgres://")):
            raise Problem("must be a folder path or a postgresql:// URL")
        return value
    return str(_resolved(value, base_dir))


BINDING_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
"""A binding's id as the screens declare them: ``app.quit``, ``walker.next``."""
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_KEY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_KEYS = 200
"""More lines than there are bindings: a [keys] table longer is refused unread."""


def a_key(text: str) -> str:
    """One key as Textual names it: a printable character (``?``, ``G``) or a key name
    (``f2``, ``pageup``, ``question_mark``), after any modifiers (``ctrl+s``)."""
    parts = text.strip().split("+")
    if text.strip() in ("+", "ctrl++"):  # the plus key itself
        parts = [*parts[:-2], "+"]
    *modifiers, key = parts
    for modifier in modifiers:
        if modifier.lower() not in MODIFIERS:
            raise Problem(f"'{text.strip()}' has an unknown modifier '{modifier}'")
    if len(key) == 1 and key.isprintable() and not key.isspace():
        return text.strip()
    if _KEY_NAME.match(key.lower()) and len(key) <= 24:
        return text.strip()
    raise Problem(f"'{text.strip()}' is not a key (a character, or a name like f2 or ctrl+s)")


def _flat(table: dict[str, Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """TOML reads ``app.quit = "q"`` as a table ``app`` holding ``quit``: back to the id."""
    out: dict[str, Any] = {}
    for name, item in table.items():
        if isinstance(item, dict) and depth < 4:
            out.update(_flat(item, f"{prefix}{name}.", depth + 1))
        else:
            out[f"{prefix}{name}"] = item
        if len(out) > MAX_KEYS:
            break
    return out


def a_keymap(value: Any, base_dir: Path) -> tuple[tuple[str, str], ...]:
    """``[keys]``: binding id = "key" or "key1,key2"; ids are checked against the screens'
    bindings when the app starts (the core does not know them)."""
    if not isinstance(value, dict):
        raise Problem('must be a table of binding id = "key", like app.quit = "ctrl+q"')
    value = _flat(value)
    if len(value) > MAX_KEYS:
        raise Problem(f"has more than {MAX_KEYS} entries; the app has fewer actions than that")
    keymap = []
    for binding_id, keys in value.items():
        if not BINDING_ID.match(binding_id):
            raise Problem("is not a binding id (like app.quit)", where=f".{binding_id}")
        if not isinstance(keys, str) or not keys.strip():
            raise Problem('must be a key in quotes, like "ctrl+q"', where=f".{binding_id}")
        try:
            checked = [a_key(k) for k in keys.split(",")] if keys.strip() != "," else [","]
        except Problem as problem:
            raise Problem(problem.message, where=f".{binding_id}") from None
        keymap.append((binding_id, ",".join(checked)))
    return tuple(keymap)
