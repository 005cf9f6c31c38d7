"""Load audit tool files, refusing broken ones with every problem at once.

A QA lead edits YAML by hand; the loader's job is to say precisely what to
fix: ``path:line: tool-id/section-id/question-id: what is wrong``, one line
per problem. One broken file never stops the other tools from loading.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from auditui.errors import ToolFileError
from auditui.tools.checks import Loc, check_partial, check_tool
from auditui.tools.models import ID_PATTERN, AuditTool
from auditui.tools.parse_cache import ParseCache
from auditui.tools.tool_bytes import one_line, read_tool_bytes
from auditui.tools.yamlfile import YamlDocument, YamlProblem, parse_yaml_bytes

__all__ = ["load_tool_file", "one_line", "read_tool_bytes"]


def load_tool_file(path: Path, cache: ParseCache | None = None) -> AuditTool:
    """The tool in ``path``, or ``ToolFileError`` listing every problem.

    With a ``cache``, a file whose bytes were valid before skips the YAML
    parse; it is still validated and checked, and read in full if that fails.
    """
    raw = read_tool_bytes(path)
    if cache is not None:
        tool = _valid_or_none(cache.get(raw))
        if tool is not None:
            return tool
    tool, data = _load(path, raw)
    if cache is not None:
        cache.put(raw, data)
    return tool


def _valid_or_none(data: Any) -> AuditTool | None:
    if not isinstance(data, dict):
        return None
    try:
        tool = AuditTool.model_validate(data)
    except ValidationError:
        return None
    return None if check_tool(tool) else tool


def _load(path: Path, raw: bytes) -> tuple[AuditTool, Any]:
    try:
        doc = parse_yaml_bytes(raw)
    except YamlProblem as exc:
        valid_id = exc.tool_id is not None and re.fullmatch(ID_PATTERN, exc.tool_id)
        name = exc.tool_id if valid_id else path.stem
        raise ToolFileError([one_line(f"{path}:{exc.line}: {name}: {exc.message}")]) from None
    if not isinstance(doc.data, dict):
        raise ToolFileError([f"{path}:1: {path.stem}: an audit tool file must be a YAML mapping"])
    try:
        tool = AuditTool.model_validate(doc.data)
    except ValidationError as exc:
        located = _validation_problems(doc, exc)
        located += [(loc, msg) for loc, msg in check_partial(doc.data) if loc not in dict(located)]
        located += [p for p in _unquoted_numbers(doc) if p[0] not in dict(located)]
        raise ToolFileError(_report(path, doc, located)) from None
    problems = check_tool(tool)
    problems += [p for p in _unquoted_numbers(doc) if p[0] not in dict(problems)]
    if problems:
        raise ToolFileError(_report(path, doc, problems))
    return tool, doc.data


def _unquoted_numbers(doc: YamlDocument) -> list[tuple[Loc, str]]:
    """(2) A form's number is a quoted string: ``number: "12a"``, not ``number: 12a``."""
    found = []
    for path in sorted(doc.unquoted, key=doc.line_of):
        on_section = len(path) == 3 and path[0] == "sections"
        on_question = len(path) == 5 and path[0] == "sections" and path[2] == "questions"
        if path[-1] == "number" and (on_section or on_question):
            found.append((path, f'number must be quoted, as in number: "{_at(doc.data, path)}"'))
    return found


def _report(path: Path, doc: YamlDocument, problems: list[tuple[Loc, str]]) -> list[str]:
    ordered = sorted(problems, key=lambda p: doc.line_of(p[0]))
    return [_format(path, doc, loc, message) for loc, message in ordered]


def _validation_problems(doc: YamlDocument, exc: ValidationError) -> list[tuple[Loc, str]]:
    seen: dict[Loc, str] = {}
    for error in exc.errors(include_url=False):
        loc = _document_loc(doc.data, error["loc"], keep_last=error["type"] == "missing")
        if loc not in seen:
            seen[loc] = _message(error, loc, doc.data)
    return list(seen.items())


def _format(path: Path, doc: YamlDocument, loc: Loc, message: str) -> str:
    return one_line(f"{path}:{doc.line_of(loc)}: {_context(doc.data, loc, path)}: {message}")


def _context(data: Any, loc: Loc, path: Path) -> str:
    tool_id = data.get("id")
    valid_id = isinstance(tool_id, str) and re.fullmatch(ID_PATTERN, tool_id) is not None
    parts = [tool_id if valid_id else path.stem]
    if len(loc) >= 2 and loc[0] == "sections" and isinstance(loc[1], int):
        section = _at(data, loc[:2])
        parts.append(_id_of(section, f"sections[{loc[1]}]"))
        if len(loc) >= 4 and loc[2] == "questions" and isinstance(loc[3], int):
            parts.append(_id_of(_at(data, loc[:4]), f"questions[{loc[3]}]"))
    return "/".join(parts)


def _id_of(node: Any, fallback: str) -> str:
    if isinstance(node, dict) and isinstance(node.get("id"), str) and node["id"]:
        return node["id"]
    return fallback


def _at(data: Any, loc: Loc) -> Any:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _document_loc(data: Any, loc: tuple[Any, ...], keep_last: bool) -> Loc:
    """Drop the parts of a pydantic location that name union members, not keys."""
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and part in ("in_", "all_", "any_", "not_"):
            key = part.rstrip("_")
            if key in node:
                out.append(key)
                node = node[key]
        elif keep_last and i == len(loc) - 1:
            out.append(str(part))
    return tuple(out)


def _message(error: Any, loc: Loc, data: Any) -> str:
    kind = error["type"]
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "file")
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        parent = _at(data, loc[:-1])
        return _unknown_key(field, parent)
    if kind == "missing":
        return f"missing required key '{field}'"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        return f"{field}: '{value}' is not one of {ctx.get('expected', '').replace(chr(39), '')}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{field}: must be a whole number, not {_show(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"{field}: must be a number, not {_show(value)}"
    if kind in ("string_type",) and field == "number":
        return f'number must be a quoted string of 1 to 20 characters, such as "1.5", not {_show(value)}'
    if kind in ("string_type",):
        return f"{field}: must be text, not {_show(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"{field}: must be true or false, not {_show(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{field}: must be a mapping of keys to values, not {_show(value)}"
    if kind == "list_type":
        return f"{field}: must be a list, not {_show(value)}"
    if kind == "too_short":
        return f"{field}: must not be empty" if field != "file" else "must not be empty"
    if kind == "string_pattern_mismatch":
        return (
            f"{field}: '{value}' must be lower case letters, digits and hyphens, "
            "starting with a letter or digit"
        )
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        relation = "greater than" if kind == "greater_than" else "at least"
        return f"{field}: must be {relation} {bound}, not {_show(value)}"
    if kind in ("less_than", "less_than_equal"):
        bound = ctx.get("lt", ctx.get("le"))
        relation = "less than" if kind == "less_than" else "at most"
        return f"{field}: must be {relation} {bound}, not {_show(value)}"
    if kind == "condition_form":
        return str(error["msg"])
    return f"{field}: {error['msg']}"


def _unknown_key(key: str, parent: Any) -> str:
    known = _known_keys(parent)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{hint}"


def _known_keys(parent: Any) -> list[str]:
    from auditui.tools.format2_models import Compute, GradeDef, Measure, ScaleDef, Span
    from auditui.tools.models import Limiting, Option, Question, Rule, Section, ToolGrading

    if not isinstance(parent, dict):
        return []
    for model in (Question, Section, AuditTool, Option, Limiting, Rule, ToolGrading):
        fields = {f.alias or name for name, f in model.model_fields.items()}
        if "text" in parent and model is Question:
            return sorted(fields)
        if "questions" in parent and model is Section:
            return sorted(fields)
        if "sections" in parent and model is AuditTool:
            return sorted(fields)
    all_fields: set[str] = set()
    every: tuple[type[BaseModel], ...] = (
        Question,
        Section,
        AuditTool,
        Option,
        Limiting,
        Rule,
        ToolGrading,
        Compute,
        Span,
        Measure,
        ScaleDef,
        GradeDef,
    )
    for each in every:
        all_fields |= {f.alias or name for name, f in each.model_fields.items()}
    return sorted(all_fields)


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)
