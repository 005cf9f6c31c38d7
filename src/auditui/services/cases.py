"""The case list a QA lead imports: checked whole, then put in place of the old one.

``import_cases`` reads and checks every row before it opens a transaction,
and replaces the list inside one, so a refused file changes nothing and an
interrupted import leaves the previous list as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditui.domain.plurals import counted
from auditui.services.case_csv import CaseRow, parse_cases, parse_map, read_file
from auditui.services.workspace import Workspace
from auditui.store import cases as case_rows

LIST_FIELDS = case_rows.CASE_FIELDS


@dataclass(frozen=True)
class CaseImport:
    """What an import did, for the one line a face prints."""

    file_name: str
    cases: int
    teams: int

    def summary(self) -> str:
        return (
            f"Imported {counted(self.cases, 'case')} in {counted(self.teams, 'team')} from "
            f"{self.file_name}; "
            "they replace the previous case list."
        )


def import_cases(
    ws: Workspace, path: Path, map_pairs: tuple[str, ...] | list[str] = ()
) -> CaseImport:
    """Check every row of the CSV at ``path`` and make it the case list, or refuse it whole."""
    mapping = parse_map(map_pairs)
    data = read_file(path)
    found = parse_cases(data, str(path), ws.config.organisation, mapping)
    return replace(ws, found, path.name)


def replace(ws: Workspace, found: list[CaseRow], file_name: str) -> CaseImport:
    """Make ``found`` (already checked) the case list, in one transaction."""
    with ws.store.transaction() as conn:
        count = case_rows.replace_cases(
            conn, (c.values() for c in found), file_name, ws.user, ws.now()
        )
    return CaseImport(file_name, count, len({c.team for c in found if c.team}))


def list_cases(ws: Workspace, team: str | None = None) -> list[dict[str, Any]]:
    """The case list (or one team's) as dicts of ``LIST_FIELDS``."""
    return [{k: row[k] for k in LIST_FIELDS} for row in case_rows.list_cases(ws.store, team)]
