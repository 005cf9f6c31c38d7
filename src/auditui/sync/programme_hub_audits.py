"""The month's ended audits as a folder hub holds them: what ``moderation sample`` draws from.

A QA lead's machine does not hold the auditors' audits; the hub does, as
graded results (indexed by ``sync.index``). They carry no case reference
in clear, so an allocation made from them has no case details: the
original auditor's machine supplies them, sealed, on its next sync
(``programme_records`` ``details`` files), and the moderator's machine
takes the allocation home once they are there.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditui.sync.folder import FolderHub


def hub_ended_audits(
    hub: FolderHub, first_day: str, next_first_day: str, today: dt.date
) -> list[dict[str, Any]]:
    """Ended real audits other than moderations whose end falls in the days given, as the
    rows ``services.moderation.sample`` draws from (case details left empty). Each carries
    the tool version its graded result names (the index keeps none), read from the result
    file the index holds, its signature and binding checked again; one that no longer
    opens is left out."""
    from auditui.sync.folder import RESULT_NAME
    from auditui.sync.folder_judge import open_result

    index = hub.open_index()
    try:
        assert hub.marker is not None
        index.refresh(hub.root, hub.marker, today)
        found = index.conn.execute(
            """
            SELECT r.audit_id, r.auditor, r.team, r.tool_id, r.case_type,
                   r.practitioner_present, r.file, b.signer
            FROM results AS r JOIN bindings AS b ON b.audit_id = r.audit_id
            WHERE r.status IN ('finalised', 'closed_incomplete') AND r.kind <> 'moderation'
              AND r.ended_on >= ? AND r.ended_on < ?
            ORDER BY r.ended_on, r.audit_id
            """,
            (first_day, next_first_day),
        ).fetchall()
        demo = hub.marker.demo
    finally:
        index.close()
    out = []
    for audit_id, auditor, team, tool_id, case_type, present, file, signer in found:
        match = RESULT_NAME.match(file)
        opened = open_result(hub.root / file, match, demo) if match is not None else None
        if not (isinstance(opened, tuple) and opened[1] == signer):
            continue  # changed since the index read it: believed no longer
        out.append(
            {
                "id": audit_id,
                "auditor": auditor,
                "team": team,
                "tool_id": tool_id,
                "tool_version": opened[0].tool_version,
                "case_ref": "",
                "case_type": case_type,
                "practitioner": "",
                "practitioner_present": int(present),
            }
        )
    return out


def audit_signers(hub: FolderHub, today: dt.date) -> dict[str, str]:
    """Each audit's id with the key that first signed it in the hub (its binding)."""
    return signers_and_auditor_keys(hub, today)[0]


def signers_and_auditor_keys(
    hub: FolderHub, today: dt.date
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each audit's binding (as ``audit_signers``), and each auditor's name with the keys
    that signed their audits in the hub: the machines a progress report is believed from."""
    index = hub.open_index()
    try:
        assert hub.marker is not None
        index.refresh(hub.root, hub.marker, today)
        bound = {r[0]: r[1] for r in index.conn.execute("SELECT audit_id, signer FROM bindings")}
        keys: dict[str, set[str]] = {}
        for auditor, signer in index.conn.execute(
            "SELECT DISTINCT r.auditor, b.signer FROM results r JOIN bindings b"
            " ON b.audit_id = r.audit_id"
        ):
            keys.setdefault(auditor, set()).add(signer)
        return bound, keys
    finally:
        index.close()


MAX_CASE_KEYS = 1_000_000


def hub_case_keys(hub: FolderHub, since: dt.date, today: dt.date) -> set[str]:
    """The case pseudonyms of every audit the hub believes that started or ended on or after
    ``since``: the cases a plan must not draw (the 12-month rule), whoever audited them.
    Each result file is opened again (signature and binding checked), since the index keeps
    no pseudonym."""
    from auditui.sync.folder import RESULT_NAME
    from auditui.sync.folder_judge import open_result

    index = hub.open_index()
    try:
        assert hub.marker is not None
        index.refresh(hub.root, hub.marker, today)
        found = index.conn.execute(
            "SELECT r.file, b.signer FROM results r JOIN bindings b ON b.audit_id = r.audit_id"
            " WHERE r.started_on >= ? OR r.ended_on >= ? ORDER BY r.file LIMIT ?",
            (since.isoformat(), since.isoformat(), MAX_CASE_KEYS),
        ).fetchall()
        demo = hub.marker.demo
    finally:
        index.close()
    keys: set[str] = set()
    for file, signer in found:
        match = RESULT_NAME.match(file)
        if match is None:
            continue
        opened = open_result(hub.root / file, match, demo)
        if isinstance(opened, tuple) and opened[1] == signer:
            keys.add(opened[0].case_key)
    return keys
