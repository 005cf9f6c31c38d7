"""One sync: send what is waiting, then hear back what a team manager completed.

The order matters and every step can be interrupted:

1. graded results, oldest first, in batches: every ended revision this hub
   has not acknowledged, or does not hold and believe now (``Hub.held``), so
   a new, emptied or damaged hub gets them again; each batch is recorded as
   delivered to this hub only after the hub confirmed it (batches overlap:
   one is built while two are stored, on two connections, but each is
   marked on its own confirmation). A real hub is sent real audits only, a
   demo hub demo audits only;
2. action changes made after their audit ended (completed, cancelled,
   added, redated), likewise;
3. the hub's state of this machine's open actions (and those just sent):
   a completion recorded over the hub is written into the local store, so
   the auditor and the team manager see the same thing, unless its date
   cannot be true (missing, before the action was agreed, in the future);
4. safeguarding concerns, then the audit programme (plan items, moderation
   allocations and agreed grades: ``programme_sync``).

Killed at any point, the next run redoes at most the unconfirmed batches, and
the hub's upsert by (audit id, revision) makes that harmless.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import gc
import queue
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from pydantic import ValidationError
from pydantic_core import from_json

from auditui.config import Config
from auditui.domain.plurals import counted
from auditui.errors import HubError
from auditui.store import outbox
from auditui.store.db import Store
from auditui.sync.build import ToolLookup, graded_result
from auditui.sync.facts import completion_problem
from auditui.sync.hub import Hub, Submitted, open_hub
from auditui.sync.pseudonym import OrganisationKey, load_or_create_key
from auditui.sync.result import ActionState, GradedResult
from auditui.sync.result_extras import ResultExtras, result_extras
from auditui.sync.sync_report import SyncReport

Progress = Callable[[int, int], None]
"""Called with (done, total) as batches are confirmed."""

BATCH_SIZE = 1000


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def sync(
    store: Store,
    config: Config,
    target: str | None = None,
    tools: ToolLookup | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    now: Callable[[], str] = utc_now,
    hub: Hub | None = None,
    demo_hub: bool = False,
) -> SyncReport:
    """Send the outbox to ``target`` (default: the configured hub) and pull action completions.

    With no target given and none configured, ``ConfigError`` says where to set one.
    ``demo_hub`` (``auditui demo --hub``) makes the folder a demo hub if it is new.
    """
    settings = config.sync
    own_hub = hub is None
    if hub is None:
        chosen = target or settings.required_target()
        hub = open_hub(
            chosen,
            settings.small_group_threshold,
            create=demo_hub,
            signing_key=settings.resolved_signing_key_file(),
            demo=demo_hub,
            mark_empty=True,
            user_name=config.user.name,
        )
    if demo_hub and not getattr(hub, "demo", False):
        if own_hub:
            hub.close()
        raise HubError(f"{hub.display} is a real hub: demo audits go only to a demo hub.")
    try:
        with _cycle_collector_paused():
            return _run(store, config, hub, tools, progress, max(1, batch_size), now)
    finally:
        if own_hub:
            hub.close()


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Building thousands of small records makes Python's cycle collector rescan the whole
    heap again and again (a third of sync's CPU, measured); the records hold no cycles
    and are freed by reference counting, so the collector waits until sync is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    signing = getattr(hub, "key", None)
    if signing is not None and signing.warning:
        report.warnings.append(signing.warning)
    share = config.sync.share_evidence_text
    share_action = config.sync.share_action_text
    target = str(getattr(hub, "delivery_id", None) or hub.display)
    demo = bool(getattr(hub, "demo", False))
    pending = _to_send(store, hub, target, demo, now())
    if not demo and (kept := outbox.held_back(store, demo=False)):
        report.warnings.append(
            f"{counted(kept, 'demo audit revision')} {'stays' if kept == 1 else 'stay'} "
            "here: demo audits never go to a real hub (demo --hub DIR makes a demo hub)."
        )
    actions = outbox.pending_actions(store, target, demo)
    total = len(pending) + len(actions)
    done = 0
    if progress is not None:
        progress(0, total)
    chunks = [pending[i : i + batch_size] for i in range(0, len(pending), batch_size)]

    extras: dict[str, ResultExtras] = {}

    def read(chunk: list[outbox.PendingResult]) -> dict[tuple[str, int], str]:
        # Themes and moderation links live outside the snapshot: read with it, here.
        extras.update(result_extras(store, [r.audit_id for r in chunk]))
        return outbox.payloads(store, chunk)

    def build(chunk: list[outbox.PendingResult], payloads: dict[tuple[str, int], str]) -> Built:
        return _build(chunk, payloads, key, share, tools, share_action, demo, extras)

    def finished(batch: Batch) -> None:
        nonlocal done
        if batch.sending is not None:
            confirmed = batch.sending.result()
            outbox.mark_results_sent(store, target, batch.built.ready, now())
            report.results_sent += len(batch.built.ready)
            report.results_new += confirmed.applied
        report.problems += batch.built.problems
        done += batch.size
        if progress is not None:
            progress(done, total)

    try:
        _send_results(hub, chunks, read, build, finished)
    finally:
        report.warnings += getattr(hub, "conflicts", [])
    for start in range(0, len(actions), batch_size):
        chunk_a = actions[start : start + batch_size]
        hub.submit([], [_state_of(a, share, share_action) for a in chunk_a])
        outbox.mark_actions_sent(store, target, chunk_a, now())
        report.actions_sent += len(chunk_a)
        done += len(chunk_a)
        if progress is not None:
            progress(done, total)
    local = outbox.actions_to_check(store, target, also=[a.action_id for a in actions])
    if local:
        hub_states = hub.action_states([a.action_id for a in local])
        report.refused += [f"{name}: {why}" for name, why in getattr(hub, "refused", [])]
        changes = []
        latest = (dt.datetime.fromisoformat(now()).date() + dt.timedelta(days=1)).isoformat()
        for a in local:
            state = hub_states.get(a.action_id)
            if state is None or (state.status, state.completed_on) == (a.status, a.completed_on):
                continue
            problem = completion_problem(
                state.status, state.completed_on, a.created_on or None, latest
            )
            if problem is not None:
                report.refused.append(
                    f"action {a.action_id[:8]}: the hub says it was {problem}; not recorded here"
                )
                continue
            changes.append(
                outbox.ActionChange(a.action_id, state.status, state.completed_on, state.evidence)
            )
        report.completions_received = outbox.apply_hub_changes(store, target, changes, now())
    _sync_concerns(store, hub, target, now(), report)
    from auditui.sync.programme_sync import programme_step

    programme_step(store, hub, key, config.user.name, now(), report)
    return report


def _sync_concerns(store: Store, hub: Hub, target: str, now: str, report: SyncReport) -> None:
    """Safeguarding concerns travel through both hubs (``concern_sync``,
    ``pg_concern_client``); a PostgreSQL hub made before concerns existed keeps them
    waiting here, undelivered, until it is upgraded."""
    from auditui.sync.folder import FolderHub

    if isinstance(hub, FolderHub):
        from auditui.sync.concern_sync import sync_concerns

        done = sync_concerns(store, hub, target, now)
    else:
        from auditui.sync.pg_concern_client import sync_concerns_pg
        from auditui.sync.postgres import PostgresHub

        if not isinstance(hub, PostgresHub):
            return
        done = sync_concerns_pg(store, hub.conn, hub.display, target, now, demo=False)
    if done.sent:
        report.warnings.append(
            f"{counted(done.sent, 'safeguarding concern')} sent to {hub.display}."
        )
    report.warnings += done.heard
    report.refused += done.refused


def _to_send(
    store: Store, hub: Hub, target: str, demo: bool, when: str
) -> list[outbox.PendingResult]:
    """Every ended revision the hub does not hold and believe, or that was queued again;
    revisions the hub holds but this store had not recorded are recorded as delivered."""
    ended = outbox.ended_revisions(store, demo)
    if not ended:
        return []
    held = hub.held(sorted({r.audit_id for r in ended}))
    delivered = outbox.delivered(store, target)
    if isinstance(getattr(hub, "ours", None), set):
        hub.ours |= delivered  # type: ignore[attr-defined]
    send, known = [], []
    for r in ended:
        if r.sent_at is None or r.revision > held.get(r.audit_id, 0):
            send.append(r)
        elif (r.audit_id, r.revision) not in delivered:
            known.append(r)
    if known:
        outbox.mark_results_sent(store, target, known, when)
    return send


LANES = 2
"""Batches in flight at once, each on its own connection to the hub."""


@dataclass
class Batch:
    built: Built
    size: int
    sending: Future[Submitted] | None


def _send_results(
    hub: Hub,
    chunks: list[list[outbox.PendingResult]],
    read: Callable[[list[outbox.PendingResult]], dict[tuple[str, int], str]],
    build: Callable[[list[outbox.PendingResult], dict[tuple[str, int], str]], Built],
    finished: Callable[[Batch], None],
) -> None:
    """Send the batches in order, overlapping the work: while the hub stores one batch
    (and, on a second connection, the next), this process builds the one after.

    ``finished`` is called for each batch, oldest first, once the hub has confirmed it;
    if one fails, every batch the hub did confirm is still finished, then the error
    is raised: what was not confirmed stays in the outbox.
    """
    lanes: queue.SimpleQueue[Hub] = queue.SimpleQueue()
    lanes.put(hub)
    extra: list[Hub] = []

    def send(built: Built) -> Submitted:
        lane = lanes.get()
        try:
            return lane.submit(built.results, [])
        finally:
            lanes.put(lane)

    in_flight: collections.deque[Batch] = collections.deque()
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="auditui-build") as builder,
        ThreadPoolExecutor(max_workers=LANES, thread_name_prefix="auditui-send") as senders,
    ):
        try:
            # The local store is read here, in the calling thread; only CPU work is handed off.
            upcoming = builder.submit(build, chunks[0], read(chunks[0])) if chunks else None
            for number, chunk in enumerate(chunks):
                assert upcoming is not None
                built = upcoming.result()
                if number + 1 < len(chunks):
                    following = chunks[number + 1]
                    upcoming = builder.submit(build, following, read(following))
                if len(in_flight) >= LANES:
                    finished(in_flight.popleft())
                if number == 1 and not extra:
                    extra += _another_lane(hub)
                    for lane in extra:
                        lanes.put(lane)
                sending = senders.submit(send, built) if built.results else None
                in_flight.append(Batch(built, len(chunk), sending))
            while in_flight:
                finished(in_flight.popleft())
        except BaseException:
            for batch in in_flight:  # confirmed by the hub before the failure: record them
                if batch.sending is None or batch.sending.exception() is None:
                    finished(batch)
            raise
        finally:
            for lane in extra:
                lane.close()


def _another_lane(hub: Hub) -> list[Hub]:
    """A second connection to the hub, or none if the hub will not give one."""
    try:
        return [hub.another()]
    except HubError:
        return []


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
    share_action: bool = True,
    demo: bool = False,
    extras: Mapping[str, ResultExtras] | None = None,
) -> Built:
    built = Built()
    for item in chunk:
        try:
            payload = from_json(payloads[(item.audit_id, item.revision)])
            extra = extras.get(item.audit_id) if extras is not None else None
            built.results.append(
                graded_result(
                    payload, item.created_at, key, share, tools, share_action, demo, extra
                )
            )
            built.ready.append(item)
        except (KeyError, ValueError, TypeError, ValidationError) as exc:
            built.problems.append(
                f"audit {item.audit_id} revision {item.revision}: its outbox record is not a "
                f"graded result ({_first_line(exc)}); it stays queued."
            )
    return built


def _state_of(
    action: outbox.PendingAction, share_text: bool, share_action_text: bool = True
) -> ActionState:
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
            "text": action.text if share_action_text else None,
            "evidence": action.evidence if share_text else None,
            "agreed_on": action.created_on or None,
        }
    )


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
