"""Read a YAML 1.2 file into plain Python values, remembering every line.

Tool files are written by hand, so a problem must point at a line. ruamel.yaml
parses YAML 1.2 (where `yes` and `no` are strings, as QA leads mean them) and
keeps each key's position; this module turns its round-trip objects into
plain dicts and lists and a ``{path: line}`` map the loader reports from.

ruamel is imported on the first parse, not with this module: a start whose
tool files all come from the parse cache never needs it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ruamel.yaml import YAML

Path_ = tuple[str | int, ...]


class YamlProblem(Exception):
    """The file could not be parsed; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class YamlDocument:
    data: Any
    lines: dict[Path_, int]

    def line_of(self, path: Path_) -> int:
        """The line of the deepest part of ``path`` that the file has."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def _parser() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


def parse_yaml_bytes(raw: bytes) -> YamlDocument:
    """A document from a file's bytes, which must be UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)"
        ) from None
    return parse_yaml(text)


def parse_yaml(text: str) -> YamlDocument:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = _parser().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or exc.context or "not valid YAML"
        if "\t" in text and "\\t" in str(what):
            what = "a tab is not allowed here (indent with spaces)"
        raise YamlProblem(line, f"YAML syntax error: {what}") from None
    except YAMLError as exc:
        raise YamlProblem(1, f"YAML syntax error: {exc}") from None
    lines: dict[Path_, int] = {(): 1}
    return YamlDocument(_plain(data, (), lines), lines)


def _plain(node: Any, path: Path_, lines: dict[Path_, int]) -> Any:
    """Plain values from ruamel's round-trip maps and lists (dict and list subclasses)."""
    marks: Any = getattr(node, "lc", None)  # ruamel's line and column record
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            plain_key = _scalar(key)
            child = (*path, plain_key)
            try:
                lines[child] = marks.key(key)[0] + 1
            except (AttributeError, KeyError, TypeError):
                lines[child] = lines.get(path, 1)
            out[plain_key] = _plain(value, child, lines)
        return out
    if isinstance(node, list):
        items = []
        for index, value in enumerate(node):
            child = (*path, index)
            try:
                lines[child] = marks.item(index)[0] + 1
            except (AttributeError, KeyError, TypeError, IndexError):
                lines[child] = lines.get(path, 1)
            items.append(_plain(value, child, lines))
        return items
    return _scalar(node)


def _scalar(value: Any) -> Any:
    """Round-trip scalar subclasses back to the plain types pydantic expects."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return value
