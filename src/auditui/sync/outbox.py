"""What a hub says about an action, and the local outbox's names as sync uses them.

The outbox itself (its SQL) lives in ``auditui.store.outbox``: the store owns
every statement against the local database.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditui.store.outbox import (
    ActionChange,
    LocalActionState,
    PendingAction,
    PendingResult,
)

__all__ = [
    "ActionChange",
    "HubActionState",
    "LocalActionState",
    "PendingAction",
    "PendingResult",
]


@dataclass(frozen=True)
class HubActionState:
    """Where the hub says an action stands."""

    status: str
    completed_on: str | None
    evidence: str | None = None
