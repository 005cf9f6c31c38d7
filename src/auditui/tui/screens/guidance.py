"""`g`: the section's guidance, what good looks like, one key away.

The tool author's markdown is shown as written, with the question's help,
so the auditor can read it aloud to the practitioner and go straight back.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from auditui.tools.models import Question, Section
from auditui.tui.widgets.key_bar import KeyBar


def guidance_markdown(section: Section, question: Question) -> str:
    parts = [f"# {section.title}", section.guidance or "_This section has no guidance._"]
    parts += [f"## {question.text}", question.help or "_No help for this question._"]
    return "\n\n".join(parts)


class GuidanceScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    GuidanceScreen { align: center middle; }
    GuidanceScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 80%; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    """
    HELP_TITLE = "Guidance"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Back to the question.", id="guidance.close"),
        Binding(
            "g", "close", "Close", show=False, tooltip="Back to the question.", id="guidance.close2"
        ),
    ]

    def __init__(self, section: Section, question: Question) -> None:
        super().__init__()
        self.markdown = guidance_markdown(section, question)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(self.markdown)
        yield KeyBar()  # this window's keys, not those of the screen beneath

    def action_close(self) -> None:
        self.dismiss(None)
