"""A moderated audit and its blind re-audit, side by side, section by section.

Moderation exists to find grade inflation, so the two judgements are laid
next to each other: the overall grade, each section's grade, and every
answer, with each difference marked (≠). `g` records the grade the two
auditors agreed and why, as ``auditui moderation agree`` does, and the
original auditor sees it after their next sync.

Blindness is the service's: ``moderation_review.comparison`` refuses until
the re-audit has ended, and this screen shows nothing of the original but
what that call returns; before then it shows only the refusal.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from auditui.domain.plurals import counted
from auditui.domain.values import display_value
from auditui.errors import AuditUIError
from auditui.services import moderation, moderation_review
from auditui.services.moderation_review import OVERALL, Comparison
from auditui.services.workspace import Workspace
from auditui.tui.feedback import show_error
from auditui.tui.palette import AMBER
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar

DIFFERENT = "≠"


class ModerationCompareScreen(Screen[None]):
    """Both audits of one moderation, once the re-audit has ended."""

    HELP_TITLE = "Moderation: side by side"
    DEFAULT_CSS = """
    ModerationCompareScreen #compare-head { height: auto; padding: 0 1; margin-bottom: 1; }
    ModerationCompareScreen VerticalScroll { height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "g",
            "agree",
            "Agree grade",
            tooltip="Record the grade both auditors agreed, and why (once both audits ended).",
            id="compare.agree",
        ),
        Binding(
            "d",
            "differences",
            "Differences",
            tooltip="Show only the sections and answers that differ, or everything again.",
            id="compare.differences",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the last screen.", id="compare.back"),
    ]

    def __init__(self, workspace: Workspace, allocation: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.allocation = allocation
        self.side: Comparison | None = None
        self.only_differences = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="compare-head")
        with VerticalScroll(id="compare-scroll"):
            yield Static("", id="compare-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Moderation"
        self.load()

    def load(self) -> None:
        """Ask the service for both audits; a refusal (not ended yet) is all that is shown."""
        head = self.query_one("#compare-head", Static)
        body = self.query_one("#compare-body", Static)
        try:
            self.side = moderation_review.comparison(self.workspace, self.allocation)
        except AuditUIError as error:
            self.side = None
            agreed = self._agreed_elsewhere()
            if agreed is not None:  # the original auditor's machine: the re-audit is not here
                head.update(agreed)
                body.update("")
                return
            head.update(Text(error.message, style="bold"))
            body.update(
                Text(
                    "Moderation is blind: end your own re-audit first; then both audits show "
                    "here side by side, section by section.",
                    style="dim",
                )
            )
            return
        head.update(self._head(self.side))
        body.update(self._table(self.side))

    def _agreed_elsewhere(self) -> Text | None:
        """The agreed grade, who recorded it and why, when it was agreed on another machine
        (the original auditor hears of it at a sync; the re-audit stays on the moderator's)."""
        try:
            row = moderation.find(self.workspace, self.allocation)
        except AuditUIError:
            return None
        if row["agreed_grade"] is None:
            return None
        label = self._tool().scale_def.label(row["agreed_grade"])
        line = Text(
            f"{_case(row['case_ref'])}, audited by {row['auditor']}, was moderated by ", "bold"
        )
        line.append(f"{row['moderator']}.\n", style="bold")
        line.append(f"Agreed grade: {label}", style="bold green")
        line.append(f" (recorded by {row['agreed_by']}). Why: {row['agreed_reason']}")
        return line

    def _tool(self) -> Any:
        row = moderation.find(self.workspace, self.allocation)
        return self.workspace.library.get(row["tool_id"], row["tool_version"])

    def _head(self, side: Comparison) -> Text:
        graded = [s for s in side.sections if s.original or s.moderated]
        grades_differ = sum(1 for s in graded if s.original != s.moderated)
        answers_differ = sum(1 for a in side.answers if a.original != a.moderated)
        line = Text(
            f"{_case(side.case_ref)}, audited by {side.auditor}; re-audited blind by "
            f"{side.moderator}.\n",
            style="bold",
        )
        line.append(
            f"{grades_differ} of {counted(len(graded), 'grade')} and {answers_differ} of "
            f"{counted(len(side.answers), 'answer')} differ ({DIFFERENT}). "
        )
        if side.agreed_grade:
            scale = self._tool().scale_def
            line.append(f"Agreed grade: {scale.label(side.agreed_grade)}.", style="bold green")
        else:
            line.append("No agreed grade yet: g records it.", style=AMBER)
        return line

    def _table(self, side: Comparison) -> Table:
        tool = self._tool()
        scale = tool.scale_def
        table = Table(box=None, pad_edge=False, expand=True, header_style="bold")
        table.add_column("", width=1, no_wrap=True)
        table.add_column("Section / question", ratio=3)
        table.add_column(Text(f"{side.auditor} (original)"), ratio=2)
        table.add_column(Text(f"{side.moderator} (moderator)"), ratio=2)
        answers = {a.question: a for a in side.answers}
        grades = {s.section: s for s in side.sections}
        self._grade_row(table, "Overall grade", grades.get(OVERALL), scale)
        for number, section in enumerate(tool.sections, start=1):
            self._grade_row(
                table,
                f"{section.number or number}. {section.title}",
                grades.get(section.id),
                scale,
                section_start=True,
            )
            for question in section.questions:
                pair = answers.get(question.id)
                if pair is None:
                    continue
                differ = pair.original != pair.moderated
                if self.only_differences and not differ:
                    continue
                table.add_row(
                    Text(DIFFERENT if differ else "", style=AMBER),
                    Text(question.text, style="" if differ else "dim"),
                    Text(display_value(tool, question, pair.original) or "-"),
                    Text(
                        display_value(tool, question, pair.moderated) or "-",
                        style=AMBER if differ else "",
                    ),
                )
        return table

    def _grade_row(
        self, table: Table, title: str, grades: Any, scale: Any, section_start: bool = False
    ) -> None:
        original = scale.label(grades.original) if grades and grades.original else "-"
        moderated = scale.label(grades.moderated) if grades and grades.moderated else "-"
        differ = bool(grades) and grades.original != grades.moderated
        if self.only_differences and not differ and not section_start:
            return
        if section_start:
            table.add_row("", "", "", "")
        table.add_row(
            Text(DIFFERENT if differ else "", style=f"bold {AMBER}"),
            Text(title, style="bold"),
            Text(original, style="bold"),
            Text(moderated, style=f"bold {AMBER}" if differ else "bold"),
        )

    def action_differences(self) -> None:
        self.only_differences = not self.only_differences
        if self.side is not None:
            self.query_one("#compare-body", Static).update(self._table(self.side))

    def action_agree(self) -> None:
        from auditui.tui.screens.agree_grade import AgreeGradeScreen

        if self.side is None:
            self.notify(
                "The re-audit has not ended; a grade is agreed once both audits have.",
                severity="warning",
                timeout=5,
            )
            return
        scale = self._tool().scale_def
        overall = next((s for s in self.side.sections if s.section == OVERALL), None)
        offered = overall.moderated if overall else None
        grades = [(g, scale.label(g)) for g in scale.grades]
        self.app.push_screen(AgreeGradeScreen(grades, offered), self._agreed)

    def _agreed(self, answer: tuple[str, str] | None) -> None:
        if answer is None:
            return
        grade, reason = answer
        try:
            moderation_review.agree(self.workspace, self.allocation, grade, reason)
        except AuditUIError as error:
            show_error(self, error)
            return
        self.notify("Agreed grade recorded; the original auditor sees it after a sync.", timeout=5)
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()


def _case(case_ref: str) -> str:
    """How the heading names the audit: by its case, as the people moderating know it."""
    return f"Case {case_ref}" if case_ref else "The audit"
