"""The monthly report as the faces ask for it: over the local store, or over a hub.

The measures are computed by ``auditui.sync.measures`` whichever the source;
this is where a workspace's store, config and date are handed to it, and
where the dates a person typed for the period are read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from auditui.domain.records import parse_date
from auditui.services.workspace import Workspace
from auditui.sync.report import hub_report, local_report


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
    between them.
    """
    period = None
    if start is not None or end is not None:
        period = (
            parse_date(start, "Report from (--from)").isoformat() if start is not None else None,
            parse_date(end, "Report to (--to)").isoformat() if end is not None else None,
        )
    if hub is None:
        return local_report(ws.store, by, ws.today(), period)
    return hub_report(hub, ws.config, by, ws.today(), index_path, period)
