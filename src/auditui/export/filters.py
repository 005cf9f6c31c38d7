"""Which audits an export covers: ended in a period, a team, a tool, a status.

One filter for every table (answers and actions follow their audit), turned
into one SQL condition over the ``audits`` table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from auditui.domain.records import STATUSES
from auditui.errors import InvalidAnswerError


@dataclass(frozen=True)
class ExportFilter:
    ended_from: dt.date | None = None
    """First finalise (or close) date included; drafts have none, so are left out."""
    ended_to: dt.date | None = None
    """Last finalise (or close) date included."""
    team: str | None = None
    tool: str | None = None
    """An audit tool id; every version of it."""
    status: str | None = None
    """draft, finalised or closed_incomplete."""

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise InvalidAnswerError(
                f"Status: '{self.status}' is not one of {', '.join(STATUSES)}."
            )
        if self.ended_from and self.ended_to and self.ended_to < self.ended_from:
            raise InvalidAnswerError(
                f"Dates: --to {self.ended_to} is before --from {self.ended_from}."
            )

    def where(self, alias: str = "audits") -> tuple[str, list[Any]]:
        """``(" WHERE ...", params)``, or ``("", [])`` when nothing is filtered."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.ended_from is not None:
            clauses.append(f"{alias}.ended_on >= ?")
            params.append(self.ended_from.isoformat())
        if self.ended_to is not None:
            clauses.append(f"{alias}.ended_on <= ?")
            params.append(self.ended_to.isoformat())
        for column, value in (("team", self.team), ("tool_id", self.tool), ("status", self.status)):
            if value is not None:
                clauses.append(f"{alias}.{column} = ?")
                params.append(value)
        return (" WHERE " + " AND ".join(clauses) if clauses else "", params)
