"""``report moderation --hub``: moderation agreement from what a hub holds.

The same figures as the local report (``moderation_review.report``, worked
out by ``domain.moderation``) over the pairs the hub holds: each moderation
allocation the QA lead published, linked to the moderator's ended re-audit,
graded against the original's graded result. A folder hub is read through
this reader's index (``sync.moderation_hub``); PostgreSQL answers the
``auditui_reader`` role with counts of grade pairs per group, never an audit
(``sync.pg_moderation``). Groups shown to the organisation are suppressed as
the hub's other reports are (``measures.hidden_groups``: small groups, and
enough others that none can be derived); a total under the threshold hides
the overall figures too.

A pair counts when its tool (and version) is loaded here, so the grades can
be ranked on the scale's order; a tool this machine lacks falls back to the
named built-in scale, and a pair whose grades are on neither is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from auditui.domain import moderation
from auditui.domain.moderation import GradePair
from auditui.domain.records import parse_date
from auditui.errors import AuditUIError, HubError, ProgrammeError
from auditui.services.workspace import Workspace
from auditui.tools.scales import SCALES

OVERALL = "overall"


def hub_report(
    ws: Workspace,
    target: str,
    start: str | None = None,
    end: str | None = None,
    by: str | None = None,
    index_path: Path | None = None,
) -> dict[str, Any]:
    """The object of ``report moderation --hub TARGET --format json``."""
    if by is not None and by not in moderation.GROUP_BYS:
        raise ProgrammeError(f"--by: give one of {', '.join(moderation.GROUP_BYS)}.")
    first = parse_date(start, "--from").isoformat() if start else None
    last = parse_date(end, "--to").isoformat() if end else None
    if first and last and first > last:
        raise ProgrammeError(f"--from {first} is after --to {last}; no pair can fall between.")
    from auditui.sync.hub import is_postgres

    threshold = ws.config.sync.small_group_threshold
    if is_postgres(target):
        return _postgres(ws, target, first, last, by)
    return _folder(ws, target, first, last, by, threshold, index_path)


def _folder(
    ws: Workspace,
    target: str,
    first: str | None,
    last: str | None,
    by: str | None,
    threshold: int,
    index_path: Path | None,
) -> dict[str, Any]:
    from auditui.sync.folder import FolderHub
    from auditui.sync.measures import hidden_groups
    from auditui.sync.moderation_hub import folder_moderated

    try:
        hub = FolderHub.open(Path(target), threshold, False, index_path)
    except (OSError, ValueError):
        shown = "".join(c if c.isprintable() else "?" for c in target[:80])
        raise HubError(f"The folder hub {shown} cannot be read; nothing was read.") from None
    try:
        found, left_out = folder_moderated(hub, ws.today())
    finally:
        hub.close()
    pairs: list[GradePair] = []
    for pair in found:
        if (first and pair.ended_on < first) or (last and pair.ended_on > last):
            continue
        pairs += _pairs(ws, pair.tool_id, pair.tool_version, pair.scale, pair.original,
                        pair.moderated, pair.auditor, pair.team)  # fmt: skip
    overall = [p for p in pairs if not p.section]
    grouped = [p for p in pairs if p.section] if by == "section" else overall
    sizes = (
        {name: figures.pairs for name, figures in moderation.by_group(grouped, by)} if by else {}
    )
    hidden = hidden_groups(sizes, threshold)
    overall_hidden = bool(hidden_groups({"all": len(overall)}, threshold)) if overall else False
    report = _document(overall, grouped, by, hidden, overall_hidden, threshold)
    report["source"] = f"folder hub {hub.display}"
    report["quarantined"] = [{"file": name, "reason": why} for name, why in left_out]
    return report


def _postgres(
    ws: Workspace, target: str, first: str | None, last: str | None, by: str | None
) -> dict[str, Any]:
    from auditui.sync.pg_moderation import grade_counts, has_moderation_report
    from auditui.sync.postgres import PostgresHub

    hub = PostgresHub.connect(target)
    try:
        with hub._errors("read reports"):  # noqa: SLF001
            if not has_moderation_report(hub.conn):
                raise HubError(
                    f"The hub {hub.display} has no moderation report yet; run auditui hub init "
                    "on it (as its owner) to add it. Nothing was read."
                )
            info = hub.conn.execute(
                "SELECT small_group_threshold FROM auditui.report_info"
            ).fetchone()
            assert info is not None
            threshold = int(info[0])  # the hub's own, which its counts used
            overall_rows = grade_counts(hub.conn, "all", first, last)
            group_rows = grade_counts(hub.conn, by, first, last) if by else []
    finally:
        hub.close()
    overall = _counted(ws, overall_rows, None)
    grouped = _counted(ws, group_rows, by)
    hidden = {f"hidden {n}" for n, row in enumerate(group_rows) if row[0] is None}
    overall_hidden = any(row[0] is None for row in overall_rows)
    report = _document(overall, grouped, by, hidden, overall_hidden, threshold)
    report["source"] = f"PostgreSQL hub {hub.display}"
    return report


def _counted(ws: Workspace, rows: Sequence[tuple[Any, ...]], by: str | None) -> list[GradePair]:
    """Grade pairs rebuilt from the hub's counts (a count is at most the hub's pairs)."""
    out: list[GradePair] = []
    for group, tool_id, version, scale, original, moderated, count in rows:
        if group is None:
            continue  # a hidden group: counted in suppressed_groups only
        order = _order(ws, tool_id, version, scale)
        if order is None or original not in order or moderated not in order:
            continue
        named = {by: group} if by else {}
        out += [GradePair(original, moderated, order=order, **named)] * int(count)
    return out


def _pairs(
    ws: Workspace,
    tool_id: str,
    version: int,
    scale: str | None,
    original: dict[str, str],
    moderated: dict[str, str],
    auditor: str,
    team: str,
) -> list[GradePair]:
    """Every scope both audits graded, as ``moderation_review.pairs`` takes them locally."""
    order = _order(ws, tool_id, version, scale)
    if order is None:
        return []
    return [
        GradePair(
            original[scope],
            moderated[scope],
            order=order,
            auditor=auditor,
            team=team,
            section="" if scope == OVERALL else scope,
        )
        for scope in sorted(set(original) & set(moderated))
        if original[scope] in order and moderated[scope] in order
    ]


def _order(ws: Workspace, tool_id: str, version: int, scale: str | None) -> tuple[str, ...] | None:
    """The grades of the pair's scale, best first: the tool's, else the built-in scale named."""
    try:
        return tuple(ws.library.get(tool_id, version).scale_def.grades)
    except AuditUIError:
        known = SCALES.get(scale or "")
        return None if known is None else tuple(known.grades)


def _document(
    overall: Sequence[GradePair],
    grouped: Sequence[GradePair],
    by: str | None,
    hidden: set[str],
    overall_hidden: bool,
    threshold: int,
) -> dict[str, Any]:
    report = moderation.agreement(overall).as_json()
    if overall_hidden:
        report = {key: None for key in report}
    report["groups"] = (
        [
            {"group": name, **figures.as_json()}
            for name, figures in moderation.by_group(grouped, by)
            if name not in hidden
        ]
        if by
        else []
    )
    report["small_group_threshold"] = threshold
    report["suppressed"] = overall_hidden
    report["suppressed_groups"] = len(hidden)
    return report
