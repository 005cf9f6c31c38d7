"""`f`: the review before an audit ends, and the two ways it can end.

Finalising is refused while anything is missing, so this screen lists what
is, one line per question or grade, each a way back to fix it. An audit
that cannot be finished is closed as incomplete with a reason instead, and
an ended audit can be reopened with a reason.

Below the refusals come warnings an auditor may finalise past: no strengths
or areas for development written, or a grade below good with no action
agreed. Finalising asks once for confirmation, since it makes the audit
read-only and only a reason reopens it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from auditui.domain.names import section_name, sentence
from auditui.domain.percent import round_half_up
from auditui.domain.working_days import format_day
from auditui.services import actions, audits
from auditui.services.audit_state import to_accept
from auditui.services.audits import AuditState
from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported
from auditui.tui.palette import AMBER
from auditui.tui.screens.confirm import ConfirmScreen
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar


def problem_targets(state: AuditState) -> list[str]:
    """Where each problem line leads, in order: its question's id, or "grades"."""
    return [
        target if state.tool.question(target) is not None else "grades"
        for target, _ in audits.missing_items(state)
    ]


def accepting_words(state: AuditState) -> list[str]:
    """The suggested grades finalising accepts, in words ("Section 2 Plan: Good"), with the
    grade each replaces where the answers moved since one was given ("(was Outstanding)")."""
    label = state.tool.scale_def.label
    words = []
    for scope, grade in to_accept(state):
        was = state.chosen.get(scope)
        before = f" (was {label(was)})" if was and was != grade else ""
        words.append(f"{section_name(state.tool, scope)}: {label(grade)}{before}")
    return words


CONFIRM_FINALISE = "Finalise this audit? It becomes read-only; reopening needs a reason."


def review_warnings(state: AuditState, agreed_actions: int) -> list[tuple[str, str]]:
    """What an auditor should see to before finalising, each with the screen that fixes it.

    Warnings, not refusals: ``("findings" | "actions", line)`` pairs.
    ``agreed_actions`` counts the audit's open and done actions.
    """
    found: list[tuple[str, str]] = []
    findings = state.audit.findings
    if not (findings.get("strengths") or "").strip():
        found.append(("findings", "No strengths recorded: F opens the findings"))
    if not (findings.get("development") or "").strip():
        found.append(("findings", "No areas for development recorded: F opens the findings"))
    scale = state.tool.scale_def
    final = state.grading.overall.final
    if final and final not in scale.good_or_better and not agreed_actions:
        found.append(
            ("actions", f"Graded {scale.label(final)} with no action agreed: add one with A")
        )
    return found


class FinaliseScreen(Screen[str | None]):
    """Returns a question id or "grades" to go and fix, or None."""

    DEFAULT_CSS = """
    FinaliseScreen #finalise-summary { height: auto; padding: 1 2; }
    FinaliseScreen #problems { height: 1fr; margin: 0 2 1 2; }
    """

    HELP_TITLE = "Finalise"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "go",
            "Go to it",
            priority=True,
            tooltip="Go to the highlighted problem to fix it.",
            id="finalise.go",
        ),
        Binding(
            "f",
            "finalise",
            "Finalise",
            tooltip="End the audit as complete; it becomes read-only and is queued for sync.",
            id="finalise.finalise",
        ),
        Binding(
            "c",
            "close_incomplete",
            "Close incomplete",
            tooltip="End an audit that cannot be finished, with the reason.",
            id="finalise.close",
        ),
        Binding(
            "R",
            "reopen",
            "Reopen",
            key_display="R",
            tooltip="Reopen the ended audit as a new revision, with the reason.",
            id="finalise.reopen",
        ),
        Binding(
            "F",
            "findings",
            "Findings",
            key_display="F",
            tooltip="Strengths, areas for development and the summary.",
            id="finalise.findings",
        ),
        Binding(
            "A",
            "actions",
            "Actions",
            key_display="A",
            tooltip="This audit's follow-up actions: add one agreed with the practitioner.",
            id="finalise.actions",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the questions.", id="finalise.back"),
    ]

    def __init__(self, workspace: Workspace, audit_id: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.audit_id = audit_id
        self.state: AuditState = audits.load(workspace, audit_id)
        self.warnings: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="finalise-summary")
        yield OptionList(id="problems")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"Finalise · {self.state.audit.case_ref}"
        self.show_state()

    def show_state(self) -> None:
        state = self.state
        audit = state.audit
        scale = state.tool.scale_def
        overall = state.grading.overall
        problems = state.problems
        self.warnings = [] if audit.ended else review_warnings(state, self._agreed_actions())
        text = Text()
        text.append(f"{audit.case_ref} · {state.tool.title} · {audit.team}\n", style="bold")
        grade = scale.label(overall.final) if overall.final else "no grade yet"
        if overall.final and not audit.ended:
            # Even a grade the auditor chose is not a result while answers are owed.
            if not state.grading.answers_in:
                grade += " so far"
            elif overall.chosen is None:
                grade += " (suggested)"
        done = round_half_up(state.grading.progress * 100, 0)
        text.append(f"Overall grade: {grade}.  Progress: {done:.0f}%.\n")
        if audit.status == "finalised":
            day = format_day(audit.ended_on) if audit.ended_on else ""
            text.append(f"Finalised on {day}. R reopens it with a reason.", style="green")
        elif audit.status == "closed_incomplete":
            reason = sentence(audit.end_reason or "no reason given")
            text.append(f"Closed as incomplete: {reason} R reopens it.", style="dim")
        elif problems:
            text.append(
                f"{len(problems)} thing{'s' if len(problems) > 1 else ''} to do before "
                "finalising. Enter goes to the highlighted one; c closes the audit as "
                "incomplete instead.",
                style=AMBER,
            )
        elif self.warnings:
            text.append(
                "Complete: f finalises the audit, but see to these first if you can.",
                style="bold green",
            )
        else:
            text.append("Complete: f finalises the audit.", style="bold green")
        accepting = accepting_words(state) if not audit.ended and not problems else []
        if accepting:
            text.append("\nFinalising accepts the suggested grades: " + "; ".join(accepting) + ".")
        self.query_one("#finalise-summary", Static).update(text)
        options = self.query_one(OptionList)
        options.clear_options()
        if not audit.ended:
            options.add_options(Option(line, id=str(i)) for i, line in enumerate(problems))
            options.add_options(
                Option(Text(line, style=AMBER), id=f"w{i}")
                for i, (_, line) in enumerate(self.warnings)
            )
        options.display = bool(options.option_count)
        if options.option_count:
            options.highlighted = 0
            options.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        ended = self.state.audit.ended
        if action == "go":
            return not ended and bool(self.state.problems or self.warnings)
        if action in ("findings", "actions"):
            return not ended
        if action == "finalise":
            return not ended
        if action == "close_incomplete":
            return not ended
        if action == "reopen":
            return ended
        return True

    @on(OptionList.OptionSelected, "#problems")
    def _chosen(self) -> None:
        self.action_go()

    def action_go(self) -> None:
        options = self.query_one(OptionList)
        problems = self.state.problems
        if options.highlighted is None or self.state.audit.ended:
            return
        if options.highlighted < len(problems):
            self.dismiss(problem_targets(self.state)[options.highlighted])
            return
        warning = options.highlighted - len(problems)
        if warning < len(self.warnings):
            if self.warnings[warning][0] == "findings":
                self.action_findings()
            else:
                self.action_actions()

    def _agreed_actions(self) -> int:
        found = actions.list_actions(self.workspace, audit_id=self.audit_id)
        return sum(1 for view in found if view.action.status in ("open", "done"))

    def on_screen_resume(self) -> None:
        """Back from findings or actions: read the audit again and review it afresh."""
        with reported(self):
            self.state = audits.load(self.workspace, self.audit_id)
            self.show_state()

    def action_findings(self) -> None:
        from auditui.tui.screens.findings import FindingsScreen

        self.app.push_screen(FindingsScreen(self.workspace, self.audit_id))

    def action_actions(self) -> None:
        from auditui.tui.screens.audit_actions import AuditActionsScreen

        self.app.push_screen(AuditActionsScreen(self.workspace, self.audit_id))

    def action_finalise(self) -> None:
        if self.state.problems:
            # The list is on screen: a toast repeating it ran past the screen's edges.
            count = len(self.state.problems)
            self.notify(
                f"{count} thing{'s' if count > 1 else ''} still to do; the list is above.",
                title="Not finalised yet",
                severity="warning",
                timeout=5,
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._finalise()

        accepting = accepting_words(self.state)
        question = CONFIRM_FINALISE
        if accepting:
            question += "\nIt accepts the suggested grades: " + "; ".join(accepting) + "."
        self.app.push_screen(ConfirmScreen("Finalise", question), answered)

    def _finalise(self) -> None:
        with reported(self):
            self.state = audits.finalise(self.workspace, self.audit_id)
            self.notify(f"{self.state.audit.case_ref} finalised.", title="Finalised", timeout=4)
            self.show_state()

    def action_close_incomplete(self) -> None:
        def close(reason: str | None) -> None:
            if reason is None:
                return
            with reported(self):
                self.state = audits.close_incomplete(self.workspace, self.audit_id, reason)
                self.notify("Closed as incomplete.", timeout=4)
                self.show_state()

        self.app.push_screen(
            ReasonScreen("Close as incomplete", "Why can this audit not be completed?"), close
        )

    def action_reopen(self) -> None:
        def reopen(reason: str | None) -> None:
            if reason is None:
                return
            with reported(self):
                self.state = audits.reopen(self.workspace, self.audit_id, reason)
                self.notify(f"Reopened as revision {self.state.audit.revision}.", timeout=4)
                self.show_state()

        self.app.push_screen(
            ReasonScreen("Reopen audit", "Why is this audit being reopened?"), reopen
        )

    def action_back(self) -> None:
        self.dismiss(None)
