"""When a final grade needs the auditor's written rationale (spec: Grading, `rationale`).

`when_changed`, the default and format 1's rule: when the auditor chose a
grade other than the suggestion (with no suggestion, nothing differs from
it). (2) `always`: whenever there is a final grade, so that every judgement
carries written analysis. Only format 2 tools count a missing rationale
against completeness; a blank rationale is none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from auditui.tools.models import AuditTool, Rule

if TYPE_CHECKING:
    from auditui.domain.grading import OverallGrade, SectionGrade


def rationale_needed(
    rule: Rule, final: str | None, chosen: str | None, suggested: str | None
) -> bool:
    """Whether a final grade needs a written rationale under ``rule`` (spec: Grading).

    ``always`` (2): whenever there is a final grade. ``when_changed`` (the
    default): when the auditor chose a grade other than a suggestion.
    """
    if final is None:
        return False
    if rule.rationale == "always":
        return True
    return chosen is not None and suggested is not None and chosen != suggested


def missing_rationales(
    tool: AuditTool,
    sections: Mapping[str, SectionGrade],
    graded_ids: list[str],
    overall: OverallGrade,
    rationales: Mapping[str, str],
) -> list[str]:
    rules = {s.id: s.grading for s in tool.sections}
    missing = []
    for sid in graded_ids:
        g = sections[sid]
        if rationale_needed(rules[sid], g.final, g.chosen, g.suggested) and not _written(
            rationales.get(sid)
        ):
            missing.append(sid)
    if rationale_needed(
        tool.grading.overall, overall.final, overall.chosen, overall.suggested
    ) and not _written(rationales.get("overall")):
        missing.append("overall")
    return missing


def _written(text: Any) -> bool:
    return isinstance(text, str) and bool(text.strip())
