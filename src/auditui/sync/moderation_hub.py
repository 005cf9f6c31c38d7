"""Moderated audits as a folder hub holds them: the two graded results of each pair.

``report moderation --hub DIR`` works from what the hub believes, not from
anyone's machine: a moderation allocation signed by the QA lead, the
moderator's link to their re-audit (``programme_records``, signed by the key
that signed the re-audit), and the two audits' graded results as this
reader's index judged them (each re-read from its file and checked against
the key the audit is bound to). A re-audit that is not a moderation by the
allocation's moderator on the same tool (whose own record, from schema 4,
says it moderates that audit) pairs with nothing, and is said so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditui.sync.folder import RESULT_NAME
from auditui.sync.folder_judge import open_result
from auditui.sync.programme_records import read_programme
from auditui.sync.result import GradedResult
from auditui.sync.trust import read_trust

if TYPE_CHECKING:
    from auditui.sync.folder import FolderHub

OVERALL = "overall"


@dataclass(frozen=True)
class HubModerated:
    """One audit and the moderator's re-audit of it, as the hub's graded results say."""

    auditor: str
    team: str
    tool_id: str
    tool_version: int
    scale: str | None
    ended_on: str
    """The re-audit's end, the day a pair is counted under (as in the local store)."""
    original: dict[str, str]
    """The original's final grades by scope ("overall" or a section id)."""
    moderated: dict[str, str]


def final_grades(result: GradedResult) -> dict[str, str]:
    """A graded result's final grades by scope, graded scopes only."""
    grades = {s.section_id: s.final for s in result.sections if s.final is not None}
    if result.overall.final is not None:
        grades[OVERALL] = result.overall.final
    return grades


def folder_moderated(
    hub: FolderHub, today: dt.date
) -> tuple[list[HubModerated], list[tuple[str, str]]]:
    """Every believed moderation pair in the folder hub, and the files or pairs left out
    (with the reason)."""
    assert hub.marker is not None
    index = hub.open_index()
    try:
        index.refresh(hub.root, hub.marker, today)
        lead = index.pin(hub.marker)
        bound = {r[0]: r[1] for r in index.conn.execute("SELECT audit_id, signer FROM bindings")}
        files = {r[0]: r[1] for r in index.conn.execute("SELECT audit_id, file FROM results")}
    finally:
        index.close()
    believed = read_programme(hub, lead, read_trust(hub.root, lead), bound)
    left_out = list(believed.refused)
    found: list[HubModerated] = []
    for allocation_id, link in sorted(believed.reaudits.items()):
        allocation = believed.allocations[allocation_id]
        original = _result(hub, files.get(link.audit_id), bound.get(link.audit_id))
        again = _result(
            hub, files.get(link.moderation_audit_id), bound.get(link.moderation_audit_id)
        )
        where = f"programme/reaudit.{allocation_id}.json"
        if original is None or again is None:
            continue  # a result not in the hub yet (or not believed): counted once it is
        says = again.moderation.moderates if again.moderation is not None else link.audit_id
        if (again.kind, again.auditor, again.tool_id, says) != (
            "moderation",
            allocation.moderator,
            original.tool_id,
            link.audit_id,
        ):
            left_out.append(
                (
                    where,
                    f"audit {again.audit_id} is not a moderation of audit {link.audit_id} by "
                    f"{allocation.moderator} on {original.tool_id}; not paired",
                )
            )
            continue
        found.append(
            HubModerated(
                auditor=allocation.auditor,
                team=allocation.team,
                tool_id=original.tool_id,
                tool_version=original.tool_version,
                scale=original.scale,
                ended_on=again.ended_on.isoformat(),
                original=final_grades(original),
                moderated=final_grades(again),
            )
        )
    return found, left_out


def _result(hub: FolderHub, file: str | None, signer: str | None) -> GradedResult | None:
    """The graded result in ``file`` when it still opens and is signed by the audit's key."""
    if file is None or signer is None:
        return None
    match = RESULT_NAME.match(file)
    assert hub.marker is not None
    if match is None:
        return None
    opened = open_result(hub.root / file, match, hub.marker.demo)
    if not isinstance(opened, tuple) or opened[1] != signer:
        return None
    return opened[0]
