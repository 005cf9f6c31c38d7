"""Read a YAML 1.2 tool file into plain Python values, remembering every line.

Tool files are written by hand, so a problem must point at a line; and they
may be hostile (a file dropped in a shared tools folder is read by every
command), so reading one must be bounded in time and memory. This module
therefore builds the values itself from ruamel.yaml's *event* stream (its
scanner and parser, which keep line marks and use no recursion), with an
explicit stack instead of ruamel's recursive composer and constructor:

- anchors and aliases are refused (the spec: a hand-written tool never needs
  them, and an alias bomb expands a small file into gigabytes);
- a key given twice in one mapping is refused, and keys are scalars;
- nesting deeper than ``MAX_DEPTH``, a scalar longer than ``MAX_SCALAR_CHARS``
  and more than ``MAX_NODES`` values are refused (the caller caps the bytes);
- scalars are resolved with the YAML 1.2 *core* schema exactly as the spec
  says: ``yes``/``no``/``on``/``off`` are strings, ``010`` is ten, ``1_000``
  and ``1:30`` are strings, and there is no timestamp type (a date is a
  string, parsed where a date is wanted, inside the error-reporting path);
- whole numbers are bounded to 64 bits (what SQLite stores) and other numbers
  must be finite.

Every refusal is a ``YamlProblem`` with the 1-based line it is about. ruamel
is imported on the first parse, not with this module: a start whose tool
files all come from the parse cache never needs it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from auditui.tools.tool_bytes import MAX_FILE_BYTES

Path_ = tuple[str | int, ...]
MAX_DEPTH = 32
"""Deepest nesting of lists and mappings (a tool needs about ten)."""
MAX_SCALAR_CHARS = 100_000
"""Longest single value (guidance text included)."""
MAX_NODES = 10_000
"""Most values in one file (the largest shipped tool has under 400)."""
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
"""Whole numbers a tool file may hold: SQLite's 64-bit integers."""

_CORE = "tag:yaml.org,2002:"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"[-+]?[0-9]+")
_INT8 = re.compile(r"0o[0-7]+")
_INT16 = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")


class YamlProblem(Exception):
    """The file could not be read; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.tool_id: str | None = None
        """The tool's ``id``, when the file gave one before the problem."""


@dataclass
class YamlDocument:
    data: Any
    lines: dict[Path_, int]
    unquoted: set[Path_] = field(default_factory=set)
    """Paths of string values written without quotes (the spec asks some to be quoted)."""

    def line_of(self, path: Path_) -> int:
        """The line of the deepest part of ``path`` that the file has."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def parse_yaml_bytes(raw: bytes) -> YamlDocument:
    """A document from a file's bytes, which must be UTF-8."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(1, f"the file is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)"
        ) from None
    return parse_yaml(text)


def parse_yaml(text: str) -> YamlDocument:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    builder = _Builder()
    try:
        for event in yaml.parse(text):
            builder.feed(event)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = _first_line(exc.problem or exc.context or "not valid YAML")
        if "\t" in text and "\\t" in str(what):
            what = "a tab is not allowed here (indent with spaces)"
        raise YamlProblem(line, f"YAML syntax error: {what}") from None
    except YAMLError as exc:
        raise YamlProblem(1, f"YAML syntax error: {exc}") from None
    except YamlProblem as exc:
        top = builder.stack[0].value if builder.stack else builder.result
        if isinstance(top, dict) and isinstance(top.get("id"), str):
            exc.tool_id = top["id"]
        raise
    return YamlDocument(builder.result, builder.lines, builder.unquoted)


def _first_line(what: str) -> str:
    """ruamel's problem text without its ``in "<unicode string>"`` trailer: one line."""
    kept = [part.strip() for part in str(what).splitlines() if "<unicode string>" not in part]
    return " ".join(part for part in kept if part) or "not valid YAML"


@dataclass
class _Frame:
    path: Path_
    value: Any  # the dict or list being filled
    key: Any = None
    has_key: bool = False
    key_line: int = 0


_NO_KEY = object()


class _Builder:
    """Plain values from parser events, with an explicit stack (no recursion)."""

    def __init__(self) -> None:
        self.stack: list[_Frame] = []
        self.result: Any = None
        self.documents = 0
        self.nodes = 0
        self.lines: dict[Path_, int] = {(): 1}
        self.unquoted: set[Path_] = set()

    def feed(self, event: Any) -> None:
        kind = type(event).__name__
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if kind == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem(line, "a tool file holds one YAML document, not several")
            return
        if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
            return
        if kind == "AliasEvent" or getattr(event, "anchor", None):
            raise YamlProblem(
                line,
                "anchors (&name) and aliases (*name) are not allowed in a tool file: "
                "write each value out",
            )
        if kind in ("MappingEndEvent", "SequenceEndEvent"):
            self.stack.pop()
            return
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlProblem(line, f"the file holds more than {MAX_NODES:,} values")
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.value, dict) and not frame.has_key:
            self._key(frame, event, kind, line)
            return
        path, line = self._place(frame, line)
        if kind == "ScalarEvent":
            value = _resolve(event, line)
            if isinstance(value, str) and event.style is None:
                self.unquoted.add(path)
            self._store(frame, value)
            return
        _check_tag(event, ("map", "seq"), line)
        if len(self.stack) >= MAX_DEPTH:
            raise YamlProblem(line, f"values are nested more than {MAX_DEPTH} levels deep")
        container: Any = {} if kind == "MappingStartEvent" else []
        self._store(frame, container)
        self.stack.append(_Frame(path, container))

    def _key(self, frame: _Frame, event: Any, kind: str, line: int) -> None:
        if kind != "ScalarEvent":
            raise YamlProblem(line, "a key must be a single value, not a list or mapping")
        key = _resolve(event, line)
        # Keys Python's dict cannot tell apart (`1`, `1.0`, `true`) count as the same key:
        # a tool never needs two of them, and the check stays one lookup.
        if key in frame.value:
            first = self.lines.get((*frame.path, key), line)
            raise YamlProblem(
                line, f"duplicate key '{key}': it is already given on line {first} of this mapping"
            )
        frame.key, frame.has_key, frame.key_line = key, True, line

    def _place(self, frame: _Frame | None, line: int) -> tuple[Path_, int]:
        """The path of the value about to be stored, recording its line."""
        if frame is None:
            return (), line
        if isinstance(frame.value, dict):
            path: Path_ = (*frame.path, frame.key)
            self.lines[path] = frame.key_line
            return path, frame.key_line
        path = (*frame.path, len(frame.value))
        self.lines[path] = line
        return path, line

    def _store(self, frame: _Frame | None, value: Any) -> None:
        if frame is None:
            self.result = value
        elif isinstance(frame.value, dict):
            frame.value[frame.key] = value
            frame.key, frame.has_key = None, False
        else:
            frame.value.append(value)


def _check_tag(event: Any, allowed: tuple[str, ...], line: int) -> str | None:
    tag = event.tag
    if tag is None or tag == "!":
        return None
    tag = str(tag)
    if tag.startswith(_CORE) and tag[len(_CORE) :] in allowed:
        return tag[len(_CORE) :]
    raise YamlProblem(line, f"the tag {tag} is not allowed in a tool file")


def _resolve(event: Any, line: int) -> Any:
    """A scalar's value under the YAML 1.2 core schema, bounded."""
    text: str = event.value
    if event.style == ">":
        # ruamel's parser marks each fold of a folded scalar with a BEL ("\a") for its
        # round-trip mode; the value YAML means has none (a tool's description showed them).
        text = text.replace("\a", "")
    if len(text) > MAX_SCALAR_CHARS:
        raise YamlProblem(
            line, f"a value is {len(text):,} characters long; at most {MAX_SCALAR_CHARS:,}"
        )
    tag = _check_tag(event, ("str", "int", "float", "bool", "null"), line)
    plain = event.style is None and tag is None
    if tag == "str" or not (plain or tag):
        return text
    if tag in (None, "null") and text in _NULLS:
        return None
    if tag in (None, "bool") and text in _BOOLS:
        return _BOOLS[text]
    if tag in (None, "int"):
        number = _integer(text, line)
        if number is not None:
            return number
    if tag in (None, "float") and _FLOAT.fullmatch(text):
        return _finite(text, line)
    if tag in (None, "float") and (_INF.fullmatch(text) or _NAN.fullmatch(text)):
        raise YamlProblem(line, f"numbers must be finite, not {text}")
    if tag is not None:
        raise YamlProblem(line, f"'{text[:40]}' is not a valid !!{tag}")
    return text


def _integer(text: str, line: int) -> int | None:
    if _INT10.fullmatch(text):
        digits, base = text, 10
    elif _INT8.fullmatch(text):
        digits, base = text[2:], 8
    elif _INT16.fullmatch(text):
        digits, base = text[2:], 16
    else:
        return None
    # Checked on the length first: int() of thousands of digits raises, and is slow.
    if len(digits.lstrip("+-0")) > 64 // {10: 3, 8: 3, 16: 4}[base] + 1:
        raise YamlProblem(line, _too_large(text))
    number = int(digits, base)
    if not INT_MIN <= number <= INT_MAX:
        raise YamlProblem(line, _too_large(text))
    return number


def _too_large(text: str) -> str:
    shown = text if len(text) <= 30 else f"{text[:12]}...({len(text):,} characters)"
    return f"the number {shown} is too large (whole numbers are at most {INT_MAX})"


def _finite(text: str, line: int) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise YamlProblem(line, f"numbers must be finite, not {text[:40]}")
    return value
