"""How a message names a question or a section: its number and its own words, never its id.

Ids (``childs_views_in_plan``, ``engagement``) are the tool author's
vocabulary; an auditor reads "Q2.3 Is the child's voice recorded?" and
"Section 4 Engagement", as on the form. A tool that writes the number into
its own text ("1. Assessment", "1.1 Was a CAF…") shows that number once.
"""

from __future__ import annotations

import re

from auditui.tools.models import AuditTool
from auditui.tools.numbering import form_numbers

OWN_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)*[a-z]?)[.)]?\s+(?=\S)")
"""A number the tool wrote into a title or question ("1.1 Was a CAF…"): shown instead of ours."""

LONGEST = 70
"""Characters of a question's words in a one-line message; the rest is cut with an ellipsis."""


def own_number(number: str, text: str, numbered_by_tool: bool) -> tuple[str, str]:
    """(number, words): the tool's own number written into ``text`` wins over ``number``."""
    if not numbered_by_tool and (own := OWN_NUMBER.match(text)):
        return own.group(1), text[own.end() :]
    return number, text


def question_name(tool: AuditTool, question_id: str, longest: int = LONGEST) -> str:
    """ "Q2.3 Is the child's voice recorded?" (the id only for a question the tool lacks)."""
    question = tool.question(question_id)
    if question is None:
        return question_id
    number, words = own_number(
        form_numbers(tool)[question_id], question.text, question.number is not None
    )
    return f"{_q(number)} {_cut(words.strip(), longest)}"


def question_number(tool: AuditTool, question_id: str) -> str:
    """ "Q2.3": where a line has no room for the question's words (the walker's status line)."""
    question = tool.question(question_id)
    if question is None:
        return question_id
    number = own_number(form_numbers(tool)[question_id], question.text, question.number is not None)
    return _q(number[0])


def section_name(tool: AuditTool, scope: str) -> str:
    """ "Section 4 Engagement", or "Overall" for the scope "overall"."""
    if scope == "overall":
        return "Overall"
    section = next((s for s in tool.sections if s.id == scope), None)
    if section is None:
        return scope
    number, words = own_number(form_numbers(tool)[scope], section.title, section.number is not None)
    return f"Section {number} {words.strip()}"


def _q(number: str) -> str:
    """ "Q2.3" for a number; a form's own lettered number ("A2", "B1.3") stands as it is."""
    return f"Q{number}" if number[:1].isdigit() else number


def _cut(words: str, longest: int) -> str:
    if len(words) <= longest:
        return words
    cut = words[: longest - 1]
    if " " in cut[longest // 2 :]:  # at a word's end, unless that loses half the words
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def sentence(words: str) -> str:
    """``words`` as one sentence ending in a single full stop (or its own ? or !): a reason
    typed with its full stop once read "another authority.. R reopens it"."""
    words = words.strip().rstrip(".").rstrip()
    return words if words.endswith(("?", "!")) else f"{words}."
