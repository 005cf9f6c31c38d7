"""Folded YAML text (`>`) in a tool file reads as YAML means it: words joined by spaces.

ruamel's parser marks each fold with a BEL character for its round-trip
mode; a tool's description and guidance showed them until the reader took
them out. Literal text (`|`) keeps its line breaks.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditui.tools.yamlfile import parse_yaml

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz:,.'()", min_size=1, max_size=12)


def _document(lines: list[list[str]], style: str) -> str:
    body = "\n".join("  " + " ".join(words) for words in lines)
    return f"description: {style}\n{body}\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(WORD, min_size=1, max_size=6), min_size=1, max_size=8))
def test_folded_text_is_the_lines_joined_by_spaces(lines: list[list[str]]) -> None:
    data = parse_yaml(_document(lines, ">"))
    text = data.data["description"]
    assert "\a" not in text
    assert text == " ".join(" ".join(words) for words in lines) + "\n"


def test_literal_text_keeps_its_line_breaks() -> None:
    data = parse_yaml(_document([["a", "b"], ["c"]], "|"))
    text = data.data["description"]
    assert text == "a b\nc\n"
