"""The walker's saving: every answer, tick and evidence note goes to the service as given.

Kept apart from the screen so that how the walker saves (and what it does
when the service refuses) reads in one place: a single-key answer, a typed
value, multi ticks and evidence notes each go through ``services.audits``,
an error is shown where the auditor is and nothing on screen is lost, and
the status line says what was saved. ``WalkerScreen`` builds on this class
and supplies the drawing and the walk (``refresh_panels``, ``advance``).

Another window or a command may change the same answer while the walker
shows it. Each save says what the walker last showed (``Seen``): the note
the evidence box was loaded with, the answer on screen. The store refuses
a save whose "seen" is out of date, and the walker then says so and shows
the newer answer; a note typed meanwhile is kept in the box below the newer
one, for the auditor to merge. A newer note that arrives with a save while
the box is untouched simply replaces the old one on screen, with a word.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import on
from textual.screen import Screen
from textual.widgets import Input, Static

from auditui.domain.names import question_name, question_number
from auditui.domain.values import display_value, parse_typed
from auditui.errors import AuditUIError, ChangedElsewhereError
from auditui.services import audits
from auditui.services.audits import AuditState
from auditui.services.workspace import Workspace
from auditui.store.answer_guard import Seen
from auditui.tools.models import Question
from auditui.tui.feedback import reported, show_error
from auditui.tui.widgets.evidence_box import EvidenceBox
from auditui.tui.widgets.multi_choice import MultiChoice
from auditui.tui.widgets.question_view import TYPED
from auditui.tui.widgets.typed_answer import TypedAnswer


class WalkerSaving(Screen[None]):
    """The saving half of the walker; read-only once the audit has ended."""

    workspace: Workspace
    state: AuditState
    audit_id: str
    current: str
    _typed_shown: str
    """The typed answer as shown or last saved: anything else in the box is unsaved."""
    _multi_shown: list[str]
    """The multi ticks as shown or last saved."""
    _evidence_seen: dict[str, str | None]
    """Each question's note as the walker last loaded or saved it: what a save replaces."""

    @property
    def read_only(self) -> bool:
        return self.state.audit.ended

    @property
    def question(self) -> Question:
        question = self.state.tool.question(self.current)
        assert question is not None
        return question

    def refresh_panels(self) -> None:
        """Redraw everything that depends on the answers (the walker draws)."""
        raise NotImplementedError

    def advance(self) -> None:
        """Move on to the next question (the walker knows the walk)."""
        raise NotImplementedError

    def show_question(
        self, question_id: str, *, save: bool = True, focus_answer: bool = True
    ) -> bool:
        """Show ``question_id`` from ``state`` (the walker draws)."""
        raise NotImplementedError

    def load_evidence(self, question_id: str) -> None:
        """Fill the box with the stored note and remember it as the note seen."""
        note = self.state.evidence.get(question_id) or None
        self._evidence_seen[question_id] = note
        self.query_one(EvidenceBox).load_note(question_id, note or "")

    def _seen_note(self, question_id: str) -> str | None:
        if question_id in self._evidence_seen:
            return self._evidence_seen[question_id]
        return self.state.evidence.get(question_id) or None

    def mark_saved(self, what: str) -> None:
        """ "✓ saved Q1.3 = Yes": ``what`` is plain text (an answer may hold brackets)."""
        self.query_one("#saved", Static).update(f"[green]✓ saved[/green] [dim]{escape(what)}[/dim]")

    def save_pending(self) -> bool:
        """Save typed evidence, a typed answer or multi ticks not yet stored."""
        if self.read_only:
            return True
        ok = self._save_evidence(self.current, self.query_one(EvidenceBox).text)
        question = self.question
        if question.type in TYPED and question.compute is None:
            typed = self.query_one(TypedAnswer).value
            if typed != self._typed_shown:
                ok = self._save_typed(question, typed) and ok
        elif question.type == "multi":
            ticked = list(self.query_one(MultiChoice).selected)
            if sorted(ticked) != sorted(self._multi_shown):
                ok = self._store(question, ticked) and ok
        return ok

    def _save_evidence(self, question_id: str, text: str) -> bool:
        if self.read_only or not question_id:
            return True
        note = text.rstrip() or None
        seen = self._seen_note(question_id)
        if note == seen:
            return True
        try:
            self.state = audits.set_evidence(
                self.workspace, self.audit_id, question_id, note, seen=Seen(evidence=seen)
            )
        except ChangedElsewhereError as error:
            self._changed_elsewhere(error, note)
            return False
        except AuditUIError as error:
            show_error(self, error)
            return False
        self._evidence_seen[question_id] = self.state.evidence.get(question_id) or None
        self.mark_saved(f"evidence for {question_number(self.state.tool, question_id)}")
        if question_id == self.current:
            self.refresh_panels()
        return True

    def _changed_elsewhere(self, error: ChangedElsewhereError, mine: str | None) -> None:
        """Say what happened, read the audit again and show the newer answer.

        ``mine`` is the note (or the answer, as shown) that was refused. A
        note the auditor typed is never dropped: on the question on screen it
        stays in the box below the newer note; otherwise it is quoted in the
        message, as a refused answer is.
        """
        question_id = error.question_id
        # The store names the question by its id (a command's user typed it); here, its words.
        said = error.message.replace(
            f"'{question_id}'", question_name(self.state.tool, question_id), 1
        )
        with reported(self):
            self.state = audits.load(self.workspace, self.audit_id)
        box = self.query_one(EvidenceBox)
        unsaved = box.text if (box.text.rstrip() or None) != self._seen_note(self.current) else ""
        if error.field == "evidence":
            newer = self.state.evidence.get(question_id) or None
            self._evidence_seen[question_id] = newer
            if question_id == self.current:
                unsaved = "\n\n".join(text for text in (newer, mine) if text)
                message = (
                    f"{said}\nThe box now holds the newer note, then yours below it: "
                    "keep what is right and leave the box to save it."
                )
            else:
                message = f"{said}\nYour note was: {mine or '(empty)'}"
            self.notify(message, title=error.title, severity="error", timeout=20, markup=False)
        else:
            message = f"{said}\nYour answer was: {mine}"
            self.notify(message, title=error.title, severity="error", timeout=20, markup=False)
        if self.current in self.state.grading.visible:
            self.show_question(self.current, save=False, focus_answer=False)
            if unsaved:
                box.load_note(self.current, unsaved)
            if error.field == "evidence" and question_id == self.current:
                box.focus()
        self.query_one("#saved", Static).update("[red]not saved[/red]: changed elsewhere")

    def _show_newer_note(self) -> None:
        """After a save: a note changed elsewhere replaces an untouched box, with a word."""
        question_id = self.current
        seen = self._seen_note(question_id)
        newer = self.state.evidence.get(question_id) or None
        box = self.query_one(EvidenceBox)
        if newer == seen or box.question_id != question_id or (box.text.rstrip() or None) != seen:
            return
        self._evidence_seen[question_id] = newer
        box.load_note(question_id, newer or "")
        self.notify(
            f"The evidence for {question_name(self.state.tool, question_id)} was changed "
            "elsewhere (in another window or by a command); the newer note is shown.",
            title="Changed elsewhere",
            severity="warning",
            timeout=10,
            markup=False,
        )

    def _save_typed(self, question: Question, typed: str) -> bool:
        try:
            value = parse_typed(question, typed, self.state.tool) if typed.strip() else None
        except AuditUIError as error:
            show_error(self, error)
            return False
        return self._store(question, value)

    def _store(self, question: Question, value: Any) -> bool:
        seen = Seen(value=self.state.answers.get(question.id))
        try:
            self.state = audits.answer(self.workspace, self.audit_id, question.id, value, seen=seen)
        except ChangedElsewhereError as error:
            mine = "cleared" if value is None else display_value(self.state.tool, question, value)
            self._changed_elsewhere(error, mine)
            return False
        except AuditUIError as error:
            show_error(self, error)
            return False
        stored = self.state.answers.get(question.id)
        if question.type in TYPED:
            self._typed_shown = self.query_one(TypedAnswer).value
        if question.type == "multi":
            self._multi_shown = list(stored) if isinstance(stored, list) else []
        shown = "cleared"
        if stored is not None:
            shown = display_value(self.state.tool, question, stored)
        self.mark_saved(f"{question_number(self.state.tool, question.id)} = {shown}")
        self._show_newer_note()
        self.refresh_panels()
        self.refresh_bindings()
        return True

    def answered(self, question: Question, value: Any) -> None:
        """Store a single-key answer, then ask for evidence or move on."""
        if self.read_only:
            self.notify("This audit is read-only; R reopens it.", severity="warning")
            return
        if not self._save_evidence(self.current, self.query_one(EvidenceBox).text):
            return
        if not self._store(question, value):
            return
        self.after_answer(question)

    def after_answer(self, question: Question) -> None:
        if question.id in self.state.grading.missing_evidence:
            self.query_one(EvidenceBox).focus()
            return
        self.advance()

    # --- the widgets' own saving moments ------------------------------------

    @on(EvidenceBox.Left)
    def _evidence_left(self, event: EvidenceBox.Left) -> None:
        box = self.query_one(EvidenceBox)
        if box.question_id == event.question_id and box.text != event.text:
            # Stale: the walker has refilled the box since (Escape posts a Left and the
            # blur another; a save refused between them put the newer note in the box).
            return
        if not self._save_evidence(event.question_id, event.text):
            return
        if event.advance and event.question_id == self.current:
            if self.current in self.state.answers or self.state.grading.computed.get(self.current):
                self.advance()

    @on(Input.Submitted, "#typed")
    def _typed_submitted(self, event: Input.Submitted) -> None:
        question = self.question
        if event.value != self._typed_shown or event.value.strip():
            if event.value == self._typed_shown:
                self.after_answer(question)
                return
            if not self._save_evidence(self.current, self.query_one(EvidenceBox).text):
                return
            if self._save_typed(question, event.value):
                self.after_answer(question)
        else:
            self.advance()

    @on(MultiChoice.Save)
    def _multi_saved(self) -> None:
        question = self.question
        if not self._save_evidence(self.current, self.query_one(EvidenceBox).text):
            return
        ticked = list(self.query_one(MultiChoice).selected)
        if self._store(question, ticked):
            self.after_answer(question)
