"""`F`: what the audit found: the practitioner's reflection, strengths, areas for
development and the summary in words, and the practice themes they raise.

The words are free text the auditor writes with the practitioner, so each
box is saved when the auditor leaves it, and everything unsaved is saved on
the way out; nothing typed is lost. The themes are ticked from the
organisation's list (Tab to reach them, Space to tick) and each tick is
saved at once, so reports can count them; a tick the store refuses is
undone on screen and the reason shown.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Select, SelectionList, Static, TextArea

from auditui.errors import AuditUIError
from auditui.services import audits, themes
from auditui.services.workspace import Workspace
from auditui.tui.feedback import show_error
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar

TEXT_FINDINGS = {
    "reflection": "Practitioner's reflection",
    "strengths": "Strengths",
    "development": "Areas for development",
    "summary": "Summary",
}


class FindingsScreen(Screen[None]):
    """Four notes and whether the family's or child's feedback was sought."""

    DEFAULT_CSS = """
    FindingsScreen #findings { padding: 0 2; }
    FindingsScreen .finding-label { margin-top: 1; text-style: bold; }
    FindingsScreen .finding { height: 5; }
    FindingsScreen.-short .finding { height: 4; }
    FindingsScreen #feedback_sought { width: 40; }
    FindingsScreen #themes { height: auto; }
    FindingsScreen .theme-kind { width: 1fr; height: auto; }
    FindingsScreen .theme-kind Label { text-style: italic; }
    FindingsScreen SelectionList { height: auto; max-height: 14; }
    FindingsScreen SelectionList > .selection-list--button,
    FindingsScreen SelectionList > .selection-list--button-highlighted { color: $panel; }
    """

    HELP_TITLE = "Findings"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            tooltip="Save every box now (leaving a box saves it too).",
            id="findings.save",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            tooltip="Save and go back to the questions.",
            id="findings.back",
        ),
    ]

    def __init__(self, workspace: Workspace, audit_id: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.audit_id = audit_id
        self.audit = audits.load(workspace, audit_id).audit
        self.saved: dict[str, str] = {k: v or "" for k, v in self.audit.findings.items()}
        self.recorded = themes.themes_of(workspace, audit_id)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="findings"):
            state = (
                "read-only: the audit has ended"
                if self.audit.ended
                else ("saved when you leave each box")
            )
            yield Static(f"[b]Findings[/b] for {self.audit.case_ref} ({state})")
            for name, label in TEXT_FINDINGS.items():
                yield Label(label, classes="finding-label")
                area = TextArea(
                    self.saved.get(name, ""),
                    id=name,
                    soft_wrap=True,
                    tab_behavior="focus",
                    classes="finding",
                )
                area.read_only = self.audit.ended
                yield area
                if name == "development":
                    yield from self._theme_lists()
            yield Label("Was the family's or child's feedback sought?", classes="finding-label")
            yield Select(
                [("Yes", "yes"), ("No", "no")],
                prompt="not recorded",
                value=self.saved.get("feedback_sought") or Select.NULL,
                id="feedback_sought",
                disabled=self.audit.ended,
            )
        yield KeyBar()

    def _theme_lists(self) -> ComposeResult:
        if self.audit.ended:  # read-only: the themes recorded, in words, no lists to scroll
            yield Label("Themes these findings raised", classes="finding-label")
            for kind in themes.THEME_KINDS:
                named = ", ".join(self.recorded[kind]) or "none"
                yield Static(Text(f"{themes.KIND_LABELS[kind]}: {named}"), id=f"{kind}_named")
            return
        yield Label(
            "Themes these findings raise (Space ticks one, saved at once)",
            classes="finding-label",
        )
        offered = themes.offered(self.workspace, self.recorded)
        listed = set(self.workspace.config.organisation.themes)
        with Horizontal(id="themes"):
            for kind in themes.THEME_KINDS:
                with Vertical(classes="theme-kind"):
                    yield Label(self._kind_label(kind), id=f"{kind}_count")
                    yield SelectionList[str](
                        *(
                            (
                                Text(theme if theme in listed else f"{theme} (not listed now)"),
                                theme,
                                theme in self.recorded[kind],
                            )
                            for theme in offered
                        ),
                        id=f"{kind}_themes",
                    )

    def on_mount(self) -> None:
        self.sub_title = f"Findings · {self.audit.case_ref}"
        self.query_one("#reflection", TextArea).focus()

    def _current(self) -> dict[str, str]:
        values = {name: self.query_one(f"#{name}", TextArea).text for name in TEXT_FINDINGS}
        feedback = self.query_one("#feedback_sought", Select).value
        values["feedback_sought"] = feedback if isinstance(feedback, str) else ""
        return values

    def save_pending(self) -> bool:
        """Save every finding that differs from what is stored."""
        if self.audit.ended:
            return True
        changed = {
            k: v for k, v in self._current().items() if v.strip() != self.saved.get(k, "").strip()
        }
        if not changed:
            return True
        try:
            state = audits.set_findings(
                self.workspace, self.audit_id, **{k: v.strip() or None for k, v in changed.items()}
            )
        except AuditUIError as error:
            show_error(self, error)
            return False
        self.audit = state.audit
        self.saved.update(changed)
        return True

    def on_descendant_blur(self) -> None:
        self.save_pending()

    @on(Select.Changed, "#feedback_sought")
    def _feedback(self) -> None:
        self.save_pending()

    @on(SelectionList.SelectionToggled)
    def _theme_ticked(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        picker = event.selection_list
        kind = (picker.id or "").removesuffix("_themes")
        theme = event.selection.value
        try:
            self.recorded = themes.mark_theme(
                self.workspace, self.audit_id, kind, theme, theme in picker.selected
            )
        except AuditUIError as error:
            show_error(self, error)
        self._show_themes()

    def _kind_label(self, kind: str) -> str:
        ticked = len(self.recorded[kind])
        return f"{themes.KIND_LABELS[kind]}: {ticked or 'none'} ticked"

    def _show_themes(self) -> None:
        """Each list's ticks as stored (after a refusal, or a change made elsewhere)."""
        for kind in themes.THEME_KINDS:
            self.query_one(f"#{kind}_count", Label).update(self._kind_label(kind))
            picker: SelectionList[str] = self.query_one(f"#{kind}_themes", SelectionList)
            with picker.prevent(SelectionList.SelectedChanged):
                for index in range(picker.option_count):
                    value = picker.get_option_at_index(index).value
                    if (value in self.recorded[kind]) != (value in picker.selected):
                        if value in self.recorded[kind]:
                            picker.select(value)
                        else:
                            picker.deselect(value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No Save key on an ended audit: its findings are read-only (a stale hint otherwise)."""
        return not (action == "save" and self.audit.ended)

    def action_save(self) -> None:
        if self.save_pending():
            self.notify("Findings saved.", timeout=2)

    def action_back(self) -> None:
        if self.save_pending():
            self.dismiss(None)
