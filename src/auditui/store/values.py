"""The one JSON spelling of every value the local store keeps.

Answers are stored as JSON text. Written two ways (``ensure_ascii`` on or
off, compact or spaced separators), the same answer had four spellings, and
every reader that matched stored text (the CSV export's pre-built cells)
had to know them all. Everything the store writes goes through
``encode_value``: UTF-8 as typed (no ``\\u`` escapes), default separators.
Readers decode with ``decode_value``, so rows written by older releases in
another spelling still read the same.
"""

from __future__ import annotations

import json
from typing import Any


def encode_value(value: Any) -> str | None:
    """An answer value as stored; None (no answer) stays NULL."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def decode_value(text: str | None) -> Any:
    """A stored answer value; NULL is None."""
    return None if text is None else json.loads(text)


def encode_document(document: Any) -> str:
    """A JSON document the store keeps whole (an outbox payload), in the same spelling."""
    return json.dumps(document, ensure_ascii=False)
