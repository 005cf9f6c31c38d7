"""`n`, step one: choose the audit tool.

Each tool shows its title, version, the case types it applies to and its
description, because choosing the wrong tool is the one mistake that
cannot be fixed by answering differently.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from auditui.services.workspace import Workspace
from auditui.tools.models import AuditTool
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar


def tool_prompt(tool: AuditTool) -> Group:
    """A tool as the chooser lists it."""
    title = Text(tool.title, style="bold")
    applies = ", ".join(tool.applies_to) if tool.applies_to else "any case type"
    questions = len(tool.questions)
    facts = Text(f"{tool.id} v{tool.version} · {applies} · {questions} questions", style="dim")
    parts: list[Text] = [title, facts]
    if tool.description:
        parts.append(Text(" ".join(tool.description.split())))
    parts.append(Text(""))
    return Group(*parts)


def refused_line(files: int) -> str:
    """Why a QA lead's new tool may be missing from the list, and where to look."""
    which = "1 audit tool file has" if files == 1 else f"{files} audit tool files have"
    return f"{which} mistakes and could not be loaded; `auditui tools validate` says what to fix."


class ToolChooserScreen(Screen[str | None]):
    """Returns the new audit's id, or None if the user backed out."""

    DEFAULT_CSS = """
    ToolChooserScreen #chooser-title { padding: 1 2 0 2; }
    ToolChooserScreen #tools { height: 1fr; margin: 1 2; }
    ToolChooserScreen #refused { padding: 1 2 0 2; color: $text-warning; }
    """

    HELP_TITLE = "New audit: choose a tool"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "choose",
            "Choose",
            priority=True,
            tooltip="Use the highlighted tool and fill in the case details.",
            id="chooser.choose",
        ),
        Binding(
            "escape",
            "cancel",
            "Back",
            tooltip="Back to the list of audits; nothing is created.",
            id="chooser.cancel",
        ),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.tools = workspace.library.current()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("[b]New audit[/b]: choose the audit tool", id="chooser-title")
        if refused := self.workspace.library.refused:
            yield Static(refused_line(len(refused)), id="refused", markup=False)
        yield OptionList(
            *(Option(tool_prompt(tool), id=tool.id) for tool in self.tools), id="tools"
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "New audit"
        tools = self.query_one(OptionList)
        tools.highlighted = 0 if self.tools else None
        tools.focus()

    @on(OptionList.OptionSelected, "#tools")
    def _selected(self) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        from auditui.tui.screens.case_details import CaseDetailsScreen

        index = self.query_one(OptionList).highlighted
        if index is None:
            return

        def created(audit_id: str | None) -> None:
            if audit_id:
                self.dismiss(audit_id)

        self.app.push_screen(CaseDetailsScreen(self.workspace, self.tools[index]), created)

    def action_cancel(self) -> None:
        self.dismiss(None)
