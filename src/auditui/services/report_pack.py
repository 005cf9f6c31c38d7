"""The board's report pack: one document for a period, from one data structure.

A QA lead puts this in front of the Improvement Board or the QA forum: the
audit measures against their targets with their trend by month, the themed
measures tools mark (``measure:``), the grade distribution and % good or
better by month, moderation agreement, actions on time and overdue,
safeguarding concerns (counts and response times only, never their text),
the top themes (``pack_learning``), and three sections the QA lead writes:
"What do we know", "How do we know", "What next".

``build_pack`` gathers the figures (the audit measures from
``services.report.build_report``, the same code every report uses) and
words them once as ``PackSection``s; the HTML and Word renderers only lay
the sections out, so both say exactly the same thing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditui.domain.pack import (
    Chart,
    PackSection,
    ReportPack,
    Series,
    Table,
    grade_text,
    month_text,
    pct_text,
)
from auditui.domain.percent import round_half_up
from auditui.domain.records import parse_date
from auditui.errors import InvalidAnswerError
from auditui.services.concerns import ConcernView, concern_counts, concerns_in_period
from auditui.services.pack_learning import (
    moderation_figures,
    moderation_section,
    themes_section,
    top_themes,
)
from auditui.services.pack_narrative import NARRATIVE_HEADINGS, Narrative, stored_narrative
from auditui.services.report import build_report
from auditui.services.workspace import Workspace

TARGET = 75
AUDIT_MEASURES = (
    ("with_practitioner_pct", "Audits undertaken with the practitioner", TARGET),
    ("complete_against_framework_pct", "Audits completed against the audit framework", TARGET),
    ("actions_on_time_pct", "Audit actions completed within 20 working days", TARGET),
    ("good_or_better_pct", "Audits graded good or better (quality of work)", None),
)
"""(report key, label, target): the published QA measures; quality is tracked as a trend."""
NO_THEMED = "No themed measures in this period."
MAX_DAYS = 3 * 366


def build_pack(
    ws: Workspace,
    start: str | dt.date,
    end: str | dt.date,
    hub: str | None = None,
    narrative: Narrative | None = None,
    index_path: Any = None,
) -> ReportPack:
    first = parse_date(start, "Report from (--from)")
    last = parse_date(end, "Report to (--to)")
    if last < first:
        raise InvalidAnswerError(f"--to: {last} is before --from {first}; nothing was made.")
    if (last - first).days > MAX_DAYS:
        raise InvalidAnswerError("--from/--to: a report pack covers three years at most.")
    whole = build_report(ws, hub, None, index_path, first, last)
    months = build_report(ws, hub, "month", index_path, first, last)
    themed = [m for m in whole.get("measures", []) if m.get("counted")]
    concerns = concerns_in_period(ws, first, last, hub)
    counts = concern_counts(concerns, ws.config.organisation.calendar, ws.today())
    moderation = moderation_figures(ws, first, last, hub, index_path)
    themes = whole.get("themes")
    if narrative is None:
        narrative = stored_narrative(ws, first, last)
    figures = {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "source": whole.get("source"),
        "overall": {key: whole.get(key) for key, _, _ in AUDIT_MEASURES},
        "audits": whole.get("audits", 0),
        "months": [
            {"month": g["group"], **{k: g.get(k) for k, _, _ in AUDIT_MEASURES}}
            for g in months.get("groups", [])
        ],
        "grades": whole.get("grades", {}),
        "grades_by_month": {g["group"]: g.get("grades", {}) for g in months.get("groups", [])},
        "actions": whole.get("actions", {}),
        "themed": themed,
        "concerns": counts,
        "moderation": {k: v for k, v in moderation.items() if k != "groups"},
    }
    if isinstance(themes, dict):
        figures["themes"] = top_themes(themes)
    org = ws.config.organisation.name or "Quality assurance"
    return ReportPack(
        title=f"{org}: audit report for {first:%d %B %Y} to {last:%d %B %Y}",
        subtitle=f"Figures from the {figures['source']}, made on {ws.today():%d %B %Y}.",
        sections=_sections(
            figures, themed, concerns, narrative, themes, bool(whole.get("suppressed"))
        ),
        figures=figures,
    )


def _sections(
    figures: dict[str, Any],
    themed: list[dict[str, Any]],
    concerns: list[ConcernView],
    narrative: Narrative,
    themes: Any,
    suppressed: bool,
) -> list[PackSection]:
    learning = [themes_section(themes, suppressed)] if isinstance(themes, dict) else []
    return [
        _narrative(NARRATIVE_HEADINGS[0], narrative.what_we_know),
        _audit_measures(figures),
        _themed(themed),
        _grades(figures),
        moderation_section(figures["moderation"]),
        _actions(figures["actions"]),
        _concerns(figures["concerns"]),
        *learning,
        _narrative(NARRATIVE_HEADINGS[1], narrative.how_we_know),
        _narrative(NARRATIVE_HEADINGS[2], narrative.what_next),
    ]


def _narrative(heading: str, text: str) -> PackSection:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return PackSection(heading, paragraphs or ["(Not written yet.)"])


def _met(value: float | None, target: float | None) -> str:
    if target is None:
        return "trend"
    if value is None:
        return "no audits"
    return "met" if round_half_up(value) >= target else "not met"


def _audit_measures(figures: dict[str, Any]) -> PackSection:
    overall, months = figures["overall"], figures["months"]
    rows = [
        [
            label,
            pct_text(overall[key]),
            f"{target}%" if target else "trend",
            _met(overall[key], target),
        ]
        for key, label, target in AUDIT_MEASURES
    ]
    section = PackSection(
        "The audit measures",
        [
            f"{figures['audits']} audit(s) ended in the period. Each measure is shown against "
            f"its {TARGET}% target; the quality of work is tracked as a trend."
        ],
        tables=[Table(["Measure", "Period", "Target", "Result"], rows)],
    )
    if months:
        categories = [month_text(m["month"]) for m in months]
        section.charts.append(
            Chart(
                "line",
                f"The audit measures by month, against the {TARGET}% target",
                categories,
                [Series(label, [m[key] for m in months]) for key, label, t in AUDIT_MEASURES if t],
                TARGET,
            )
        )
        headers = ["Month", *(label for _, label, _ in AUDIT_MEASURES)]
        section.tables.append(
            Table(
                headers,
                [
                    [month_text(m["month"]), *(pct_text(m[k]) for k, _, _ in AUDIT_MEASURES)]
                    for m in months
                ],
            )
        )
    return section


def _themed(themed: list[dict[str, Any]]) -> PackSection:
    if not themed:
        return PackSection("Themed measures", [NO_THEMED])
    rows = [
        [t["label"], str(t["counted"]), pct_text(t["pct"]),
         "–" if t["target"] is None else f"{t['target']:g}%", _themed_met(t["met"])]
        for t in themed
    ]  # fmt: skip
    return PackSection(
        "Themed measures",
        ["Questions the audit tools mark as measures, over the audits finalised in the period."],
        tables=[Table(["Measure", "Audits counted", "Period", "Target", "Result"], rows)],
    )


def _themed_met(met: bool | None) -> str:
    """The report's own verdict: ``100 * yes >= target * counted``, compared exactly."""
    return "–" if met is None else ("met" if met else "not met")


def _grades(figures: dict[str, Any]) -> PackSection:
    grades: dict[str, int] = figures["grades"]
    total = sum(grades.values())
    rows = [
        [grade_text(name), str(n), pct_text(100 * n / total if total else None)]
        for name, n in grades.items()
    ]
    section = PackSection(
        "Quality of work: grades",
        [f"{total} overall grade(s) were given in the period."],
        tables=[Table(["Grade", "Audits", "Share"], rows)],
    )
    if grades:
        section.charts.append(
            Chart(
                "bars",
                "Overall grades in the period",
                [grade_text(n) for n in grades],
                [Series("Audits", [float(n) for n in grades.values()])],
            )
        )
    months = figures["months"]
    if months:
        section.charts.append(
            Chart(
                "line",
                "Audits graded good or better, by month",
                [month_text(m["month"]) for m in months],
                [Series("Good or better", [m["good_or_better_pct"] for m in months])],
            )
        )
        by_month = figures["grades_by_month"]
        names = sorted({g for m in by_month.values() for g in m}, key=list(grades).index)
        section.tables.append(
            Table(
                ["Month", *(grade_text(n) for n in names), "Good or better"],
                [
                    [
                        month_text(m["month"]),
                        *(str(by_month[m["month"]].get(n, 0)) for n in names),
                        pct_text(m["good_or_better_pct"]),
                    ]
                    for m in months
                ],  # fmt: skip
            )
        )
    return section


def _actions(actions: dict[str, Any]) -> PackSection:
    rows = [
        ["Completed on time", str(actions.get("on_time", 0))],
        ["Completed late", str(actions.get("late", 0))],
        ["Open and overdue", str(actions.get("overdue", 0))],
        ["Open, not yet due", str(max(0, actions.get("open", 0) - actions.get("overdue", 0)))],
        ["Cancelled", str(actions.get("cancelled", 0))],
    ]
    return PackSection(
        "Actions",
        [
            f"{actions.get('total', 0)} action(s) were agreed in the audits that ended in the period."
        ],
        tables=[Table(["Actions", "Number"], rows)],
    )


def _concerns(counts: dict[str, Any]) -> PackSection:
    def days(value: float | None) -> str:
        return "–" if value is None else f"{value:g} working day(s)"

    rows = [
        ["Raised", str(counts["raised"])],
        ["Closed with an outcome", str(counts["closed"])],
        ["Still open", str(counts["open"])],
        ["Acknowledged the same working day", str(counts["acknowledged_same_working_day"])],
        ["Not acknowledged the same working day", str(counts["not_acknowledged_same_working_day"])],
        ["Waiting for acknowledgement today", str(counts["awaiting_acknowledgement_today"])],
        ["Median time to a response", days(counts["median_response_working_days"])],
        ["Longest time to a response", days(counts["longest_response_working_days"])],
    ]
    return PackSection(
        "Safeguarding concerns",
        [
            "Concerns about a child's safety found during audits, raised at once with the team "
            "manager. Their content stays with the team; only numbers are reported."
        ],
        tables=[Table(["Concerns raised in the period", "Number"], rows)],
    )
