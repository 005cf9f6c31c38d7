"""How the programme is going: the "audit progress report" a QA lead takes to the monthly forum.

Counts come from each item's derived status (``domain.plan_items``), so
progress always agrees with ``programme show``; the store counts items per
month, group and audit status, and the status is derived once per such
count rather than once per item. ``planned`` is every item planned;
``started``, ``ended`` and ``missed`` those in that status (the rest are not
started yet); ``started_overdue`` those started whose month is over without
their audit having ended (counted in ``started`` too: the work is under way,
so it is not called missed; missed is a month over with no audit started);
and ``ended_pct`` is ended out of planned, rounded half up to one decimal
like every percentage auditui shows. Months are written the UK way on the
forum line (``Nov 2026``); JSON keeps ISO.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from auditui.domain.percent import percent
from auditui.domain.plan_items import is_overdue, item_status
from auditui.domain.uk_dates import month_label
from auditui.services.programme import parse_month
from auditui.services.workspace import Workspace
from auditui.store import programme as plan_rows

GROUPINGS = ("team", "auditor")
COUNTED = ("started", "ended", "missed")
STARTED_OVERDUE = "started_overdue"
JSON_KEYS = ("planned", "started", STARTED_OVERDUE, "ended", "missed", "ended_pct", "groups")


def progress(ws: Workspace, month: str | None = None, by: str | None = None) -> dict[str, Any]:
    """{planned, started, started_overdue, ended, missed, ended_pct, groups} over one month, or every
    month planned; ``groups`` has the same counts per team or auditor (``by``)."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    if month is not None:
        month = str(parse_month(month))
    today = ws.today()
    total: Counter[str] = Counter()
    groups: dict[str, Counter[str]] = {}
    months: set[str] = set()
    for row in plan_rows.status_counts(ws.store, month, by):
        status = item_status(row["month"], row["audit_status"], today)
        months.add(row["month"])
        counted = [status]
        if status == "started" and is_overdue(row["month"], status, today):
            counted.append(STARTED_OVERDUE)
        for name in counted:
            total[name] += row["n"]
            if by is not None:
                groups.setdefault(row["grp"], Counter())[name] += row["n"]
    out = _counts(total)
    out["groups"] = [{"group": name, **_counts(groups[name])} for name in sorted(groups)]
    out["months"] = sorted(months) if month is None else [month]
    return out


def _counts(by_status: Counter[str]) -> dict[str, Any]:
    """The report's counts from the number of items in each status."""
    planned = sum(n for status, n in by_status.items() if status != STARTED_OVERDUE)
    counts: dict[str, Any] = {"planned": planned}
    counts.update({status: by_status[status] for status in (*COUNTED, STARTED_OVERDUE)})
    counts["ended_pct"] = percent(by_status["ended"], planned)
    return counts


def as_json(report: dict[str, Any]) -> dict[str, Any]:
    """The document ``programme progress --format json`` prints: exactly spec/cli.md's keys."""
    out = {k: report[k] for k in JSON_KEYS}
    out["groups"] = [
        {"group": g["group"], **{k: g[k] for k in JSON_KEYS if k != "groups"}}
        for g in report["groups"]
    ]
    return out


def forum_line(report: dict[str, Any]) -> str:
    """One line for the monthly forum's minutes."""
    months = report["months"]
    if not months:
        return "Audit programme: nothing is planned yet."
    first, last = month_label(months[0]), month_label(months[-1])
    period = first if len(months) == 1 else f"{first} to {last}"
    planned = report["planned"]
    if not planned:
        return f"Audit programme {period}: nothing is planned."
    pct = report["ended_pct"]
    waiting = planned - report["started"] - report["ended"] - report["missed"]
    return (
        f"Audit programme {period}: {report['ended']} of {planned} planned audits ended "
        f"({pct:.1f}%), {report['started']} in progress{_overdue(report)}, {waiting} not started, "
        f"{report['missed']} missed."
    )


def _overdue(report: dict[str, Any]) -> str:
    late = report[STARTED_OVERDUE]
    return f" ({late} overdue)" if late else ""
