"""`n`, step two: the case details, checked before anything is created.

The case reference must follow the organisation's pattern (so a child's
name is never typed there), the case type must be one the tool applies
to, and the team one of the configured teams. A refusal from the service
is shown beside the field it names; no audit exists until all are right.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from auditui.config_organisation import OrganisationConfig
from auditui.domain.records import CASE_TYPE_LABELS, KIND_LABELS
from auditui.errors import AuditUIError, InvalidAnswerError
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.models import AuditTool
from auditui.tui.feedback import show_error
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar

FIELD_OF_ERROR = {
    "Case reference": "case_ref",
    "Case type": "case_type",
    "Team": "team",
    "Practitioner": "practitioner",
    "Audit kind": "kind",
}
"""A service refusal's leading words -> the field it is about."""


def field_for(message: str) -> str | None:
    """The form field an error message names, by its leading words."""
    for words, field in FIELD_OF_ERROR.items():
        if message.startswith(words) and message[len(words) : len(words) + 1] in (":", " ", ""):
            return field
    return None


def recorded_reference(organisation: OrganisationConfig, typed: str) -> str:
    """The reference as the recording system writes it: one typed wholly in lower case
    (``c123456``, read aloud from a letter) is taken in capitals when the organisation's
    example is in capitals (``C123456`` by default) and its pattern takes that too;
    anything else as typed, for the service to check."""
    typed = typed.strip()
    example = organisation.case_reference_example or "C123456"
    if typed == typed.lower() != typed.upper() and example == example.upper():
        try:
            return organisation.check_case_reference(typed.upper())
        except InvalidAnswerError:
            return typed
    return typed


class CaseDetailsScreen(Screen[str | None]):
    """Returns the new audit's id, or None if the user backed out."""

    DEFAULT_CSS = """
    CaseDetailsScreen #details { padding: 0 2; }
    CaseDetailsScreen #details-title { padding: 1 0; }
    CaseDetailsScreen #details-buttons { height: 1; padding-left: 22; }
    CaseDetailsScreen #details-buttons Button { margin-right: 2; }
    """

    HELP_TITLE = "New audit: case details"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "start",
            "Start audit",
            tooltip="Check the details and create the audit.",
            id="details.start",
        ),
        Binding(
            "escape",
            "cancel",
            "Back",
            tooltip="Back to the tool list; nothing is created.",
            id="details.cancel",
        ),
    ]

    def __init__(self, workspace: Workspace, tool: AuditTool) -> None:
        super().__init__()
        self.workspace = workspace
        self.tool = tool

    def compose(self) -> ComposeResult:
        org = self.workspace.config.organisation
        types: list[str] = list(self.tool.applies_to or CASE_TYPE_LABELS)
        yield TitleBar()
        with VerticalScroll(id="details"):
            yield Static(
                f"[b]New audit[/b]: {self.tool.title} (v{self.tool.version})", id="details-title"
            )
            if self.tool.is_worker_audit:  # a practitioner's own file: no case to name
                yield from self._worker_fields(org.teams)
            else:
                yield from self._case_fields(types, org.teams)
            yield from self._field(
                "Audit kind",
                Select(
                    [(label, kind) for kind, label in KIND_LABELS.items()],
                    allow_blank=False,
                    value="case_file",
                    id="kind",
                    compact=True,
                ),
                "kind",
            )
            yield from self._field(
                "Practitioner present",
                Select(
                    [("Yes, the audit is done with them", "yes"), ("No", "no")],
                    allow_blank=False,
                    value="yes",
                    id="present",
                    compact=True,
                ),
                "present",
            )
            with Horizontal(id="details-buttons"):
                yield Button("Start audit", variant="primary", id="start", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield KeyBar()

    def _case_fields(self, types: list[str], teams: tuple[str, ...]) -> ComposeResult:
        yield from self._field(
            "Case reference",
            Input(
                placeholder="the reference in the recording system, not a name",
                id="case_ref",
                compact=True,
            ),
            "case_ref",
        )
        yield from self._field(
            "Case type",
            Select(
                [(f"{t} - {CASE_TYPE_LABELS[t]}", t) for t in types],
                prompt="choose the case type",
                allow_blank=len(types) > 1,
                id="case_type",
                compact=True,
            ),
            "case_type",
        )
        yield from self._team_field(teams, "the team that holds the case")
        yield from self._field(
            "Practitioner",
            Input(placeholder="the child's social worker", id="practitioner", compact=True),
            "practitioner",
        )

    def _worker_fields(self, teams: tuple[str, ...]) -> ComposeResult:
        """A worker audit (``subject: worker``) asks who is audited, not a case."""
        yield from self._field(
            "Practitioner",
            Input(placeholder="whose file is audited", id="practitioner", compact=True),
            "practitioner",
        )
        yield from self._team_field(teams, "the practitioner's team")

    def _team_field(self, teams: tuple[str, ...], hint: str) -> ComposeResult:
        team: Widget
        if teams:
            team = Select(
                [(t, t) for t in teams], prompt="choose the team", id="team", compact=True
            )
        else:
            team = Input(placeholder=hint, id="team", compact=True)
        yield from self._field("Team", team, "team")

    def _field(self, label: str, widget: Widget, name: str) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(label, classes="field-label")
            yield widget
        error = Static("", id=f"{name}-error", classes="field-error")
        error.display = False
        yield error

    def on_mount(self) -> None:
        self.sub_title = "New audit"
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Changed)
    @on(Select.Changed)
    def _clear_error(self, event: Input.Changed | Select.Changed) -> None:
        if event.control.id:
            self._set_error(event.control.id, "")

    def _set_error(self, name: str, message: str) -> None:
        error = self.query_one(f"#{name}-error", Static)
        error.update(message)
        error.display = bool(message)

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def _value(self, name: str) -> str:
        found = self.query(f"#{name}")
        if not found:
            return ""  # a field this tool does not ask (a worker audit has no case)
        widget = found.first()
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, Select):
            value = widget.value
            return value if isinstance(value, str) else ""
        return ""

    def action_start(self) -> None:
        for name in FIELD_OF_ERROR.values():
            if self.query(f"#{name}-error"):
                self._set_error(name, "")
        reference = recorded_reference(self.workspace.config.organisation, self._value("case_ref"))
        if self.query("#case_ref") and reference != self._value("case_ref"):
            with self.prevent(Input.Changed):
                self.query_one("#case_ref", Input).value = reference  # shown as it is saved
        try:
            audit_id = audits.start_audit(
                self.workspace,
                self.tool.id,
                case_ref=reference,
                case_type=self._value("case_type"),
                team=self._value("team"),
                practitioner=self._value("practitioner"),
                practitioner_present=self._value("present") != "no",
                kind=self._value("kind") or "case_file",
                tool_version=self.tool.version,
            )
        except InvalidAnswerError as error:
            field = field_for(error.message)
            if field is None:
                show_error(self, error)
                return
            self._set_error(field, error.message)
            self.query_one(f"#{field}").focus()
            return
        except AuditUIError as error:
            show_error(self, error)
            return
        self.dismiss(audit_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
