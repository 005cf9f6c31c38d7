"""The question in the middle of the walker: text, help, and the answers with their keys.

It only draws; the walker decides what a key does. The key for each answer
is printed beside it so a new auditor never has to guess.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from auditui.domain.values import display_value
from auditui.tools.models import AuditTool, Question
from auditui.tools.scales import ANSWER_LABELS

TYPED = ("text", "number", "date")
LETTER_KEYS = {"yes": "y", "partly": "p", "no": "n", "na": "x"}


def answer_keys(tool: AuditTool, question: Question) -> list[tuple[str, str, str]]:
    """(key, value, label) for every answer a key can give to ``question``."""
    found: list[tuple[str, str, str]] = []
    if question.type in ("yes_no", "yes_partly_no"):
        for value in question.choice_values(tool.scale_def) or ():
            found.append((LETTER_KEYS[value], value, ANSWER_LABELS[value]))
        return found
    if question.type == "grade":
        scale = tool.scale_def
        found = [(str(i), g, scale.label(g)) for i, g in enumerate(scale.grades, start=1)]
    elif question.type in ("choice", "multi"):
        found = [
            (str(i), o.id, o.label) for i, o in enumerate(question.options or (), start=1) if i <= 9
        ]
    if question.allow_na:
        found.append(("x", "na", "N/A"))
    return found


def choices_text(tool: AuditTool, question: Question, value: Any) -> Text:
    """The answers one per line, the current one marked."""
    text = Text()
    if question.type in TYPED:
        hint = {
            "text": "type the answer",
            "number": "type a number",
            "date": "type a date as DD/MM/YYYY (or YYYY-MM-DD)",
        }[question.type]
        text.append(f"{hint}, then Enter to save", style="dim")
        if question.allow_na:
            text.append(" (na for N/A)", style="dim")
        return text
    if question.type == "multi":
        text.append("Space ticks, Enter saves; digits tick too", style="dim")
        if question.allow_na:
            text.append("; x for N/A", style="dim")
        return text
    for key, option, label in answer_keys(tool, question):
        chosen = option == value
        text.append(f" {key} ", style="reverse bold" if chosen else "bold")
        text.append(f" {label}", style="bold green" if chosen else "")
        if chosen:
            text.append("  ✓", style="green")
        text.append("\n")
    text.rstrip()
    return text


def ended_answer_text(tool: AuditTool, question: Question, value: Any) -> Text:
    """On an ended (read-only) audit: the answer given, without the keys that no longer work
    (a typed or multi answer is already under the question as "Saved answer")."""
    if question.type in ("multi",) + TYPED:
        return Text()
    if value is None:
        return Text("Not answered", style="dim")
    text = Text("Answer: ", style="dim")
    text.append(display_value(tool, question, value), style="bold green")
    return text


class QuestionView(Static):
    """The question's text, with the answer given so far under it."""

    def show(self, tool: AuditTool, question: Question, value: Any, number: str = "") -> None:
        """``number`` is the form's number for the question (format 2), shown before it."""
        text = Text(f"{number}  " if number else "", style="bold")
        text.append(question.text, style="bold")
        if not question.required:
            text.append("  (optional)", style="dim")
        if question.help:
            text.append("\n")
            text.append(" ".join(question.help.split()), style="italic")
        if tool.section_of[question.id].guidance:
            text.append("\ng", style="bold dim")
            text.append(" shows what good looks like for this section", style="dim")
        if value is not None and question.compute is None and question.type in ("multi",) + TYPED:
            text.append("\nSaved answer: ", style="dim")
            text.append(display_value(tool, question, value), style="green")
        self.update(text)
