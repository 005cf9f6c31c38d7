"""The monthly report as the faces ask for it: over the local store, or over a hub.

The measures are computed by ``auditui.sync.measures`` (and the format 2
measures by ``auditui.sync.measure_counts``) whichever the source; this is
where a workspace's store, config, loaded tools and date are handed to them,
and where the dates a person typed for the period are read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from auditui.domain.records import parse_date
from auditui.services.workspace import Workspace
from auditui.sync.measure_counts import Key, MeasureInfo, catalogue
from auditui.sync.report import hub_report, local_report

MEASURE_GROUPINGS = ("month", "team", "tool")
"""What ``report measures --by`` takes (spec/cli.md)."""


def build_report(
    ws: Workspace,
    hub: str | None = None,
    by: str | None = None,
    index_path: Path | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> dict[str, Any]:
    """The report document (``report --format json``); ``hub=None`` reports the local store.

    ``start``/``end`` (ISO or DD/MM/YYYY, inclusive) limit it to the audits that ended
    between them. ``measures`` (overall and in each group) are the questions the loaded
    tools mark as measures; ``themes`` (overall and in each group shown) the themes
    findings raise most often, ``{"development": [{"theme", "audits"}, ...],
    "strengths": [...]}``, most often raised first (``sync.theme_counts``);
    ``question_themes`` the tagged questions most often answered no or partly.
    """
    period = None
    if start is not None or end is not None:
        period = (
            parse_date(start, "Report from (--from)").isoformat() if start is not None else None,
            parse_date(end, "Report to (--to)").isoformat() if end is not None else None,
        )
    known = known_measures(ws)
    if hub is None:
        tools = ws.library.tools
        return local_report(ws.store, by, ws.today(), period, lambda t, v: tools.get((t, v)), known)
    return hub_report(hub, ws.config, by, ws.today(), index_path, period, known)


def known_measures(ws: Workspace) -> dict[Key, MeasureInfo]:
    """Every measure the loaded tools mark, labelled by the newest version carrying it."""
    return catalogue([*ws.library.current(), *ws.library.tools.values()])


def measures_report(
    ws: Workspace,
    hub: str | None = None,
    by: str | None = None,
    index_path: Path | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> dict[str, Any]:
    """``report measures``: the report's measures alone, overall and per group."""
    report = build_report(ws, hub, by, index_path, start, end)
    keep = ("source", "today", "by", "from", "to", "small_group_threshold", "suppressed")
    return {
        **{k: report.get(k) for k in keep},
        "audits": report.get("audits"),
        "measures": report["measures"],
        "groups": [
            {"group": g["group"], "audits": g["audits"], "measures": g["measures"]}
            for g in report["groups"]
        ],
        "suppressed_groups": report["suppressed_groups"],
        "quarantined": report.get("quarantined", []),
    }


def concern_figures(
    ws: Workspace,
    hub: str | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> dict[str, Any] | None:
    """The safeguarding concerns raised in the period, as counts and response times only
    (``concerns.concern_counts``), from the same source as the report; ``None`` when that
    source cannot give them (a hub older than concerns), so the report still stands."""
    from auditui.errors import HubError
    from auditui.services.concerns import concern_counts, concerns_in_period

    # An open end is bounded by dates every hub can compare (no concern is raised later).
    first = parse_date(start, "Report from (--from)") if start is not None else dt.date(2000, 1, 1)
    last = parse_date(end, "Report to (--to)") if end is not None else dt.date(2999, 12, 31)
    try:
        found = concerns_in_period(ws, first, last, hub)
    except HubError:
        return None
    return concern_counts(found, ws.config.organisation.calendar, ws.today())
