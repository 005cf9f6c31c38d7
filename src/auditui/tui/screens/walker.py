"""The walker: one audit, question by question, from the keyboard.

This is where an auditor spends the hour beside the practitioner. Every
answer and evidence note is saved by the service the moment it is given
(``walker_saving``); the screen only decides what each key means and what
to show next.
Questions hidden by ``show_if`` leave the walk as soon as an answer hides
them, because the walk follows ``grading.visible``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import ProgressBar, Static
from textual.widgets.selection_list import Selection

from auditui.domain.percent import round_half_up
from auditui.domain.values import typed_text
from auditui.services import audits
from auditui.services.audits import AuditState
from auditui.services.workspace import Workspace
from auditui.tools.models import Question
from auditui.tui.feedback import reported
from auditui.tui.walker_format2 import computed_text, position_text, question_number
from auditui.tui.walker_keys import WALKER_BINDINGS, ended_footer
from auditui.tui.walker_screens import WalkerScreens
from auditui.tui.walker_text import ended_banner, evidence_label, resume_point, subtitle
from auditui.tui.widgets.evidence_box import EvidenceBox
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.multi_choice import MultiChoice
from auditui.tui.widgets.question_view import (
    TYPED,
    QuestionView,
    answer_keys,
    choices_text,
    ended_answer_text,
)
from auditui.tui.widgets.section_list import SectionList
from auditui.tui.widgets.title_bar import TitleBar
from auditui.tui.widgets.typed_answer import TypedAnswer


class WalkerScreen(WalkerScreens):
    """One audit's questions; read-only once the audit has ended."""

    DEFAULT_CSS = """
    WalkerScreen #walker { height: 1fr; }
    WalkerScreen #sections {
        width: 34;
        height: 1fr;
        padding: 0 1;
        border-right: tall $primary 40%;
    }
    WalkerScreen.-narrow #sections { width: 27; }
    WalkerScreen #question-pane { width: 1fr; height: 1fr; padding: 0 1 0 2; overflow-y: auto; }
    WalkerScreen #banner { height: auto; background: $warning 25%; padding: 0 1; margin-bottom: 1; }
    WalkerScreen #position { height: auto; color: $text-muted; }
    WalkerScreen #question { height: auto; margin: 1 0; }
    WalkerScreen #choices { height: auto; margin-bottom: 1; }
    WalkerScreen #typed { margin-bottom: 1; }
    WalkerScreen #multi { height: auto; max-height: 11; margin-bottom: 1; }
    WalkerScreen #evidence-label { height: auto; }
    WalkerScreen #evidence { height: 6; }
    WalkerScreen.-short #evidence { height: 4; }
    WalkerScreen.-short #question { margin: 0 0 1 0; }
    WalkerScreen #walker-status { height: 1; padding: 0 1; }
    WalkerScreen #progress { width: 40; }
    WalkerScreen.-narrow #progress { width: 28; }
    WalkerScreen #progress Bar { width: 1fr; }
    WalkerScreen #saved { width: 1fr; padding-left: 2; }
    """

    HELP_TITLE = "Audit walker"
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = WALKER_BINDINGS

    def __init__(self, workspace: Workspace, audit_id: str, question_id: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.state: AuditState = audits.load(workspace, audit_id)
        self.audit_id = self.state.audit.id
        self.current: str = question_id or self.resume_point()
        self._typed_shown = ""
        self._multi_shown: list[str] = []
        self._evidence_seen: dict[str, str | None] = {}
        self._resumed_once = False

    # --- layout -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="walker"):
            yield SectionList(id="sections")
            with Vertical(id="question-pane"):
                yield Static("", id="banner")
                yield Static("", id="position")
                yield QuestionView(id="question")
                yield Static("", id="choices")
                yield TypedAnswer(id="typed")
                yield MultiChoice(id="multi")
                yield Static("", id="evidence-label")
                yield EvidenceBox(id="evidence")
        with Horizontal(id="walker-status"):
            yield ProgressBar(total=100, show_eta=False, id="progress")
            yield Static("", id="saved")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = subtitle(self.state)
        self.show_question(self.current, save=False)

    def on_screen_resume(self) -> None:
        if self._resumed_once:  # back from another screen, which may have changed the audit
            self.reload()
        self._resumed_once = True

    # --- what is shown ------------------------------------------------------

    @property
    def shown_ids(self) -> tuple[str, ...]:
        return self.state.grading.visible

    def resume_point(self) -> str:
        return resume_point(self.state)

    def reload(self) -> None:
        """Read the audit again (another screen or terminal may have changed it).

        Anything typed but not yet saved is saved first; if it cannot be (an
        invalid typed answer), the screen is left as it is so nothing is lost.
        """
        if not self.save_pending():
            return
        writing = self.focused if isinstance(self.focused, EvidenceBox) else None
        was_answering = isinstance(self.focused, (TypedAnswer, MultiChoice))
        was_on = self.current
        with reported(self):
            self.state = audits.load(self.workspace, self.audit_id)
            if self.current not in self.shown_ids:
                self.current = self.resume_point()
            self.sub_title = subtitle(self.state)
            # Back on the question whose box was left (Escape, G): keys are commands again.
            stay_out = self.current == was_on and not was_answering
            self.show_question(self.current, save=False, focus_answer=not stay_out)
            if writing is not None and self.current == was_on and writing.display:
                writing.focus()  # back from the palette or help mid-note: keep writing

    def show_question(
        self, question_id: str, *, save: bool = True, focus_answer: bool = True
    ) -> bool:
        """Move to ``question_id``, first saving anything typed; False if that was refused."""
        if save and not self.save_pending():
            return False
        self.current = question_id
        question = self.question
        value = self.state.answers.get(question_id)
        typed = self.query_one(TypedAnswer)
        typed.display = question.type in TYPED and question.compute is None
        if typed.display:
            self._typed_shown = self._typed_text(question, value)
            typed.value = self._typed_shown
            typed.disabled = self.read_only
            typed.placeholder = {
                "text": "the answer",
                "number": "a number",
                "date": "DD/MM/YYYY",
            }.get(question.type, "")
        multi = self.query_one(MultiChoice)
        multi.display = question.type == "multi"
        if multi.display:
            ticked = value if isinstance(value, list) else []
            self._multi_shown = list(ticked)
            multi.clear_options()
            multi.add_options(
                Selection(f"{i}. {o.label}", o.id, o.id in ticked)
                for i, o in enumerate(question.options or (), start=1)
            )
            multi.highlighted = 0
            multi.disabled = self.read_only
        self.load_evidence(question_id)
        evidence = self.query_one(EvidenceBox)
        evidence.read_only = self.read_only or question.evidence == "never"
        written = bool(self.state.evidence.get(question_id, "").strip())
        # An ended audit's empty box is nothing to read and cannot be written in.
        evidence.display = question.evidence != "never" and (written or not self.read_only)
        self.refresh_panels()
        if not focus_answer:
            self.set_focus(None)
        elif not self.read_only and typed.display:
            typed.focus()
        elif not self.read_only and multi.display:
            multi.focus()
        else:
            self.set_focus(None)
        self.query_one("#question-pane").scroll_home(animate=False)
        self.refresh_bindings()
        return True

    def _typed_text(self, question: Question, value: Any) -> str:
        """The answer back in its box to edit: a date as DD/MM/YYYY, as UK staff type it."""
        return typed_text(self.state.tool, question, value)

    def refresh_panels(self) -> None:
        """Everything that depends on the answers: counts, grades, progress, marks."""
        state = self.state
        tool = state.tool
        question = self.question
        section = tool.section_of[question.id]
        value = state.answers.get(question.id)
        if question.compute is not None:
            value = state.grading.computed.get(question.id)
        self.query_one(SectionList).show(state, section.id)
        visible = self.shown_ids
        number = visible.index(question.id) + 1 if question.id in visible else 0
        position = position_text(state, question, number, len(visible))
        self.query_one("#position", Static).update(position)
        self.query_one(QuestionView).show(tool, question, value, question_number(state, question))
        choices = computed_text(state, question) if question.compute is not None else None
        if choices is None:
            shown = ended_answer_text if self.read_only else choices_text
            choices = shown(tool, question, value)
        self.query_one("#choices", Static).update(choices)
        self.query_one("#evidence-label", Static).update(self._evidence_label(question, value))
        self.query_one(ProgressBar).update(progress=round_half_up(state.grading.progress * 100, 0))
        banner = self.query_one("#banner", Static)
        banner.display = self.read_only
        if self.read_only:
            banner.update(ended_banner(self.state.audit))

    def _evidence_label(self, question: Question, value: Any) -> str:
        has_note = bool(self.state.evidence.get(question.id, "").strip())
        if self.read_only:
            # What it needed no longer matters: it cannot be written now.
            if question.evidence == "never":
                return ""
            return "[b]Evidence[/b]" if has_note else "[b]Evidence[/b] [dim]none written[/dim]"
        return evidence_label(question, value, has_note, self.query_one(EvidenceBox).has_focus)

    # --- the walk -----------------------------------------------------------

    def advance(self) -> None:
        """The next visible question; after the last, the next thing still to do."""
        visible = self.shown_ids
        index = visible.index(self.current) if self.current in visible else -1
        if index + 1 < len(visible):
            self.show_question(visible[index + 1])
            return
        target = self.next_to_do()
        if target is not None and target != self.current:
            self.show_question(target)
        elif target is None:
            hint = (
                "read-only; R reopens it"
                if self.state.audit.ended
                else "G checks grades, f finalises"
            )
            self.query_one("#saved", Static).update(
                f"[green]✓ all answered[/green]: {hint}"  # whole at 80 columns
            )

    def next_to_do(self) -> str | None:
        """The next question after this one that is unanswered or missing evidence."""
        grading = self.state.grading
        todo = set(grading.missing) | set(grading.missing_evidence)
        visible = self.shown_ids
        if not todo:
            return None
        start = visible.index(self.current) + 1 if self.current in visible else 0
        for qid in visible[start:] + visible[:start]:
            if qid in todo:
                return qid
        return None

    # --- keys -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("answer", "digit") and self.is_computed():
            return False  # worked out from its dates: no key answers it
        if action == "section_na":
            return not self.read_only and self.state.tool.section_of[self.current].allow_na
        if action == "answer":
            if self.read_only:
                return False
            values = [
                value
                for key, value, _ in answer_keys(self.state.tool, self.question)
                if not key.isdigit()
            ]
            return parameters[0] in values
        if action == "digit":
            if self.read_only:
                return False
            digits = [
                key for key, _, _ in answer_keys(self.state.tool, self.question) if key.isdigit()
            ]
            return str(parameters[0]) in digits
        if action == "reopen":
            return self.read_only
        if action in ("evidence", "unanswered", "finalise"):
            return not self.read_only  # nothing left to do on an ended audit
        return True

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        found = super().active_bindings
        return ended_footer(found) if self.read_only else found

    def action_answer(self, value: str) -> None:
        self.answered(self.question, value)

    def action_digit(self, number: int) -> None:
        question = self.question
        keyed = {key: value for key, value, _ in answer_keys(self.state.tool, question)}
        value = keyed.get(str(number))
        if value is None:
            return
        if question.type == "multi":
            self.query_one(MultiChoice).toggle(value)
            return
        self.answered(question, value)

    def action_move(self, step: int) -> None:
        visible = self.shown_ids
        index = visible.index(self.current) if self.current in visible else 0
        target = min(max(index + step, 0), len(visible) - 1)
        if visible[target] != self.current:
            self.show_question(visible[target])

    def action_section(self, step: int) -> None:
        sections = self.state.tool.sections
        here = [s.id for s in sections].index(self.state.tool.section_of[self.current].id)
        order = sections[here + 1 :] if step > 0 else list(reversed(sections[:here]))
        for section in order:
            shown = [q.id for q in section.questions if q.id in self.shown_ids]
            if shown:
                self.show_question(shown[0])
                return

    def action_unanswered(self) -> None:
        if not self.save_pending():
            return
        target = self.next_to_do()
        if target is None:
            self.notify("Every question is answered, with its evidence. G checks the grades.")
        elif target != self.current:
            self.show_question(target)

    def action_evidence(self) -> None:
        self.query_one(EvidenceBox).focus()

    def action_guidance(self) -> None:
        from auditui.tui.screens.guidance import GuidanceScreen

        question = self.question
        self.app.push_screen(GuidanceScreen(self.state.tool.section_of[question.id], question))

    def after_section_change(self) -> None:
        if self.current not in self.shown_ids:
            self.current = self.resume_point()
        self.sub_title = subtitle(self.state)
        self.show_question(self.current, save=False)

    def action_refresh(self) -> None:
        self.reload()
        self.notify("Read the audit again.", timeout=2)

    def action_leave(self) -> None:
        if self.save_pending():
            self.dismiss(None)

    # --- widget messages ----------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, EvidenceBox):
            self._show_evidence_label()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, EvidenceBox):
            self._show_evidence_label()

    def _show_evidence_label(self) -> None:
        question = self.question
        label = self._evidence_label(question, self.state.answers.get(question.id))
        self.query_one("#evidence-label", Static).update(label)
