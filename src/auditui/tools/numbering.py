"""The numbers a form shows: its own (format 2 `number`) where given, else automatic ones.

Without `number`, a section is numbered by its position in the file (``2``)
and a question by its section's number, a dot and its position in the
section (``2.3``, ``4a.2``). Hiding a section or question renumbers
nothing, so the numbers depend on the tool alone and are worked out once.
"""

from __future__ import annotations

from auditui.tools.models import AuditTool


def form_numbers(tool: AuditTool) -> dict[str, str]:
    """Every section id and question id, in tool order, with the number to show for it."""
    numbers: dict[str, str] = {}
    for si, section in enumerate(tool.sections, start=1):
        section_number = section.number if section.number is not None else str(si)
        numbers[section.id] = section_number
        for qi, question in enumerate(section.questions, start=1):
            own = question.number
            numbers[question.id] = own if own is not None else f"{section_number}.{qi}"
    return numbers
