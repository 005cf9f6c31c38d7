"""Read a case list exported from a recording system (Mosaic, Liquidlogic, Eclipse).

The file comes from another system and is handled like hostile input: only
a regular file is read (a FIFO or a device would hang or never end), at most
``MAX_BYTES`` of it, at most ``MAX_ROWS`` cases, each cell at most
``NAME_LIMIT`` characters; every row is checked before anything is kept, and
the first bad one refuses the whole file, naming its line and column.

What Excel writes is read as it is: "CSV UTF-8" (with a byte order mark),
plain "CSV (Comma delimited)" in the Windows code page (cp1252), CRLF line
ends, quoted cells, trailing empty rows and cells padded with spaces. Columns
are matched to fields by name (``case_ref`` or "Case ref", any case), or as
mapped with ``--map COLUMN=FIELD``; other columns are ignored.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from auditui.config import OrganisationConfig
from auditui.domain.records import CASE_TYPE_LABELS, NAME_LIMIT, checked_name, parse_date
from auditui.errors import AuditUIError, ProgrammeError

MAX_BYTES = 64 * 1024 * 1024
"""A case list of 200,000 rows is about 20 MB; anything far larger is not one."""
MAX_ROWS = 200_000
FIELDS = ("case_ref", "case_type", "team", "practitioner", "opened_on", "closed_on")
_TYPE_BY_WORD = {
    **{code.casefold(): code for code in CASE_TYPE_LABELS},
    **{label.casefold(): code for code, label in CASE_TYPE_LABELS.items()},
}


@dataclass(frozen=True)
class CaseRow:
    """One case of the list, checked; dates as ISO text or None."""

    case_ref: str
    case_type: str
    team: str
    practitioner: str
    opened_on: str | None
    closed_on: str | None
    line: int

    def values(self) -> tuple[str | int | None, ...]:
        return (*(getattr(self, f) for f in FIELDS), self.line)


def read_file(path: Path) -> bytes:
    """The bytes of ``path``, refused unless it is a regular file of at most ``MAX_BYTES``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ProgrammeError(f"Cannot read the case list {path}: {exc.strerror}.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ProgrammeError(f"The case list {path} is not a regular file; nothing was read.")
        if info.st_size > MAX_BYTES:
            raise ProgrammeError(_too_big(path))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ProgrammeError(f"Cannot read the case list {path}: {exc.strerror}.") from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise ProgrammeError(_too_big(path))
    return data


def _too_big(path: Path) -> str:
    return (
        f"The case list {path} is larger than {MAX_BYTES // (1024 * 1024)} MB; "
        "it is not a case list auditui can read."
    )


def parse_map(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``COLUMN=FIELD`` options as {column name (folded): field}."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.partition("=")
        field = field.strip().lower()
        if not sep or not column.strip():
            raise ProgrammeError(
                f"--map '{pair}': write it as COLUMN=FIELD, e.g. 'Case ID=case_ref'."
            )
        if field not in FIELDS:
            raise ProgrammeError(f"--map '{pair}': '{field}' is not one of {', '.join(FIELDS)}.")
        mapping[column.strip().casefold()] = field
    return mapping


def parse_cases(
    data: bytes,
    name: str,
    organisation: OrganisationConfig,
    mapping: Mapping[str, str] | None = None,
) -> list[CaseRow]:
    """Every case in ``data`` (a CSV file's bytes), or a ``ProgrammeError`` naming the first
    bad line and column. ``name`` is how messages name the file."""
    text = _decoded(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    columns: dict[int, str] = {}
    cases: list[CaseRow] = []
    seen: dict[str, int] = {}
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                columns = _columns(header, mapping or {}, f"{name} line {start}")
                continue
            if len(cases) >= MAX_ROWS:
                raise ProgrammeError(f"{name} has more than {MAX_ROWS:,} cases; split it.")
            case = _case(cells, header, columns, organisation, f"{name} line {start}", start)
            if case.case_ref in seen:
                raise ProgrammeError(
                    f"{name} line {start}, column '{header[_index(columns, 'case_ref')]}': "
                    f"case {case.case_ref} is also on line {seen[case.case_ref]}."
                )
            seen[case.case_ref] = start
            cases.append(case)
    except csv.Error as exc:
        raise ProgrammeError(f"{name} line {line}: this is not readable CSV ({exc}).") from None
    if header is None or not cases:
        raise ProgrammeError(f"{name} has no cases; the case list was not changed.")
    return cases


def _decoded(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise ProgrammeError(f"{name} is not a CSV file (it contains NUL bytes).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Excel's "CSV (Comma delimited)" on Windows
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProgrammeError(
            f"{name} line {line}: the file is neither UTF-8 nor Windows text; save it from "
            'Excel as "CSV UTF-8".'
        ) from None


def _columns(header: list[str], mapping: Mapping[str, str], where: str) -> dict[int, str]:
    """{column index: field} from the header row and the ``--map`` options."""
    folded = [h.casefold() for h in header]
    for column in mapping:
        if column not in folded:
            raise ProgrammeError(
                f"{where}: --map names a column '{column}' the header does not have."
            )
    columns: dict[int, str] = {}
    for index, heading in enumerate(folded):
        field = mapping.get(heading) or _field_named(heading)
        if field is None:
            continue
        if field in columns.values():
            other = header[_index(columns, field)]
            raise ProgrammeError(
                f"{where}, column '{header[index]}': {field} is already column '{other}'; "
                "map one of them to another field."
            )
        columns[index] = field
    if "case_ref" not in columns.values():
        raise ProgrammeError(
            f"{where}: no column is the case reference; name it case_ref or map it, "
            "e.g. --map 'Case ID=case_ref'."
        )
    return columns


def _field_named(heading: str) -> str | None:
    word = "_".join(heading.replace("-", " ").split())
    return word if word in FIELDS else None


def _index(columns: Mapping[int, str], field: str) -> int:
    return next(i for i, f in columns.items() if f == field)


def _case(
    cells: list[str],
    header: list[str],
    columns: Mapping[int, str],
    organisation: OrganisationConfig,
    where: str,
    line: int,
) -> CaseRow:
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        raise ProgrammeError(
            f"{where}: {len(cells)} cells, but the header has {len(header)} columns."
        )
    values: dict[str, str] = dict.fromkeys(FIELDS, "")
    for index, field in columns.items():
        raw = cells[index] if index < len(cells) else ""
        try:
            values[field] = _checked(field, raw, organisation)
        except AuditUIError as exc:
            raise ProgrammeError(f"{where}, column '{header[index]}': {exc.message}") from None
    if not values["case_ref"]:
        column = header[_index(columns, "case_ref")]
        raise ProgrammeError(f"{where}, column '{column}': the case reference is empty.")
    opened, closed = values["opened_on"] or None, values["closed_on"] or None
    if opened and closed and closed < opened:
        column = header[_index(columns, "closed_on")]
        raise ProgrammeError(
            f"{where}, column '{column}': the case closed ({closed}) before it opened ({opened})."
        )
    return CaseRow(
        values["case_ref"],
        values["case_type"],
        values["team"],
        values["practitioner"],
        opened,
        closed,
        line,
    )


def _checked(field: str, raw: str, organisation: OrganisationConfig) -> str:
    """One cell as stored, or an ``AuditUIError`` saying what is wrong with it."""
    if len(raw) > NAME_LIMIT:
        raise ProgrammeError(
            f"{len(raw):,} characters is longer than the {NAME_LIMIT} a cell may have."
        )
    value = checked_name(raw, field.replace("_", " ").capitalize())
    if not value:
        return ""
    if field == "case_ref":
        value = organisation.check_case_reference(value)
    elif field == "case_type":
        code = _TYPE_BY_WORD.get(value.casefold())
        if code is None:
            raise ProgrammeError(
                f"'{value}' is not a case type; use one of {', '.join(CASE_TYPE_LABELS)}."
            )
        return code
    elif field == "team":
        organisation.check_team(value)
    elif field in ("opened_on", "closed_on"):
        return parse_date(value, field.replace("_", " ").capitalize()).isoformat()
    return value
