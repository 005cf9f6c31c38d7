"""The monthly report, from the local store or from a hub, by the same rules.

Over the local store the report counts what this machine would send: the
latest ended revision of each audit (from the outbox, reduced by the same
``build.result_record`` a hub receives) and the actions as they stand now.
After a sync, the local report over one auditor's data and a hub report over
only that data give the same figures. Local reports hide nothing (it is the
auditor's own data); hub reports hide groups smaller than the threshold.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from auditui.config import Config
from auditui.store.db import Store, storage_errors
from auditui.sync.build import result_record
from auditui.sync.facts import ActionFact, Facts, facts_of
from auditui.sync.hub import open_hub
from auditui.sync.measures import GROUPINGS, build_report

FORMATS = ("table", "csv", "json")


def local_facts(store: Store, with_sections: bool = True) -> Facts:
    """Facts of the latest ended revision of every audit in the local store."""
    facts = Facts()
    with storage_errors():
        rows = store.conn.execute(
            "SELECT o.payload, o.created_at FROM outbox o JOIN"
            " (SELECT audit_id, max(revision) AS revision FROM outbox GROUP BY audit_id) latest"
            " ON latest.audit_id = o.audit_id AND latest.revision = o.revision"
        )
        for payload, created_at in rows:
            record = result_record(json.loads(payload), created_at, None, False)
            one = facts_of(record, with_actions=False)
            if not with_sections:
                one.sections = []
            facts.add(one)
        facts.actions = [
            ActionFact(*row)
            for row in store.conn.execute(
                "SELECT id, audit_id, due, status, completed_on FROM actions"
                " WHERE audit_id IN (SELECT audit_id FROM outbox)"
            )
        ]
    return facts


def local_report(store: Store, by: str | None, today: dt.date) -> dict[str, Any]:
    _check_by(by)
    facts = local_facts(store, with_sections=by == "section")
    return build_report(facts, by, today.isoformat(), 1, "local store")


def hub_report(
    target: str, config: Config, by: str | None, today: dt.date, index_path: Path | None = None
) -> dict[str, Any]:
    """The report over a folder hub (through the reader's own index) or a PostgreSQL hub."""
    _check_by(by)
    hub = open_hub(target, config.sync.small_group_threshold, index_path=index_path)
    try:
        return hub.report(by, today)
    finally:
        hub.close()


def _check_by(by: str | None) -> None:
    if by is not None and by not in GROUPINGS:
        from auditui.errors import InvalidAnswerError

        raise InvalidAnswerError(f"Report by: '{by}' is not one of {', '.join(GROUPINGS)}.")
