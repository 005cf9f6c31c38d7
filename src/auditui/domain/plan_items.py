"""A plan item: one case, one month, one auditor; and the status it is in.

The status is never stored. It follows from the audit linked to the item
(``audit new --plan``) and from the calendar, so it can never disagree
with the audit itself:

- ``ended``: the linked audit is finalised or closed incomplete;
- ``missed``: the month is over and the item has not ended, whether or not
  an audit was started (spec/cli.md: scripts outside auditui rely on it);
- ``started``: an audit is linked and still a draft, and the month is not over;
- ``planned``: no audit yet, and the month is not over.

An item is also *under way* (``audit_under_way``) while an audit is linked
and has not ended: every started item, and a missed one whose audit is
still a draft. The screens say so ("missed (started, not ended)"), so a
missed item is never mistaken for work nobody began (issue 15's finding).

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
    if str(Month.of(today)) > month:
        return "missed"
    return "started" if audit_status is not None else "planned"


def audit_under_way(audit_status: str | None) -> bool:
    """Whether an item's linked audit (``audit_status``) was started and has not ended."""
    return audit_status is not None and audit_status not in ENDED_AUDIT_STATUSES


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
    under_way: bool = False
    """An audit was started and has not ended: every started item, and a missed one
    whose audit is still a draft."""

    SHOWN = ("id", "month", "case_ref", "case_type", "team", "tool", "kind", "auditor")

    @classmethod
    def from_row(cls, row: Any, today: dt.date) -> PlanItem:
        return cls(
            id=row["id"],
            month=row["month"],
            case_ref=row["case_ref"],
            case_type=row["case_type"],
            team=row["team"],
            tool=row["tool_id"],
            kind=row["kind"],
            auditor=row["auditor"],
            status=item_status(row["month"], row["audit_status"], today),
            audit_id=row["audit_id"],
            practitioner=row["practitioner"],
            plan_id=row["plan_id"],
            under_way=audit_under_way(row["audit_status"]),
        )

    def as_json(self) -> dict[str, Any]:
        """The object of ``programme show --format json``: spec/cli.md's keys in its order,
        then ``under_way`` (an addition: no spec key changes meaning)."""
        out: dict[str, Any] = {k: getattr(self, k) for k in self.SHOWN}
        out["status"] = self.status
        out["audit_id"] = self.audit_id
        out["under_way"] = self.under_way
        return out

    def hub_record(self, seal: Callable[[str], str]) -> dict[str, Any]:
        """The item as a hub record: the case reference sealed by ``seal``, no status
        (each reader derives it from the audits it holds)."""
        fields = asdict(self)
        fields.pop("status")
        fields.pop("under_way")
        return {"record": "plan_item", "version": RECORD_VERSION, **sealed(fields, seal)}


def sealed(fields: Mapping[str, Any], seal: Callable[[str], str]) -> dict[str, Any]:
    """``fields`` with every case-naming field (``CASE_FIELDS``) passed through ``seal``."""
    return {k: (seal(v) if k in CASE_FIELDS and v else v) for k, v in fields.items()}
