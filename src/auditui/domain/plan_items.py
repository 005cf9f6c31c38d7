"""A plan item: one case, one month, one auditor; and the status it is in.

The status is never stored. It follows from the audit linked to the item
(``audit new --plan``) and from the calendar, so it can never disagree
with the audit itself:

- ``ended``: the linked audit is finalised or closed incomplete;
- ``started``: an audit is linked and still a draft, whatever the month;
- ``missed``: the month is over and no audit was started for the item;
- ``planned``: no audit yet, and the month is not over.

An item not ended when its month is over is also *overdue* (``is_overdue``):
a missed one always, and a started one too. A started audit is not counted
as missed, since the work is under way and saying "missed" would hide it
(the reviewer's finding, issue 15); it is counted as started and overdue.

``hub_record`` is the shape a plan item takes when it travels through a
hub: every field that names a case goes through the ``seal`` function the
caller hands in (the hub layer's organisation-key sealing), so this module
never decides how a reference is protected, and no caller can forget to.
A moderation allocation can use ``sealed`` the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from auditui.domain.sampling import Month

ITEM_STATUSES = ("planned", "started", "ended", "missed")
ENDED_AUDIT_STATUSES = frozenset({"finalised", "closed_incomplete"})
CASE_FIELDS = ("case_ref",)
"""Fields of a hub record that name a child's case: sealed before they leave this machine."""

RECORD_VERSION = 1


def same_name(a: str, b: str) -> bool:
    """Whether two spellings name one person: "ann khan" is Ann Khan (case and the spaces
    around ignored), so a plan, an allocation or "never its own auditor" cannot be
    defeated, or missed, by how a name was typed."""
    return a.strip().casefold() == b.strip().casefold()


def item_status(month: str, audit_status: str | None, today: dt.date) -> str:
    """The status of an item planned for ``month`` whose linked audit has ``audit_status``."""
    if audit_status in ENDED_AUDIT_STATUSES:
        return "ended"
    if audit_status is not None:
        return "started"
    return "missed" if month_over(month, today) else "planned"


def month_over(month: str, today: dt.date) -> bool:
    return str(Month.of(today)) > month


def is_overdue(month: str, status: str, today: dt.date) -> bool:
    """Whether an item in ``status`` is past its month without having ended."""
    return status != "ended" and month_over(month, today)


@dataclass(frozen=True)
class PlanItem:
    """One planned audit, as ``programme show`` lists it."""

    id: str
    month: str
    case_ref: str
    case_type: str
    team: str
    tool: str
    kind: str
    auditor: str
    status: str
    audit_id: str | None
    practitioner: str = ""
    plan_id: str = ""
    overdue: bool = False
    """Its month is over and it has not ended (missed, or started and overdue)."""

    SHOWN = ("id", "month", "case_ref", "case_type", "team", "tool", "kind", "auditor")

    @classmethod
    def from_row(cls, row: Any, today: dt.date) -> PlanItem:
        status = item_status(row["month"], row["audit_status"], today)
        return cls(
            id=row["id"],
            month=row["month"],
            case_ref=row["case_ref"],
            case_type=row["case_type"],
            team=row["team"],
            tool=row["tool_id"],
            kind=row["kind"],
            auditor=row["auditor"],
            status=status,
            audit_id=row["audit_id"],
            practitioner=row["practitioner"],
            plan_id=row["plan_id"],
            overdue=is_overdue(row["month"], status, today),
        )

    def as_json(self) -> dict[str, Any]:
        """The object of ``programme show --format json`` (spec/cli.md), keys in its order."""
        out: dict[str, Any] = {k: getattr(self, k) for k in self.SHOWN}
        out["status"] = self.status
        out["audit_id"] = self.audit_id
        return out

    def hub_record(self, seal: Callable[[str], str]) -> dict[str, Any]:
        """The item as a hub record: the case reference sealed by ``seal``, no status
        (each reader derives it from the audits it holds)."""
        fields = asdict(self)
        fields.pop("status")
        fields.pop("overdue")
        return {"record": "plan_item", "version": RECORD_VERSION, **sealed(fields, seal)}


def sealed(fields: Mapping[str, Any], seal: Callable[[str], str]) -> dict[str, Any]:
    """``fields`` with every case-naming field (``CASE_FIELDS``) passed through ``seal``."""
    return {k: (seal(v) if k in CASE_FIELDS and v else v) for k, v in fields.items()}
