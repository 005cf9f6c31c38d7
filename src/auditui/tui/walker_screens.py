"""The screens the walker opens: grades, findings, actions, finalise, concerns, reopening.

Each first saves anything typed on the question (``save_pending``), so no
word is lost on the way to another screen; coming back, the walker reads
the audit again (``on_screen_resume``).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from auditui.services import audits
from auditui.tui.feedback import reported
from auditui.tui.walker_format2 import WalkerFormat2


class WalkerScreens(WalkerFormat2):
    """The walker's keys that open another screen."""

    def reload(self) -> None:
        """Read the audit again (the walker does)."""
        raise NotImplementedError

    @property
    def shown_ids(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _open(self, screen: Screen[Any], callback: Any = None) -> None:
        if self.save_pending():
            self.app.push_screen(screen, callback)

    def action_grades(self) -> None:
        from auditui.tui.screens.grades import GradesScreen

        self._open(GradesScreen(self.workspace, self.audit_id))

    def action_findings(self) -> None:
        from auditui.tui.screens.findings import FindingsScreen

        self._open(FindingsScreen(self.workspace, self.audit_id))

    def action_actions(self) -> None:
        from auditui.tui.screens.audit_actions import AuditActionsScreen

        self._open(AuditActionsScreen(self.workspace, self.audit_id))

    def action_finalise(self) -> None:
        from auditui.tui.screens.finalise import FinaliseScreen

        def back(target: str | None) -> None:
            if target == "grades":
                self.action_grades()
            elif target:
                self.reload()
                if target in self.shown_ids:
                    self.show_question(target, save=False)

        self._open(FinaliseScreen(self.workspace, self.audit_id), back)

    def action_moderation(self) -> None:
        from auditui.tui.programme_actions import moderation_of, open_comparison

        allocation = moderation_of(self.workspace, self.audit_id)
        if allocation is None:
            self.notify("This audit is not part of a moderation.", timeout=3)
        elif self.save_pending():
            open_comparison(self, self.workspace, allocation)

    def action_concern(self) -> None:
        """A safeguarding concern, recorded at once (any audit state: acting now matters)."""
        from auditui.tui.screens.concern_form import ConcernFormScreen, recorded_words

        def recorded(concern: Any) -> None:
            if concern is not None:
                words = recorded_words(concern, self.workspace.config.sync.target)
                self.notify(words, title="Concern recorded", timeout=10, markup=False)

        case_ref = self.state.audit.case_ref or self.audit_id[:8]
        self._open(ConcernFormScreen(self.workspace, self.audit_id, case_ref), recorded)

    def action_reopen(self) -> None:
        from auditui.tui.screens.reason import ReasonScreen

        def reopen(reason: str | None) -> None:
            if reason is None:
                return
            with reported(self):
                self.state = audits.reopen(self.workspace, self.audit_id, reason)
                self.notify(f"Reopened as revision {self.state.audit.revision}.", timeout=4)
                self.show_question(self.current, save=False)

        self.app.push_screen(
            ReasonScreen("Reopen audit", "Why is this audit being reopened?"), reopen
        )
