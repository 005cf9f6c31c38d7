"""The walker's left column: where the auditor is, and how each section stands.

Each section shows answered / to answer and its grade so far, so the
auditor and the practitioner beside them can see the shape of the audit
without leaving the question. Lines are cut to the column's width, so the
list stays readable on an 80-column laptop terminal, except a section's
title, which takes a second line wherever the column has the rows for it
(issue 13 review item 13: "3. The child and family in t…" at 100x30).
A section's grade from some of its answers is "so far", like the overall
grade before every answer is in (item 9).
"""

from __future__ import annotations

import textwrap
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

        numbers = form_numbers(state.tool)
        shown = grading.shown_sections
        titles = {
            section.id: ("▶ " if section.id == current_section else "  ")
            + f"{numbers[section.id]}. {section.title}"
            for section in state.tool.sections
        }
        lines: list[list[tuple[str, str]]] = []
        marked = False
        for section in state.tool.sections:
            grade = grading.sections[section.id]
            here = section.id == current_section
            title = titles[section.id]
            if shown is not None and section.id not in shown:
                # (2) Marked not applicable, or its show_if does not hold for this audit.
                why = "N/A" if section.id in state.sections_na else "does not apply"
                lines += [[(title, "dim")], [(f"   {why}", "dim")]]
                continue
            lines.append([(title, "bold" if here else "")])
            missing = sum(
                1 for qid in grading.missing_evidence if state.tool.section_of[qid].id == section.id
            )
            done = grade.answered == grade.to_answer
            count = f"   {grade.answered}/{grade.to_answer} "
            if state.tool.format >= 2 and not section.graded_by_rule:
                words = "not graded"
            elif not grade.final:
                words = "no grade yet"
            elif state.audit.ended or (done and not missing):
                words = label(grade.final)
            else:
                # From some of its answers: not yet the section's grade.
                shorter = SHORT_GRADES.get(grade.final, label(grade.final))
                words = so_far_words((label(grade.final), shorter), width - len(count))
                marked = marked or words.endswith(SO_FAR_MARK)
            lines.append([(count, "green" if done else ""), (words, "" if grade.final else "dim")])
            if missing and not state.audit.ended:  # nothing to write on an ended audit
                needs = "needs" if missing == 1 else "need"
                lines.append([(f"   {missing} {needs} evidence", AMBER)])
        # The legend for "Good?" shares the Overall line: a line after it fell off the
        # bottom of a nine-section list at 80x24.
        legend = f"{SO_FAR_MARK} so far" if marked else ""
        gap = " " * max(1, width - len("Overall") - len(legend)) if legend else ""
        lines += [[("", "")], [("Overall", "bold"), (gap + legend, "dim")]]
        lines += [
            [("   " + words, style)] for words, style in overall_words(state, label, width - 3)
        ]
        self.update(_drawn(lines, set(titles.values()), width, self.content_size.height))


SO_FAR_MARK = "?"
"""After a section's grade from some of its answers, where "so far" does not fit."""


def so_far_words(labels: tuple[str, str], width: int) -> str:
    """ "Good so far" in ``width`` cells (the label, else its shorter form), else "Good?"
    (the Overall line says what ? means)."""
    for grade in labels:
        if len(f"{grade} so far") <= width:
            return f"{grade} so far"
    return f"{labels[0]}{SO_FAR_MARK}"


def _drawn(lines: list[list[tuple[str, str]]], titles: set[str], width: int, height: int) -> Text:
    """The lines in ``width`` cells: a section title too long for one line takes two or
    three where the column has the rows for it (the current section's first), else it is
    cut."""
    spare = max(0, height - len(lines)) if height else 0
    long_titles = [
        n for n, line in enumerate(lines) if line[0][0] in titles and len(line[0][0]) > width
    ]
    long_titles.sort(key=lambda n: not lines[n][0][0].startswith("▶"))
    taken: dict[int, list[str]] = {}
    for n in long_titles:  # the current section's first; up to three lines each
        words = lines[n][0][0]
        indent = " " * (words.index(". ") + 2)
        parts = textwrap.wrap(words, width, subsequent_indent=indent)
        if len(parts) > 3:
            parts = [*parts[:2], indent + " ".join(p.strip() for p in parts[2:])]
        if spare >= len(parts) - 1:
            taken[n] = parts
            spare -= len(parts) - 1
    for n in sorted(taken, reverse=True):  # from the end: indices hold
        style = lines[n][0][1]
        lines[n : n + 1] = [[(part, style)] for part in taken[n]]
    text = Text()
    for n, line in enumerate(lines):
        if n:
            text.append("\n")
        room = width
        for words, style in line:
            text.append(_cut(words, room) if room > 0 else "", style=style)
            room -= len(words)
    return text


def overall_words(
    state: AuditState, label: Callable[[str], str], width: int = 40
) -> list[tuple[str, str]]:
    """The overall grade, as (words, style) lines, shown as a result only once it is one:
    "Good so far" while questions or evidence are still owed (even a grade the auditor
    chose), then the suggestion with
    "G accepts" until the auditor accepts it or chooses another."""
    overall = state.grading.overall
    if overall.final is None:
        return [("no grade yet", "dim")]
    if state.audit.ended:
        return [(label(overall.final), "")]
    if not state.grading.answers_in:
        # Even a grade the auditor chose is not yet a result while answers are owed.
        words = f"{label(overall.final)} so far"
        if len(words) <= width:
            return [(words, "dim")]
        return [(label(overall.final), "dim"), ("so far", "dim")]  # never cut "so far" off
    if overall.chosen is not None:
        return [(label(overall.final), "")]
    return [(label(overall.final), ""), ("suggested, G accepts", AMBER)]
