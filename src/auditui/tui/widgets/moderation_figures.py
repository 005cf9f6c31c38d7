"""The reports screen's moderation view: how far moderators agree with the audits they re-audit.

The figures are ``auditui report moderation``'s: this machine's
(``services.moderation_review.report``), or with the screen reading a hub
the hub's (``services.moderation_hub.hub_report``, small groups hidden):
pairs, exact agreement, agreement within one grade, quadratic-weighted kappa on
the scale's order, and which way disagreements go (the original higher than the
moderator's is the generous direction, the risk moderation exists to find), for
everyone, then by auditor, team and section.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary
from auditui.tui.widgets.report_table import group_label, section_heading, view_heading

CUTS = (("auditor", "By auditor"), ("team", "By team"), ("section", "By section"))


def moderation_reports(
    ws: Workspace, hub_target: str | None, start: str | None, end: str | None
) -> dict[str, dict[str, Any]]:
    """The report once per cut, from the same service as ``report moderation [--hub] --by``:
    this machine's moderations, or the hub's (small groups hidden as the hub hides them)."""
    if hub_target is None:
        from auditui.services import moderation_review

        return {by: moderation_review.report(ws, start, end, by) for by, _ in CUTS}
    from auditui.services.moderation_hub import hub_report

    return {by: hub_report(ws, hub_target, start, end, by) for by, _ in CUTS}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _kappa(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _table(heading: str, rows: list[dict[str, Any]], label: Callable[[str], str] = str) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column(heading, min_width=16, max_width=28)
    for name in ("Pairs", "Exact", "Within 1", "Kappa", "Generous", "Harsh"):
        table.add_column(name, justify="right")
    for row in rows:
        table.add_row(
            Text(label(str(row["group"])), style="bold" if row["group"] == "All" else ""),
            str(row["pairs"]),
            _pct(row["exact_agreement_pct"]),
            _pct(row["within_one_pct"]),
            _kappa(row["weighted_kappa"]),
            Text(str(row["original_higher"]), style="bold" if row["original_higher"] else ""),
            str(row["original_lower"]),
        )
    return table


def moderation_view(
    reports: dict[str, dict[str, Any]], from_hub: bool, library: ToolLibrary | None = None
) -> RenderableType:
    """The view's body: the overall figures, then one table per cut (a section by its tool's
    title, number and title, as the reports table names it)."""
    overall = reports[CUTS[0][0]]
    parts, suppressed = view_heading(
        "The original grade against the moderator's blind re-audit (kappa: quadratic-"
        "weighted; generous: the original higher).",
        overall,
        from_hub,
        "pairs",
    )
    if suppressed:
        return Group(*parts)
    if not overall["pairs"]:
        parts.append(Text("No moderation re-audit has ended in this period.", style="dim"))
        return Group(*parts)
    parts.append(_table("Overall", [{"group": "All", **overall}]))
    for by, heading in CUTS:
        if reports[by]["groups"]:
            label = _section_label(library) if by == "section" else str
            parts += [Text(""), _table(heading, reports[by]["groups"], label)]
        if reports[by].get("suppressed_groups"):
            hidden = int(reports[by]["suppressed_groups"])
            groups = "group" if hidden == 1 else "groups"
            parts.append(Text(f"{heading}: {hidden} small {groups} hidden.", style="dim"))
    return Group(*parts)


def _section_label(library: ToolLibrary | None) -> Callable[[str], str]:
    def label(group: str) -> str:
        title = group_label("section", group, library)
        return title if title == group else f"{section_heading(group, library)} {title}"

    return label
