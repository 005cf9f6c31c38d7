"""`d` on the board: an action marked done, with its evidence, here or on the hub.

On this machine the evidence is kept with the action. On the hub the
completion is recorded for the auditor's next sync to bring home, and the
evidence text goes with it only where the organisation shares evidence;
otherwise the manager confirms and records the evidence in the case file.
"""

from __future__ import annotations

from auditui.domain.working_days import format_day
from auditui.services import actions
from auditui.services.actions import ActionView
from auditui.services.sync import complete_hub_action
from auditui.tui.feedback import reported
from auditui.tui.screens.board_concerns import BoardConcerns
from auditui.tui.screens.confirm import ConfirmScreen
from auditui.tui.screens.reason import ReasonScreen


class BoardDone(BoardConcerns):
    """Marking the highlighted action done (the board screen builds on it)."""

    @property
    def current(self) -> ActionView | None:
        raise NotImplementedError

    def load(self) -> None:
        raise NotImplementedError

    def action_done(self) -> None:
        view = self.current
        if view is None or self.reading:
            return
        what = view.action.text or "this action"
        if self.hub is not None:
            self._done_on_hub(self.hub, view)
            return

        def done(evidence: str | None) -> None:
            if evidence is None:
                return
            with reported(self):
                actions.complete_action(self.workspace, view.action.id, evidence=evidence)
                self.notify(f"Done: {what}", timeout=3, markup=False)
            self.load()

        self.app.push_screen(ReasonScreen("Action done", f"Evidence that '{what}' was done:"), done)

    def _done_on_hub(self, hub: str, view: ActionView) -> None:
        """Record the completion on the hub; the evidence goes only where the organisation allows."""
        what = (
            view.action.text
            or f"the action for {view.action.owner} due {format_day(view.action.due)}"
        )

        def record(evidence: str | None) -> None:
            with reported(self):
                complete_hub_action(self.workspace, hub, view.action.id, evidence=evidence)
                self.notify(
                    f"Done on the hub: {what}. The auditor's next sync records it.",
                    timeout=5,
                    markup=False,
                )
            self.read_hub()

        if self.workspace.config.sync.share_evidence_text:

            def with_evidence(evidence: str | None) -> None:
                if evidence is not None:
                    record(evidence)

            self.app.push_screen(
                ReasonScreen("Action done (on the hub)", f"Evidence that '{what}' was done:"),
                with_evidence,
            )
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                record(None)

        self.app.push_screen(
            ConfirmScreen(
                "Action done (on the hub)",
                f"Mark '{what}' done today on the hub?\n"
                "This organisation keeps evidence text off the hub: record the evidence "
                "in the case file.",
            ),
            confirmed,
        )
