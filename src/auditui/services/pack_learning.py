"""The pack's learning sections: how far moderators agree, and the themes raised most often.

Moderation agreement comes from the same services as ``report moderation``
(``moderation_review`` on this machine, ``moderation_hub`` over a hub, small
groups suppressed as there), over the re-audits that ended in the period.
The top themes come from the report document's ``themes`` key (areas for
development and strengths, by how many audits raised each); a report
without that key has no themes section. Worded once here, laid out by both
renderers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditui.domain.pack import PackSection, Table, pct_text

if TYPE_CHECKING:
    from auditui.services.workspace import Workspace

TOP_THEMES = 5
"""Themes shown per list: the board reads the few most often raised."""
THEME_KINDS = (("development", "Areas for development"), ("strengths", "Strengths"))


def moderation_figures(
    ws: Workspace,
    first: dt.date,
    last: dt.date,
    hub: str | None = None,
    index_path: Path | None = None,
) -> dict[str, Any]:
    """``report moderation``'s figures for re-audits that ended in the period."""
    if hub is None:
        from auditui.services import moderation_review

        return moderation_review.report(ws, first.isoformat(), last.isoformat())
    from auditui.errors import AuditUIError
    from auditui.services.moderation_hub import hub_report

    try:
        return hub_report(ws, hub, first.isoformat(), last.isoformat(), None, index_path)
    except AuditUIError as error:  # the rest of the pack stands; the section says why
        return {"unavailable": error.message}


def moderation_section(figures: dict[str, Any]) -> PackSection:
    heading = "Moderation agreement"
    if figures.get("unavailable"):
        return PackSection(
            heading, [f"The hub could not give the moderation figures: {figures['unavailable']}"]
        )
    if figures.get("suppressed"):
        return PackSection(
            heading,
            [
                f"Fewer than {figures.get('small_group_threshold')} moderated pairs ended in the "
                "period: the figures are hidden, so no one's moderation can be singled out."
            ],
        )
    pairs = figures.get("pairs") or 0
    if not pairs:
        return PackSection(heading, ["No moderated re-audits ended in the period."])
    kappa = figures.get("weighted_kappa")
    rows = [
        ["Pairs (an audit and its moderator's re-audit)", str(pairs)],
        ["Exact agreement on the overall grade", pct_text(figures.get("exact_agreement_pct"))],
        ["Within one grade", pct_text(figures.get("within_one_pct"))],
        ["Weighted kappa (quadratic)", "–" if kappa is None else f"{kappa:.3f}"],
        ["Original grade higher than the moderator's (generous)", str(figures["original_higher"])],
        ["Original grade lower than the moderator's (harsh)", str(figures["original_lower"])],
    ]
    return PackSection(
        heading,
        [
            f"{pairs} audit(s) were re-audited blind by a moderator, the re-audit ending in the "
            "period. Agreement is on the overall grade; kappa 1 is full agreement, 0 no more "
            "than chance."
        ],
        tables=[Table(["Moderation", "Figure"], rows)],
    )


def top_themes(themes: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The most often raised themes per kind, most audits first (then by name)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, _ in THEME_KINDS:
        found = [t for t in themes.get(kind) or [] if isinstance(t, dict)]
        found.sort(key=lambda t: (-int(t.get("audits") or 0), str(t.get("theme"))))
        out[kind] = found[:TOP_THEMES]
    return out


def themes_section(themes: dict[str, Any], suppressed: bool = False) -> PackSection:
    heading = "The top themes"
    if suppressed:
        return PackSection(
            heading,
            [
                "Too few audits ended in the period to show their themes without singling "
                "someone out; they are hidden, as the hub's other figures are."
            ],
        )
    top = top_themes(themes)
    tables = [
        Table(
            [title, "Audits"],
            [[str(t.get("theme")), str(t.get("audits") or 0)] for t in top[kind]]
            or [["None recorded in the period", "–"]],
        )
        for kind, title in THEME_KINDS
    ]
    return PackSection(
        heading,
        [
            "The themes auditors recorded most often in the audits that ended in the period, "
            f"as areas for development and as strengths (the top {TOP_THEMES} of each)."
        ],
        tables=tables,
    )
