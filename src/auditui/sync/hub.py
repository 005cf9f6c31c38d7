"""What a hub can do, whichever kind it is: the one interface with two implementations.

A hub receives graded results and action changes, tells an auditor's sync
where their open actions stand, lists every team's actions for a team
manager (who can complete them there), and counts the monthly measures.
``open_hub`` picks the folder or the PostgreSQL implementation from the
target's spelling, and says in one sentence when it cannot be reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from auditui.sync.outbox import HubActionState
from auditui.sync.result import ActionState, GradedResult


@dataclass(frozen=True)
class Submitted:
    """What the hub confirmed for one batch."""

    applied: int = 0
    """Results stored (new audits, or a higher revision replacing a lower one)."""
    ignored: int = 0
    """Results the hub already had at this or a higher revision."""
    actions: int = 0
    """Action changes recorded."""


@dataclass(frozen=True)
class BoardAction:
    """One action as a team manager sees it on a hub (no case reference, no evidence)."""

    action_id: str
    audit_id: str
    team: str
    tool_id: str
    owner: str
    due: dt.date
    status: str
    completed_on: dt.date | None
    text: str | None


class Hub(Protocol):
    @property
    def display(self) -> str:
        """How the hub is named in messages (a folder path, or a URL without its password)."""
        ...

    def submit(self, results: Sequence[GradedResult], states: Sequence[ActionState]) -> Submitted:
        """Store results (by audit id and revision) and action changes; return once durable."""
        ...

    def held(self, audit_ids: Sequence[str]) -> dict[str, int]:
        """Audit id -> the highest revision the hub holds and believes (audits it holds
        nothing of are left out). The owner's sync sends every revision above it, so a
        new, emptied or damaged hub is healed."""
        ...

    def action_states(self, action_ids: Sequence[str]) -> dict[str, HubActionState]:
        """Where the hub says each of these actions stands (unknown ids are left out)."""
        ...

    def board(self) -> list[BoardAction]:
        """Every action of every team, by due date."""
        ...

    def complete_action(
        self, action_id: str, on: dt.date, evidence: str | None, now: str
    ) -> BoardAction:
        """A team manager marks an action done; refused unless it is open."""
        ...

    def report(self, by: str | None, today: dt.date) -> dict[str, Any]:
        """The measures over everything the hub holds."""
        ...

    def another(self) -> Hub:
        """A second connection to the same hub, so two batches can be stored side by side."""
        ...

    def close(self) -> None: ...


MAX_TARGET = 4096
"""Longer than any folder path or URL a hub can have."""


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def open_hub(
    target: str,
    small_group_threshold: int = 5,
    create: bool = False,
    index_path: Path | None = None,
    *,
    signing_key: Path | None = None,
    demo: bool = False,
    mark_empty: bool = False,
    user_name: str = "",
) -> Hub:
    """The hub at ``target`` (a folder or a postgresql:// URL); ``HubError`` if unreachable.

    A folder must be a hub (its ``hub.json``), else it is refused untouched;
    ``mark_empty`` (sync) makes an existing empty folder a hub, ``create``
    (``auditui demo --hub``) a missing one too, a demo hub with ``demo``.
    ``signing_key`` is this machine's key file for signing folder-hub records.
    """
    if not target.strip():
        from auditui.sync.hub_marker import not_a_hub

        raise not_a_hub(target)
    if len(target) > MAX_TARGET:
        from auditui.errors import HubError

        raise HubError(
            f"The hub given ({len(target):,} characters) is longer than any folder path or "
            f"URL auditui accepts ({MAX_TARGET:,}); nothing was read or sent."
        )
    if is_postgres(target):
        from auditui.sync.postgres import PostgresHub

        return PostgresHub.connect(target)
    from auditui.sync.folder import FolderHub

    return FolderHub.open(
        Path(target),
        small_group_threshold,
        create,
        index_path,
        signing_key=signing_key,
        demo=demo,
        mark_empty=mark_empty,
        user_name=user_name,
    )
