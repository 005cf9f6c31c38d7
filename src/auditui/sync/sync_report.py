"""What one sync did, in the words the CLI prints and the TUI notifies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auditui.domain.plurals import counted


@dataclass
class SyncReport:
    target: str
    results_sent: int = 0
    """Revisions the hub confirmed (stored, or already held)."""
    results_new: int = 0
    """Of those, revisions the hub did not have before."""
    actions_sent: int = 0
    """Action changes the hub confirmed."""
    completions_received: int = 0
    """Actions completed over the hub and now recorded locally."""
    programme_published: int = 0
    """Plan items and moderation allocations new or changed in the hub (the QA lead's sync)."""
    problems: list[str] = field(default_factory=list)
    """Outbox rows that could not be made into a graded result (they stay queued)."""
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    """What the hub said about this machine's actions that was not believed, and why."""

    def summary(self) -> str:
        """One sentence for the CLI and the TUI's notification."""
        if not (self.results_sent or self.actions_sent or self.completions_received):
            text = f"Nothing to send to {self.target}; everything was already there."
            if self.programme_published:
                published = counted(
                    self.programme_published, "plan item or allocation", "plan items or allocations"
                )
                text = (
                    f"Published {published} to {self.target}; "
                    "no graded result or action change to send."
                )
        else:
            parts = [f"Sent {counted(self.results_sent, 'graded result')}"]
            if self.results_sent != self.results_new:
                parts[0] += f" ({self.results_new} new to the hub)"
            if self.actions_sent:
                parts.append(counted(self.actions_sent, "action change"))
            text = " and ".join(parts) + f" to {self.target}"
            if self.completions_received:
                text += (
                    f"; {counted(self.completions_received, 'action')} completed over the hub"
                    " are now recorded here"
                )
            text += "."
        if self.refused:
            text += (
                f" {counted(len(self.refused), 'record')} on the hub about your actions "
                f"{'was' if len(self.refused) == 1 else 'were'} not believed and not recorded "
                "here; see the reasons listed."
            )
        if self.problems:
            text += (
                f" {counted(len(self.problems), 'result')} could not be sent; "
                "see the problems listed."
            )
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "results_sent": self.results_sent,
            "results_new": self.results_new,
            "actions_sent": self.actions_sent,
            "completions_received": self.completions_received,
            "problems": self.problems,
            "warnings": self.warnings,
            "refused": self.refused,
        }
