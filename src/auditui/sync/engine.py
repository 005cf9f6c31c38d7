"""One sync: send what is waiting, then hear back what a team manager completed.

The order matters and every step can be interrupted:

1. graded results, oldest first, in batches; each batch is marked sent in
   the local outbox only after the hub confirmed it;
2. action changes made after their audit ended (completed, cancelled,
   added, redated), likewise;
3. the hub's state of this machine's open actions (and those just sent):
   a completion recorded over the hub is written into the local store, so
   the auditor and the team manager see the same thing.

Killed at any point, the next run redoes at most the unconfirmed batch, and
the hub's upsert by (audit id, revision) makes that harmless.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from auditui.config import Config
from auditui.store.db import Store
from auditui.sync import outbox
from auditui.sync.build import ToolLookup, graded_result
from auditui.sync.hub import Hub, open_hub
from auditui.sync.pseudonym import OrganisationKey, load_or_create_key
from auditui.sync.result import ActionState, GradedResult

Progress = Callable[[int, int], None]
"""Called with (done, total) as batches are confirmed."""

BATCH_SIZE = 1000


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


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
    problems: list[str] = field(default_factory=list)
    """Outbox rows that could not be made into a graded result (they stay queued)."""
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One sentence for the CLI and the TUI's notification."""
        if not (self.results_sent or self.actions_sent or self.completions_received):
            text = f"Nothing to send to {self.target}; everything was already there."
        else:
            parts = [f"Sent {self.results_sent} graded result(s)"]
            if self.results_sent != self.results_new:
                parts[0] += f" ({self.results_new} new to the hub)"
            if self.actions_sent:
                parts.append(f"{self.actions_sent} action change(s)")
            text = " and ".join(parts) + f" to {self.target}"
            if self.completions_received:
                text += (
                    f"; {self.completions_received} action(s) completed over the hub"
                    " are now recorded here"
                )
            text += "."
        if self.problems:
            text += f" {len(self.problems)} result(s) could not be sent; see the problems listed."
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
        }


def sync(
    store: Store,
    config: Config,
    target: str | None = None,
    tools: ToolLookup | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    now: Callable[[], str] = utc_now,
    hub: Hub | None = None,
) -> SyncReport:
    """Send the outbox to ``target`` (default: the configured hub) and pull action completions."""
    settings = config.sync
    own_hub = hub is None
    if hub is None:
        chosen = target or settings.resolved_target()
        hub = open_hub(
            chosen,
            settings.small_group_threshold,
            create=target is None and settings.target is None,
        )
    try:
        return _run(store, config, hub, tools, progress, max(1, batch_size), now)
    finally:
        if own_hub:
            hub.close()


def _run(
    store: Store,
    config: Config,
    hub: Hub,
    tools: ToolLookup | None,
    progress: Progress | None,
    batch_size: int,
    now: Callable[[], str],
) -> SyncReport:
    report = SyncReport(hub.display)
    key = load_or_create_key(config.sync.resolved_key_file())
    if key.warning:
        report.warnings.append(key.warning)
    share = config.sync.share_evidence_text
    pending = outbox.pending_results(store)
    actions = outbox.pending_actions(store)
    total = len(pending) + len(actions)
    done = 0
    if progress is not None:
        progress(0, total)
    chunks = [pending[i : i + batch_size] for i in range(0, len(pending), batch_size)]

    def build(chunk: list[outbox.PendingResult], payloads: dict[tuple[str, int], str]) -> Built:
        return _build(chunk, payloads, key, share, tools)

    # Build batch k+1 (JSON, pseudonyms, validation: CPU) in a thread while the hub
    # stores batch k (I/O): the hub's work and ours overlap instead of adding up.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="auditui-sync") as pool:
        upcoming = (
            pool.submit(build, chunks[0], outbox.payloads(store, chunks[0])) if chunks else None
        )
        for number, chunk in enumerate(chunks):
            assert upcoming is not None
            built = upcoming.result()
            if number + 1 < len(chunks):
                following = chunks[number + 1]
                upcoming = pool.submit(build, following, outbox.payloads(store, following))
            report.problems += built.problems
            if built.results:
                confirmed = hub.submit(built.results, [])
                outbox.mark_results_sent(store, built.ready, now())
                report.results_sent += len(built.ready)
                report.results_new += confirmed.applied
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    for start in range(0, len(actions), batch_size):
        chunk_a = actions[start : start + batch_size]
        hub.submit([], [_state_of(a, share) for a in chunk_a])
        outbox.mark_actions_sent(store, chunk_a, now())
        report.actions_sent += len(chunk_a)
        done += len(chunk_a)
        if progress is not None:
            progress(done, total)
    local = outbox.actions_to_check(store, also=[a.action_id for a in actions])
    if local:
        hub_states = hub.action_states([a.action_id for a in local])
        changes = {
            a.action_id: hub_states[a.action_id]
            for a in local
            if a.action_id in hub_states
            and (hub_states[a.action_id].status, hub_states[a.action_id].completed_on)
            != (a.status, a.completed_on)
        }
        report.completions_received = outbox.apply_hub_states(store, changes, now())
    return report


@dataclass
class Built:
    """One batch of graded results, ready to send."""

    results: list[GradedResult] = field(default_factory=list)
    ready: list[outbox.PendingResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _build(
    chunk: list[outbox.PendingResult],
    payloads: dict[tuple[str, int], str],
    key: OrganisationKey,
    share: bool,
    tools: ToolLookup | None,
) -> Built:
    built = Built()
    for item in chunk:
        try:
            payload = json.loads(payloads[(item.audit_id, item.revision)])
            built.results.append(graded_result(payload, item.created_at, key, share, tools))
            built.ready.append(item)
        except (KeyError, ValueError, TypeError, ValidationError) as exc:
            built.problems.append(
                f"audit {item.audit_id} revision {item.revision}: its outbox record is not a "
                f"graded result ({_first_line(exc)}); it stays queued."
            )
    return built


def _state_of(action: outbox.PendingAction, share_text: bool) -> ActionState:
    return ActionState.model_validate(
        {
            "action_id": action.action_id,
            "audit_id": action.audit_id,
            "source": "owner",
            "recorded_at": action.queued_at,
            "status": action.status,
            "completed_on": action.completed_on,
            "owner": action.owner,
            "due": action.due,
            "text": action.text if share_text else None,
            "evidence": action.evidence if share_text else None,
        }
    )


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
