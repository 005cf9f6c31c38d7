"""The monthly report, from the local store or from a hub, by the same rules.

Over the local store the report counts what this machine would send: the
latest ended revision of each audit (from the outbox, reduced by the same
``build.result_record`` a hub receives) and the actions as they stand now.
After a sync, the local report over one auditor's data and a hub report over
only that data give the same figures. Local reports hide nothing (it is the
auditor's own data); hub reports hide small groups, and enough others that
none can be derived by subtraction (``measures.hidden_groups``).

A period (``--from``/``--to``) counts the audits that ended in it, with
their actions; every source filters on the same ended date.

The format 2 measures (``measure_counts``) ride along under ``measures``:
the local store resolves its finalised audits itself (``store.measure_rows``),
a hub counts the measure values each finalised record carries, in the
groups it shows. The themes findings raise (``theme_counts``) ride along
under ``themes``: the local store's as its graded results would carry them,
a hub's from the records it holds, in the groups it shows.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from auditui.config import Config
from auditui.errors import HubError, InvalidAnswerError
from auditui.store.db import Store
from auditui.store.measure_rows import finalised_audits
from auditui.store.report_rows import ended_audit_actions, latest_ended_revisions
from auditui.sync.build import WORKER_CASE_TYPE, ToolLookup, result_record
from auditui.sync.facts import ActionFact, AuditFact, Facts, facts_of
from auditui.sync.hub import is_postgres
from auditui.sync.measure_counts import (
    Key,
    MeasureFact,
    MeasureInfo,
    MeasuresCounted,
    attach_measures,
    count_measures,
    shown_measure_values,
)
from auditui.sync.measures import (
    ATTRIBUTE_GROUPINGS,
    GROUPINGS,
    Period,
    build_report,
)
from auditui.sync.result_extras import all_result_extras
from auditui.sync.theme_counts import attach_themes, count_themes

FORMATS = ("table", "csv", "json")
MAX_TARGET = 4096
"""Longer than any real path or URL: refused in one sentence before the OS is asked."""


def local_facts(
    store: Store, with_sections: bool = True, attributes: dict[str, dict[str, str]] | None = None
) -> Facts:
    """Facts of the latest ended revision of every audit in the local store; ``attributes``
    (when given) receives each audit's case type, kind and auditor."""
    facts = Facts()
    extras = all_result_extras(store)
    for payload, created_at in latest_ended_revisions(store):
        snapshot = json.loads(payload)
        extra = extras.get(snapshot["audit"]["id"])
        record = result_record(snapshot, created_at, None, False, extras=extra)
        one = facts_of(record, with_actions=False)
        if not with_sections:
            one.sections = []
        facts.add(one)
        if attributes is not None:
            attributes[record["audit_id"]] = {k: record[k] for k in ATTRIBUTE_GROUPINGS}
    facts.actions = [ActionFact(*row) for row in ended_audit_actions(store)]
    return facts


def local_report(
    store: Store,
    by: str | None,
    today: dt.date,
    period: Period | None = None,
    tools: ToolLookup | None = None,
    known: dict[Key, MeasureInfo] | None = None,
) -> dict[str, Any]:
    """The report over the local store; with ``tools`` (to resolve what each audit showed)
    it carries the measures too, labelled from ``known``."""
    _check(by, period)
    attributes: dict[str, dict[str, str]] = {}
    facts = local_facts(store, with_sections=by == "section", attributes=attributes)
    report = build_report(facts, by, today.isoformat(), 1, "local store", period, attributes)
    attach_themes(report, count_themes(facts.audits, facts.findings, by, period, attributes))
    if tools is not None:
        attach_measures(report, local_measure_counts(store, tools, by, period), known or {})
    return report


def local_measure_counts(
    store: Store, tools: ToolLookup, by: str | None, period: Period | None
) -> MeasuresCounted:
    """The measures over this machine's finalised audits that ended in ``period``, each
    resolved (answers, details, sections N/A, calendar) by the graded result's own rule;
    an audit whose tool version is not loaded cannot be resolved and counts for none."""
    start, end = period or (None, None)
    audits: list[AuditFact] = []
    values: list[MeasureFact] = []
    for row in finalised_audits(store, start, end):
        audits.append(
            AuditFact(
                row.audit_id,
                "finalised",
                row.ended_on,
                row.team,
                row.tool_id,
                row.practitioner_present,
                False,
                None,
                row.case_type or WORKER_CASE_TYPE,  # as the graded result names it
                row.kind,
                row.auditor,
            )
        )
        tool = tools(row.tool_id, row.tool_version)
        if tool is None:
            continue
        details = {
            "case_type": row.case_type or None,
            "kind": row.kind,
            "practitioner_present": row.practitioner_present,
        }
        values += [
            MeasureFact(row.audit_id, v["tool"], v["question"], v["value"])
            for v in shown_measure_values(tool, row.answers, details, row.sections_na, row.calendar)
        ]
    return count_measures(audits, values, by)


def hub_report(
    target: str,
    config: Config,
    by: str | None,
    today: dt.date,
    index_path: Path | None = None,
    period: Period | None = None,
    known: dict[Key, MeasureInfo] | None = None,
) -> dict[str, Any]:
    """The report over a folder hub (through the reader's own index) or a PostgreSQL hub,
    with the measures its records carry, labelled from ``known``."""
    _check(by, period)
    if len(target) > MAX_TARGET:
        raise HubError(
            f"The hub given ({len(target):,} characters) is longer than any folder path or "
            f"URL auditui accepts ({MAX_TARGET:,}); nothing was read."
        )
    if is_postgres(target):
        from auditui.sync.pg_measures import measure_counts
        from auditui.sync.pg_theme_counts import theme_counts
        from auditui.sync.postgres import PostgresHub

        pg = PostgresHub.connect(target)
        try:
            report = pg.report(by, None, period)
            attach_themes(report, theme_counts(pg, by, period))
            return attach_measures(report, measure_counts(pg, by, period), known or {})
        finally:
            pg.close()
    return _folder_report(target, config, by, today, index_path, period, known or {})


def _folder_report(
    target: str,
    config: Config,
    by: str | None,
    today: dt.date,
    index_path: Path | None,
    period: Period | None,
    known: dict[Key, MeasureInfo],
) -> dict[str, Any]:
    from auditui.sync.folder import FolderHub

    threshold = config.sync.small_group_threshold
    try:
        folder = FolderHub.open(Path(target), threshold, False, index_path)
    except (OSError, ValueError) as exc:  # a name too long, a NUL: no path the system takes
        shown = "".join(c if c.isprintable() else "?" for c in target)
        shown = shown if len(shown) <= 80 else f"{shown[:60]}...{shown[-17:]}"
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a path"
        raise HubError(
            f"The folder hub {shown} cannot be read ({reason}); nothing was read."
        ) from None
    # The refreshed index, as FolderHub.report uses, counted here with the period and
    # the measures. (FolderHub.report could take both instead.)
    index = folder._index()  # noqa: SLF001
    try:
        facts = index.facts(with_sections=by == "section")
        report = build_report(
            facts, by, today.isoformat(), threshold, f"folder hub {folder.display}", period
        )
        report["quarantined"] = [{"file": name, "reason": why} for name, why in index.refused()]
        attach_themes(report, count_themes(facts.audits, facts.findings, by, period))
        counted = count_measures(facts.audits, index.measure_facts(), by, period)
        return attach_measures(report, counted, known)
    finally:
        index.close()


def _check(by: str | None, period: Period | None) -> None:
    if by is not None and by not in GROUPINGS:
        raise InvalidAnswerError(f"Report by: '{by}' is not one of {', '.join(GROUPINGS)}.")
    if period is not None and None not in period and period[0] > period[1]:  # type: ignore[operator]
        raise InvalidAnswerError(
            f"Report period: --from {period[0]} is after --to {period[1]}; nothing to count."
        )
