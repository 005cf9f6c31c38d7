"""The table of home's "Planned for you", in a module of its own so that home's first
frame does not load Textual's DataTable: the panel mounts it when it has items to show."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


class PlannedTable(DataTable[Any]):
    """The user's plan items, one a row."""
