"""The monthly report as the faces ask for it: over the local store, or over a hub.

The measures are computed by ``auditui.sync.measures`` whichever the source;
this is where a workspace's store, config and date are handed to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditui.services.workspace import Workspace
from auditui.sync.report import hub_report, local_report


def build_report(
    ws: Workspace, hub: str | None = None, by: str | None = None, index_path: Path | None = None
) -> dict[str, Any]:
    """The report document (``report --format json``); ``hub=None`` reports the local store."""
    if hub is None:
        return local_report(ws.store, by, ws.today())
    return hub_report(hub, ws.config, by, ws.today(), index_path)
