"""A write never replaces an answer its writer has not seen.

The walker keeps an audit on screen for an hour; meanwhile another window,
or ``auditui audit answer`` from a script, may change the same question.
A writer that says what it last saw (``Seen``) has its write checked
against the row as stored, inside the write transaction, and refused with
``ChangedElsewhereError`` when a part it saw has changed since, unless the
change already equals what it is writing (then nothing would be lost).
Writers that replace on purpose (a command given ``--evidence``) say
nothing and write as before.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from auditui.errors import ChangedElsewhereError
from auditui.store.values import decode_value

UNSEEN: Any = object()
"""This part of the answer was not shown to the writer: write it whatever it is now."""


@dataclass(frozen=True)
class Seen:
    """What a writer last saw of one answer: the value (decoded; None = unanswered)
    and the evidence note (None = no note), or ``UNSEEN`` for a part it does not claim."""

    value: Any = UNSEEN
    evidence: Any = UNSEEN


def stored_row(
    conn: sqlite3.Connection, audit_id: str, question_id: str
) -> tuple[str | None, str | None] | None:
    """The (value as stored JSON, evidence) row, read now."""
    row = conn.execute(
        "SELECT value, evidence FROM answers WHERE audit_id = ? AND question_id = ?",
        (audit_id, question_id),
    ).fetchone()
    return (row[0], row[1]) if row is not None else None


def check_seen(
    question_id: str,
    stored: tuple[str | None, str | None] | None,
    seen: Seen,
    value: str | None,
    evidence: str | None,
) -> None:
    """Raise if a part of ``stored`` the writer saw has changed and this write would replace it."""
    stored_value, stored_note = stored if stored is not None else (None, None)
    now_value = decode_value(stored_value)
    new_value = decode_value(value)
    if seen.value is not UNSEEN and now_value != seen.value and now_value != new_value:
        raise ChangedElsewhereError(
            f"The answer to '{question_id}' was changed elsewhere (in another window or by a "
            "command) after you last saw it, so your answer was not saved: look at the newer "
            "answer and give yours again if you still mean it.",
            question_id,
            "value",
        )
    now_note = stored_note or None
    if (
        seen.evidence is not UNSEEN
        and now_note != (seen.evidence or None)
        and now_note != (evidence or None)
    ):
        raise ChangedElsewhereError(
            f"The evidence for '{question_id}' was changed elsewhere (in another window or by a "
            "command) after you last saw it, so your note was not saved: read the newer note "
            "and make your change to it.",
            question_id,
            "evidence",
        )
