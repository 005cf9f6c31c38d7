"""Which audits an export covers: ended in a period, a team, a tool, a status.

One filter for every table (answers and actions follow their audit), turned
into one SQL condition over the ``audits`` table by the store (``export_rows``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from auditui.errors import InvalidAnswerError
from auditui.store.export_rows import export_filter


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
        if self.status is not None:
            self._check_status(self.status)
        if self.ended_from and self.ended_to and self.ended_to < self.ended_from:
            raise InvalidAnswerError(
                f"Dates: --to {self.ended_to} is before --from {self.ended_from}."
            )

    @staticmethod
    def _check_status(status: str) -> None:
        from auditui.domain.records import STATUSES  # only when a status is asked for

        if status not in STATUSES:
            raise InvalidAnswerError(f"Status: '{status}' is not one of {', '.join(STATUSES)}.")

    def where(self, alias: str = "audits") -> tuple[str, list[Any]]:
        """``(" WHERE ...", params)``, or ``("", [])`` when nothing is filtered."""
        return export_filter(
            alias, self.ended_from, self.ended_to, self.team, self.tool, self.status
        )
