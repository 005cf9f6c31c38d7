"""`G`: section and overall grades, each suggestion with how it was reached.

An auditor must be able to explain a grade to the practitioner beside
them, so each row shows the grading engine's own sentence (score, caps).
Accepting keeps the suggestion; a different grade needs a written
rationale, which the service insists on too.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from auditui.domain.grading import OverallGrade, SectionGrade
from auditui.domain.names import section_name
from auditui.domain.percent import round_half_up
from auditui.services import audits
from auditui.services.audit_state import drifted
from auditui.services.audits import AuditState
from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported
from auditui.tui.grades_columns import YOURS, grade_widths, title_lines
from auditui.tui.palette import AMBER
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.widgets.audit_columns import grade_words
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar

CHOOSE = Binding.Group("Choose grade", compact=True)


def _grade_binding(n: int) -> Binding:
    return Binding(
        str(n),
        f"choose({n})",
        f"Grade {n}",
        group=CHOOSE,
        tooltip=f"Choose grade {n} of the scale (best first); a grade unlike the "
        "suggestion asks for a rationale.",
        id=f"grades.choose.{n}",
    )


def ungraded_words(state: AuditState, scope: str) -> str | None:
    """Why a section takes no grade (format 2: N/A, not shown, `grading: none`), else None."""
    if scope == "overall" or state.tool.format < 2:
        return None
    if scope in state.sections_na:
        return "not applicable"
    shown = state.grading.shown_sections
    if shown is not None and scope not in shown:
        return "does not apply"
    section = next(s for s in state.tool.sections if s.id == scope)
    return None if section.graded_by_rule else "not graded"


def always_rationale(state: AuditState, scope: str) -> bool:
    """Whether the tool asks for a written rationale for every grade here (format 2)."""
    tool = state.tool
    if scope == "overall":
        return tool.grading.overall.always_rationale
    return next(s for s in tool.sections if s.id == scope).grading.always_rationale


class GradesScreen(Screen[None]):
    """Every section's grade, then the overall grade."""

    DEFAULT_CSS = """
    GradesScreen #grades-title { height: auto; padding: 1 2; }
    GradesScreen #grades { height: auto; max-height: 60%; margin: 0 2; }
    GradesScreen #grade-detail { height: auto; padding: 1 2; }
    """

    HELP_TITLE = "Grades"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "accept",
            "Accept suggestion",
            priority=True,
            tooltip="Use the suggested grade for the highlighted row.",
            id="grades.accept",
        ),
        *(_grade_binding(n) for n in range(1, 5)),
        Binding(
            "X",
            "section_na",
            "Section N/A",
            key_display="X",
            tooltip="Mark the highlighted section not applicable (with the reason), or clear it.",
            id="grades.section_na",
        ),
        Binding("j", "cursor(1)", "Down", show=False, tooltip="The next row.", id="grades.down"),
        Binding("k", "cursor(-1)", "Up", show=False, tooltip="The previous row.", id="grades.up"),
        Binding("escape", "back", "Back", tooltip="Back to the questions.", id="grades.back"),
    ]

    def __init__(self, workspace: Workspace, audit_id: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.audit_id = audit_id
        self.state: AuditState = audits.load(workspace, audit_id)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="grades-title")
        yield DataTable(id="grades", cursor_type="row")
        yield Static("", id="grade-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"Grades · {self.state.audit.case_ref or self.state.audit.practitioner}"
        self.widths: tuple[int, int, int, int] | None = None
        self.show_state()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self.widths is not None and self._widths() != self.widths:
            self.show_state()

    @property
    def scopes(self) -> list[str]:
        return [s.id for s in self.state.tool.sections] + ["overall"]

    def show_state(self) -> None:
        state = self.state
        scale = state.tool.scale_def
        table = self.query_one(DataTable)
        row = table.cursor_row if table.row_count else 0
        widths = self._widths()
        if widths != self.widths:
            table.clear(columns=True)
            headings = ("Section", "Score", "Suggested", "Grade")
            for heading, width in zip(headings, widths, strict=True):
                if width:
                    table.add_column(heading, key=heading.lower(), width=width)
            self.widths = widths
        else:
            table.clear()
        section_width, score_width, suggested_width, final_width = widths
        titles = {s.id: s.title for s in state.tool.sections}
        stale = set(drifted(state))
        # Rows the table has before it scrolls (max-height 60%, less its header): a long
        # title takes a second line only while every row, Overall above all, stays in view.
        spare = int((self.size.height - 2) * 0.6) - 1 - len(self.scopes)
        for scope in self.scopes:
            grade = state.grading.overall if scope == "overall" else state.grading.sections[scope]
            height = 1
            if scope == "overall":
                title = Text("Overall", style="bold")
            else:
                title, height = title_lines(titles[scope], section_width, two=spare > 0)
                spare -= height - 1
            score = "" if grade.percent is None else f"{round_half_up(grade.percent, 0):.0f}%"
            add = partial(self._add_row, scope, height, bool(score_width))

            suggested = grade_words(grade.suggested, suggested_width) if grade.suggested else "-"
            ungraded = ungraded_words(state, scope)
            if ungraded is not None:
                add(title, "", "", Text(ungraded, style="dim"))
                continue
            if grade.final is not None and not state.audit.ended and self._so_far(scope):
                # Not a result until its answers are in (even one the auditor chose):
                # "Good so far"; the overall grade shows no suggestion or score till then.
                if scope == "overall":
                    suggested, score = "-", ""
                so_far = grade_words(grade.final, final_width - len(" so far"))
                final = Text(f"{so_far} so far", style="dim")
            elif grade.final is None and self._judged(scope):
                final = Text(f"choose 1-{len(scale.grades)}", style="bold red")
            elif grade.final is None:
                final = Text("after the answers", style="dim")
            elif not state.audit.ended and (grade.chosen is None or scope in stale):
                final = Text("Enter accepts", style=AMBER)
            elif grade.chosen and grade.chosen != grade.suggested:
                words = grade_words(grade.final, final_width - len(YOURS))
                final = Text(f"{words}{YOURS}", style="bold")
            else:
                final = Text(grade_words(grade.final, final_width))
            add(title, score, suggested, final)
        table.move_cursor(row=min(row, table.row_count - 1))
        keys = " ".join(f"{i} {scale.label(g)}" for i, g in enumerate(scale.grades, start=1))
        # An ended audit's grades are read-only: no keys to offer that no longer work.
        where = "read-only, the audit has ended" if state.audit.ended else f"Enter accepts; {keys}"
        self.query_one("#grades-title", Static).update(
            f"[b]Grades[/b] for {state.audit.case_ref or state.audit.practitioner}: {where}"
        )
        self.show_detail()

    def show_detail(self) -> None:
        scope = self.current_scope
        state = self.state
        scale = state.tool.scale_def
        grade = self._grade(scope)
        text = Text()
        if scope != "overall":
            titles = {s.id: s.title for s in state.tool.sections}
            text.append(f"{titles[scope]}\n", style="bold")
        text.append("Suggested: ", style="bold")
        text.append(grade.explanation)
        rationale = state.rationale.get(scope)
        if scope in state.sections_na:
            text.append("\nNot applicable: ", style="bold")
            text.append(state.sections_na[scope])
            text.append("\nX clears the mark.", style="dim")
        elif always_rationale(state, scope) and grade.final:
            text.append("\nRationale (always asked for): ", style="bold")
            text.append(
                rationale or "missing: press Enter to write it", style="" if rationale else "red"
            )
        elif scope in drifted(state) and grade.chosen and grade.suggested:
            text.append(
                f"\nYou accepted {scale.label(grade.chosen)}; the answers have changed since "
                f"and suggest {scale.label(grade.suggested)}. Enter accepts it; a grade unlike "
                "it needs a rationale.",
                style=AMBER,
            )
        elif grade.chosen and grade.chosen != grade.suggested:
            text.append("\nYour grade: ", style="bold")
            text.append(scale.label(grade.chosen))
            text.append("\nRationale: ", style="bold")
            text.append(
                rationale or "missing: choose the grade again to write one",
                style="" if rationale else "red",
            )
        self.query_one("#grade-detail", Static).update(text)

    def _add_row(self, scope: str, height: int, scored: bool, *cells: str | Text) -> None:
        """One scope's row; without its Score cell when the table has no Score column."""
        row = cells if scored else (cells[0], *cells[2:])
        self.query_one(DataTable).add_row(*row, key=scope, height=height)

    def _widths(self) -> tuple[int, int, int, int]:
        grading = self.state.grading
        scores = [grading.overall.percent, *(s.percent for s in grading.sections.values())]
        return grade_widths(self.size.width, any(p is not None for p in scores))

    def _so_far(self, scope: str) -> bool:
        """Whether this grade comes from answers still being given: the overall grade
        until every answer and note is in, a section's until its own are."""
        grading = self.state.grading
        if scope == "overall":
            return not grading.answers_in
        section = grading.sections[scope]
        tool = self.state.tool
        owed = any(tool.section_of[qid].id == scope for qid in grading.missing_evidence)
        return owed or section.answered < section.to_answer

    def _judged(self, scope: str) -> bool:
        """Whether the auditor's judgement, not a rule, gives this grade."""
        tool = self.state.tool
        if scope == "overall":
            return tool.grading.overall.rule == "judgement"
        return next(s for s in tool.sections if s.id == scope).grading.rule == "judgement"

    def _grade(self, scope: str) -> SectionGrade | OverallGrade:
        grading = self.state.grading
        return grading.overall if scope == "overall" else grading.sections[scope]

    @property
    def current_scope(self) -> str:
        table = self.query_one(DataTable)
        return self.scopes[table.cursor_row] if table.row_count else "overall"

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.show_detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "choose", "section_na") and self.state.audit.ended:
            return False
        if action == "section_na":
            return any(s.allow_na for s in self.state.tool.sections)
        if action == "choose":
            return int(str(parameters[0])) <= len(self.state.tool.scale_def.grades)
        return True

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, min(table.cursor_row + step, table.row_count - 1)))

    def _set(self, scope: str, grade: str | None, rationale: str | None = None) -> None:
        with reported(self):
            self.state = audits.set_grade(self.workspace, self.audit_id, scope, grade, rationale)
            self.show_state()
            label = self.state.tool.scale_def.label(grade) if grade else "back to the suggestion"
            self.notify(f"{section_name(self.state.tool, scope)}: {label} saved.", timeout=2)

    def action_accept(self) -> None:
        scope = self.current_scope
        grade = self._grade(scope)
        if self._not_graded(scope):
            return
        if grade.suggested is None:
            self.notify("There is no suggestion here: choose a grade with 1-4.", severity="warning")
            return
        if always_rationale(self.state, scope):
            self._ask_always(scope, grade.suggested)
            return
        self._set(scope, grade.suggested)  # accepted: the auditor's own from now on
        self.action_cursor(1)

    def _not_graded(self, scope: str) -> bool:
        words = ungraded_words(self.state, scope)
        if words is not None:
            self.notify(f"This section is not graded ({words}).", severity="warning")
        return words is not None

    def _ask_always(self, scope: str, grade: str) -> None:
        """A grade the tool wants written analysis for, whatever it is (format 2)."""
        scale = self.state.tool.scale_def

        def with_rationale(rationale: str | None) -> None:
            if rationale:
                self._set(scope, grade, rationale)

        self.app.push_screen(
            ReasonScreen(
                f"Rationale: {scale.label(grade)}",
                f"This tool asks for written analysis of every grade.\nWhy is "
                f"{scale.label(grade)} the right grade?",
                value=self.state.rationale.get(scope, ""),
            ),
            with_rationale,
        )

    def action_section_na(self) -> None:
        scope = self.current_scope
        section = next((s for s in self.state.tool.sections if s.id == scope), None)
        if section is None or not section.allow_na:
            self.notify("This section cannot be marked not applicable.", severity="warning")
            return
        if scope in self.state.sections_na:
            with reported(self):
                self.state = audits.set_section_na(self.workspace, self.audit_id, scope, None)
                self.show_state()
                self.notify(f"{section.title} applies again.", timeout=2)
            return

        def mark(reason: str | None) -> None:
            if reason:
                with reported(self):
                    self.state = audits.set_section_na(self.workspace, self.audit_id, scope, reason)
                    self.show_state()

        self.app.push_screen(
            ReasonScreen(
                f"Not applicable: {section.title}",
                "Why does this section not apply to this audit? (Its answers are kept.)",
            ),
            mark,
        )

    def action_choose(self, number: int) -> None:
        scale = self.state.tool.scale_def
        chosen = scale.grades[number - 1]
        scope = self.current_scope
        grade = self._grade(scope)
        if self._not_graded(scope):
            return
        if always_rationale(self.state, scope):
            self._ask_always(scope, chosen)
            return
        if grade.suggested is None:
            self._set(scope, chosen)
            return
        if chosen == grade.suggested:
            self._set(scope, chosen)
            return

        def with_rationale(rationale: str | None) -> None:
            if rationale:
                self._set(scope, chosen, rationale)

        self.app.push_screen(
            ReasonScreen(
                f"Rationale: {scale.label(chosen)} instead of {scale.label(grade.suggested)}",
                f"Suggested: {grade.explanation}.\nWhy is {scale.label(chosen)} the right grade?",
                value=self.state.rationale.get(scope, ""),
            ),
            with_rationale,
        )

    def action_back(self) -> None:
        self.dismiss(None)
