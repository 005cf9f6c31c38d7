"""How the programme is going: the "audit progress report" a QA lead takes to the monthly forum.

Counts come from each item's derived status (``domain.plan_items``), so
progress always agrees with ``programme show``; the store counts items per
month, group and audit status, and the status is derived once per such
count rather than once per item. The keys keep spec/cli.md's meanings,
which scripts outside auditui rely on: ``planned`` is every item planned;
``started``, ``ended`` and ``missed`` those in that status (the rest are not
started yet), so ``missed`` counts every item whose month is over without
its audit having ended, started or not; ``ended_pct`` is ended out of
planned, rounded half up to one decimal like every percentage auditui
shows. One count is added, after the spec's keys: ``missed_under_way``, the
missed items whose audit was started and is still a draft, so the forum
hears that the work is under way. Months are written the UK way on the
forum line (``Nov 2026``); JSON keeps ISO.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from auditui.domain.percent import percent
from auditui.domain.plan_items import audit_under_way, item_status
from auditui.domain.uk_dates import month_label
from auditui.services.programme import parse_month
from auditui.services.workspace import Workspace
from auditui.store import programme as plan_rows

GROUPINGS = ("team", "auditor")
COUNTED = ("started", "ended", "missed")
MISSED_UNDER_WAY = "missed_under_way"
SPEC_KEYS = ("planned", "started", "ended", "missed", "ended_pct")
"""spec/cli.md's counts, in its order and with its meanings; ``groups`` follows them."""


def progress(ws: Workspace, month: str | None = None, by: str | None = None) -> dict[str, Any]:
    """{planned, started, ended, missed, ended_pct, groups, missed_under_way} over one month,
    or every month planned; ``groups`` has the same counts per team or auditor (``by``)."""
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
        if status == "missed" and audit_under_way(row["audit_status"]):
            counted.append(MISSED_UNDER_WAY)
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
    planned = sum(n for status, n in by_status.items() if status != MISSED_UNDER_WAY)
    counts: dict[str, Any] = {"planned": planned}
    counts.update({status: by_status[status] for status in COUNTED})
    counts["ended_pct"] = percent(by_status["ended"], planned)
    counts[MISSED_UNDER_WAY] = by_status[MISSED_UNDER_WAY]
    return counts


def as_json(report: dict[str, Any]) -> dict[str, Any]:
    """The document ``programme progress --format json`` prints: spec/cli.md's keys in its
    order, then ``missed_under_way``; each group the same."""
    keys = (*SPEC_KEYS, MISSED_UNDER_WAY)
    out: dict[str, Any] = {k: report[k] for k in SPEC_KEYS}
    out["groups"] = [{"group": g["group"], **{k: g[k] for k in keys}} for g in report["groups"]]
    out[MISSED_UNDER_WAY] = report[MISSED_UNDER_WAY]
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
        f"({pct:.1f}%), {report['started']} in progress, {waiting} not started, "
        f"{report['missed']} missed{_under_way(report)}."
    )


def _under_way(report: dict[str, Any]) -> str:
    """Of the missed, how many were started: the forum hears the work is under way."""
    started = report[MISSED_UNDER_WAY]
    return f" ({started} of them started, not yet ended)" if started else ""
