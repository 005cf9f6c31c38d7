"""The walker's left column: where the auditor is, and how each section stands.

Each section shows answered / to answer and its grade so far, so the
auditor and the practitioner beside them can see the shape of the audit
without leaving the question. Lines are cut to the column's width rather
than wrapped, so the list stays readable on an 80-column laptop terminal.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from auditui.services.audits import AuditState
from auditui.tools.numbering import form_numbers
from auditui.tui.palette import AMBER

SHORT_GRADES = {"requires_improvement": "Req. improvement"}
"""Grade labels too long for a narrow column."""


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


class SectionList(Static):
    """Sections in tool order, the current one marked."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: tuple[AuditState, str | None] | None = None

    def on_resize(self, event: Resize) -> None:
        if self._shown is not None:
            self.show(*self._shown)

    def show(self, state: AuditState, current_section: str | None) -> None:
        self._shown = (state, current_section)
        width = self.content_size.width or 30
        scale = state.tool.scale_def
        grading = state.grading

        def label(grade: str) -> str:
            if width < 30:
                return SHORT_GRADES.get(grade, scale.label(grade))
            return scale.label(grade)

        text = Text()
        numbers = form_numbers(state.tool)
        shown = grading.shown_sections
        for section in state.tool.sections:
            grade = grading.sections[section.id]
            here = section.id == current_section
            marker = "▶ " if here else "  "
            title = _cut(f"{marker}{numbers[section.id]}. {section.title}", width)
            if shown is not None and section.id not in shown:
                # (2) Marked not applicable, or its show_if does not hold for this audit.
                why = "N/A" if section.id in state.sections_na else "does not apply"
                text.append(title + "\n", style="dim")
                text.append(_cut(f"   {why}", width) + "\n", style="dim")
                continue
            text.append(title + "\n", style="bold" if here else "")
            done = grade.answered == grade.to_answer
            count = f"   {grade.answered}/{grade.to_answer} "
            text.append(count, style="green" if done else "")
            words = label(grade.final) if grade.final else "no grade yet"
            if state.tool.format >= 2 and not section.graded_by_rule:
                words = "not graded"
            text.append(_cut(words, width - len(count)) + "\n", style="" if grade.final else "dim")
            missing = sum(
                1 for qid in grading.missing_evidence if state.tool.section_of[qid].id == section.id
            )
            if missing:
                text.append(_cut(f"   {missing} need evidence", width) + "\n", style=AMBER)
        text.append("\nOverall\n", style="bold")
        lines = overall_words(state, label, width - 3)
        for n, (words, style) in enumerate(lines):
            end = "\n" if n + 1 < len(lines) else ""
            text.append("   " + _cut(words, width - 3) + end, style=style)
        self.update(text)


def overall_words(
    state: AuditState, label: Callable[[str], str], width: int = 40
) -> list[tuple[str, str]]:
    """The overall grade, as (words, style) lines, shown as a result only once it is one:
    "Good so far" while questions or evidence are still owed, then the suggestion with
    "G accepts" until the auditor accepts it or chooses another."""
    overall = state.grading.overall
    if overall.final is None:
        return [("no grade yet", "dim")]
    if overall.chosen is not None or state.audit.ended:
        return [(label(overall.final), "")]
    if not state.grading.answers_in:
        words = f"{label(overall.final)} so far"
        if len(words) <= width:
            return [(words, "dim")]
        return [(label(overall.final), "dim"), ("so far", "dim")]  # never cut "so far" off
    return [(label(overall.final), ""), ("suggested, G accepts", AMBER)]
