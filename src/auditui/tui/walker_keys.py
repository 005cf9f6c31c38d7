"""The walker's keys, in one place: what each key does and how help and the footer show it.

An auditor answers most questions with one key (`y` `p` `n` `x`, `1`-`4`)
and moves with `j`/`k`; the groups keep the footer to one readable line,
and every binding carries the tooltip that help (`?`) lists.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import ActiveBinding, Binding, BindingType

ANSWER = Binding.Group("Answer", compact=False)
CHOOSE = Binding.Group("Choose", compact=True)
MOVE = Binding.Group("Move", compact=False)


def _answer_binding(key: str, value: str, label: str) -> Binding:
    return Binding(
        key,
        f"answer('{value}')",
        label,
        group=ANSWER,
        tooltip=f"Answer {label} and move on.",
        id=f"walker.answer.{value}",
    )


def _digit_binding(n: int) -> Binding:
    return Binding(
        str(n),
        f"digit({n})",
        f"Option {n}",
        group=CHOOSE,
        tooltip=f"Choose the grade or option numbered {n} (ticks it on a multi).",
        id=f"walker.digit.{n}",
    )


WALKER_BINDINGS: list[BindingType] = [
    _answer_binding("y", "yes", "Yes"),
    _answer_binding("p", "partly", "Partly"),
    _answer_binding("n", "no", "No"),
    _answer_binding("x", "na", "N/A"),
    *(_digit_binding(n) for n in range(1, 10)),
    Binding(
        "j,down",
        "move(1)",
        "Next",
        group=MOVE,
        show=False,  # arrows are what anyone tries; the bar keeps room for ! Concern at 80
        tooltip="The next question (saving anything typed).",
        id="walker.next",
    ),
    Binding(
        "k,up",
        "move(-1)",
        "Previous",
        group=MOVE,
        show=False,
        tooltip="The previous question (saving anything typed).",
        id="walker.previous",
    ),
    Binding(
        "e",
        "evidence",
        "Evidence",
        tooltip="Write the evidence note; Enter saves and moves on, Escape saves and stays.",
        id="walker.evidence",
    ),
    Binding(
        "u",
        "unanswered",
        "To do",
        tooltip="Jump to the next unanswered question or one missing its evidence.",
        id="walker.unanswered",
    ),
    Binding(
        "g",
        "guidance",
        "Guidance",
        show=False,
        tooltip="The section's guidance and the question's help.",
        id="walker.guidance",
    ),
    Binding(
        "G",
        "grades",
        "Grades",
        key_display="G",
        tooltip="Section and overall grades: accept the suggestion or choose another.",
        id="walker.grades",
    ),
    Binding(
        "exclamation_mark",
        "concern",
        "Concern",
        key_display="!",
        tooltip="A safeguarding concern about the child: recorded at once, for the team manager.",
        id="walker.concern",
    ),
    Binding(
        "f",
        "finalise",
        "Finalise",
        tooltip="Review what is missing, then finalise (or close as incomplete).",
        id="walker.finalise",
    ),
    Binding(
        "X",
        "section_na",
        "Section N/A",
        key_display="X",
        show=False,
        tooltip="Mark this section not applicable, with the reason (where the tool allows it).",
        id="walker.section_na",
    ),
    Binding(
        "F",
        "findings",
        "Findings",
        key_display="F",
        show=False,
        tooltip="Practitioner's reflection, strengths, areas for development, summary.",
        id="walker.findings",
    ),
    Binding(
        "A",
        "actions",
        "Actions",
        key_display="A",
        show=False,
        tooltip="This audit's follow-up actions: add, edit, complete.",
        id="walker.actions",
    ),
    Binding(
        "M",
        "moderation",
        "Moderation",
        key_display="M",
        show=False,
        tooltip="On a moderation audit, or one that was moderated: both audits side by side "
        "once the re-audit has ended, and the agreed grade.",
        id="walker.moderation",
    ),
    Binding(
        "R",
        "reopen",
        "Reopen",
        key_display="R",
        tooltip="Reopen an ended audit as a new revision (asks for the reason).",
        id="walker.reopen",
    ),
    Binding(
        "right_square_bracket",
        "section(1)",
        "Next section",
        key_display="]",
        show=False,
        tooltip="The first question of the next section.",
        id="walker.next_section",
    ),
    Binding(
        "left_square_bracket",
        "section(-1)",
        "Previous section",
        key_display="[",
        show=False,
        tooltip="The first question of the previous section.",
        id="walker.previous_section",
    ),
    Binding(
        "r",
        "refresh",
        "Refresh",
        show=False,
        tooltip="Read the audit again (for answers saved in another terminal).",
        id="walker.refresh",
    ),
    Binding(
        "escape",
        "leave",
        "Audits",
        show=False,
        tooltip="Back to the list of audits (everything is saved).",
        id="walker.leave",
    ),
]


def ended_footer(found: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """An ended audit's keys as the footer shows them: A (the banner says "A shows its
    actions"), not G (the grades still open to be read, but are no longer to do). u, f
    and the answer keys are off altogether (``check_action``); ``!`` stays: a concern
    about the child can be raised from any audit's file."""
    for key, show in (("A", True), ("G", False)):
        if key in found:
            active = found[key]
            found[key] = active._replace(binding=replace(active.binding, show=show))
    return found
