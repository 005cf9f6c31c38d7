"""One way to show a refusal: the service's own words in a notification.

Services raise ``AuditUIError`` with a sentence and a title; the CLI prints
the same sentence on stderr. Screens wrap each service call in ``reported``
so the TUI never invents its own wording for an error.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from textual.dom import DOMNode

from auditui.errors import AuditUIError


def show_error(node: DOMNode, error: AuditUIError) -> None:
    """Notify ``error`` with its title and message, unchanged (``[sync]`` in a message is
    words, not markup)."""
    node.app.notify(error.message, title=error.title, severity="error", timeout=8, markup=False)


@contextlib.contextmanager
def reported(node: DOMNode) -> Iterator[None]:
    """Run a service call; an ``AuditUIError`` becomes a notification and ends the block."""
    try:
        yield
    except AuditUIError as error:
        show_error(node, error)
