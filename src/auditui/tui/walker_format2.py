"""What the walker does for a format 2 tool: form numbers, computed answers, sections N/A.

A computed question (`compute`) is shown read-only with its figure ("5
working days") and follows its dates as they change; no key answers it.
The form's own numbers head the question, as on the paper form. `X` marks
the current section not applicable, asking the reason in a modal (the
grades screen, `G`, lists marked sections and clears a mark).
"""

from __future__ import annotations

from rich.text import Text

from auditui.domain.names import question_number as numbered
from auditui.export.computed import computed_figure
from auditui.services import audits
from auditui.services.audits import AuditState
from auditui.tools.models import Question
from auditui.tools.numbering import form_numbers
from auditui.tui.feedback import reported
from auditui.tui.walker_saving import WalkerSaving


def position_text(state: AuditState, question: Question, place: int, count: int) -> str:
    """The line above the question: the section (format 2: with its form number), how far along."""
    tool = state.tool
    section = tool.section_of[question.id]
    if tool.format < 2:
        return f"[b]{section.title}[/b]  ·  question {place} of {count}"
    number = form_numbers(tool)[section.id]
    return f"[b]{number} {section.title}[/b]  ·  question {place} of {count}"


def question_number(state: AuditState, question: Question) -> str:
    """The form's number shown before a format 2 question ("1.4", "B2"); none in format 1."""
    return form_numbers(state.tool)[question.id] if state.tool.format >= 2 else ""


def computed_text(state: AuditState, question: Question) -> Text:
    """A computed question's answer area: its figure, read-only, and where it comes from."""
    value = state.grading.computed.get(question.id)
    text = Text()
    text.append("= ", style="bold")
    figure = computed_figure(question, value, state.answers, state.calendar)
    text.append(figure, style="bold green" if value is not None else "dim")
    span = question.compute.span if question.compute is not None else None
    if span is not None:
        tool = state.tool
        text.append(
            f"\nWorked out from {numbered(tool, span.from_)} and "
            f"{numbered(tool, span.to)} ({state.calendar} calendar); it follows the "
            "dates and takes no answer.",
            style="dim",
        )
    return text


class WalkerFormat2(WalkerSaving):
    """The format 2 keys of the walker."""

    def is_computed(self) -> bool:
        return self.question.compute is not None

    def action_section_na(self) -> None:
        from auditui.tui.screens.reason import ReasonScreen

        section = self.state.tool.section_of[self.current]
        if not section.allow_na:
            self.notify(
                f"'{section.title}' cannot be marked not applicable in this tool.",
                severity="warning",
            )
            return
        if not self.save_pending():
            return

        def mark(reason: str | None) -> None:
            if not reason:
                return
            with reported(self):
                self.state = audits.set_section_na(
                    self.workspace, self.audit_id, section.id, reason
                )
                self.notify(f"{section.title}: not applicable. G lists it and clears it.")
                self.after_section_change()

        self.app.push_screen(
            ReasonScreen(
                f"Not applicable: {section.title}",
                "Why does this section not apply to this audit? (Its answers are kept.)",
            ),
            mark,
        )

    def after_section_change(self) -> None:
        """The current question may be hidden now: go on to the next thing to do."""
        raise NotImplementedError
