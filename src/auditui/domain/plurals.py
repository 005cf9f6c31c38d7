"""A count with its noun agreeing: ``1 case``, ``10 cases``, never ``10 case(s)``.

The programme, cases and moderation commands and screens say how many of
something there are in almost every message; one function keeps them
agreeing (the TUI's ``side_panel.plural`` does the same for its panel).
"""

from __future__ import annotations


def counted(n: int, word: str, words: str | None = None) -> str:
    """``1 audit``, ``2 audits``, ``1,000 plan items``; ``words`` for an irregular plural
    (``counted(2, "person", "people")``)."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"
