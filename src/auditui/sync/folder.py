"""The folder hub: signed graded results as immutable JSON files on a shared drive.

A team with no database server points auditui at a shared folder. Shared
drives (SMB, OneDrive, NFS) corrupt live SQLite files, so the folder holds
only whole files that never change once written:

    hub.json                           marks the folder a hub (``hub_marker``)
    trust.json                         the QA lead's signed list of trusted keys (``trust``)
    keys/<key>.json                    each machine's public signing key, with a name
    <audit_id>.r<revision>.json        one signed graded result per ended revision
    actions/<action_id>.<digest>.json  a signed action change made after the audit ended

auditui reads and writes only a folder whose ``hub.json`` says it is a hub,
reads only regular files there, and never moves or deletes anything in it:
a file it does not believe is skipped and reported with the reason
(``folder_judge``). Each file is written to a temporary name, fsynced,
renamed into place and the folder fsynced, so a reader sees a whole file or
none. Writing the same record twice gives the same name and bytes (Ed25519
signatures are deterministic), so retries after a crash change nothing; an
owner's sync rewrites its own record over a lost, damaged or forged copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditui.errors import HubError, NotFoundError, StateError
from auditui.sync.facts import completion_problem
from auditui.sync.folder_files import MAX_FILE_BYTES, fsync_dir, write_once
from auditui.sync.hub import BoardAction, Submitted
from auditui.sync.hub_marker import (
    HubMarker,
    init_folder_hub,
    is_empty,
    not_a_hub,
    read_marker,
    usable_path,
)
from auditui.sync.outbox import HubActionState
from auditui.sync.result import ActionState, GradedResult
from auditui.sync.signing import MachineKey, canonical, short

if TYPE_CHECKING:
    from auditui.sync.index import HubIndex

__all__ = ["MAX_FILE_BYTES", "FolderHub"]

ACTIONS_DIR = "actions"
QUARANTINE_DIR = "quarantine"
"""Made by older versions; never written to now, left alone."""
OWN_TEMP = re.compile(r"^\.tmp-.+\.([0-9]+\.[0-9a-f]{8}|[0-9a-f]{12})$")
"""The temporary names auditui itself writes (and so may remove when a day old)."""
STALE_TEMP_SECONDS = 24 * 3600

_ID = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
RESULT_NAME = re.compile(rf"^({_ID})\.r([1-9][0-9]{{0,8}})\.json$")
ACTION_NAME = re.compile(rf"^({_ID})\.([0-9a-f]{{16}})\.json$")


def result_file_name(audit_id: str, revision: int) -> str:
    return f"{audit_id}.r{revision}.json"


def action_file_name(state_bytes: bytes, action_id: str) -> str:
    return f"{action_id}.{hashlib.sha256(state_bytes).hexdigest()[:16]}.json"


@dataclass
class FolderHub:
    root: Path
    small_group_threshold: int = 5
    index_path: Path | None = None
    marker: HubMarker | None = None
    signing_key_path: Path | None = None
    user_name: str = ""
    refused: list[tuple[str, str]] = field(default_factory=list)
    """Files an owner's sync did not believe: (name, reason)."""
    ours: set[tuple[str, int]] = field(default_factory=set)
    """Revisions this machine delivered here before (the engine says): a copy signed by
    another key in their place is a forgery to replace, not another machine's record."""
    conflicts: list[str] = field(default_factory=list)
    """Revisions not written because another machine's signed record holds the name."""
    _key: MachineKey | None = None

    @property
    def display(self) -> str:
        return str(self.root)

    @property
    def demo(self) -> bool:
        return self.marker is not None and self.marker.demo

    @property
    def delivery_id(self) -> str:
        """What the local outbox records deliveries to this hub under: its id (not its
        path) and this machine's key, so a database copied to another machine does not
        count what its first machine delivered as its own."""
        assert self.marker is not None
        return f"folder:{self.marker.hub_id}:{self.key.public_hex[:16]}"

    @classmethod
    def open(
        cls,
        root: Path,
        small_group_threshold: int = 5,
        create: bool = False,
        index_path: Path | None = None,
        *,
        signing_key: Path | None = None,
        demo: bool = False,
        mark_empty: bool = False,
        user_name: str = "",
    ) -> FolderHub:
        """The hub at ``root``; ``HubError`` unless ``hub.json`` says it is one.

        ``mark_empty`` (sync) makes an existing empty folder a hub; ``create``
        (``auditui demo --hub``) also makes a missing folder. A folder holding
        anything else is refused untouched.
        """
        root = usable_path(root)
        if not root.is_dir():
            if root.exists():
                raise HubError(f"The folder hub {root} is a file, not a folder; nothing was sent.")
            if not create:
                raise HubError(
                    f"The folder hub {root} cannot be reached (is the shared drive connected?); "
                    "nothing was sent and the outbox is kept."
                )
        marker = read_marker(root) if root.is_dir() else None
        if marker is None:
            if not (create or (mark_empty and is_empty(root))):
                raise not_a_hub(root)
            marker, _ = init_folder_hub(root, None, demo=demo, create=create)
        hub = cls(root, small_group_threshold, index_path, marker, signing_key, user_name)
        if mark_empty:  # a sync: say who this machine is, so the QA lead can trust its key
            hub._publish_key()
        return hub

    def another(self) -> FolderHub:
        return FolderHub(
            self.root,
            self.small_group_threshold,
            self.index_path,
            self.marker,
            self.signing_key_path,
            self.user_name,
            ours=self.ours,
            conflicts=self.conflicts,  # the same list: both lanes report into one sync
            _key=self._key,
        )

    def close(self) -> None:
        pass

    @property
    def key(self) -> MachineKey:
        """This machine's signing key (made on first use)."""
        if self._key is None:
            from auditui.config import default_signing_key_file
            from auditui.sync.signing import load_or_create_machine_key

            self._key = load_or_create_machine_key(
                self.signing_key_path or default_signing_key_file()
            )
        return self._key

    # --- writing -------------------------------------------------------------

    def submit(self, results: Sequence[GradedResult], states: Sequence[ActionState]) -> Submitted:
        applied = ignored = 0
        for result in results:
            if result.demo != self.demo:
                kind = "a demo hub" if self.demo else "a real hub"
                raise HubError(
                    f"The folder hub {self.root} is {kind}; audit {result.audit_id} was not sent."
                )
        key = self.key
        written: list[tuple[str, int]] = []
        with self._writing():
            self._clear_stale_temps(self.root)
            self._publish_key()
            for result in results:
                name = result_file_name(result.audit_id, result.revision)
                data = canonical(key.seal("graded-result", result.dump()))
                other = self._another_signer(name, key.public_hex)
                if other is not None and (result.audit_id, result.revision) not in self.ours:
                    self.conflicts.append(
                        f"audit {result.audit_id} revision {result.revision} on the hub is "
                        f"signed by another machine's key ({other[:16]}), so it was not replaced;"
                        " if this audit was made on this machine, tell the QA lead"
                    )
                    ignored += 1
                elif (inode := write_once(self.root, name, data)) is not None:
                    written.append((name, inode))
                    applied += 1
                else:
                    ignored += 1
            if states:
                actions_dir = self.root / ACTIONS_DIR
                if actions_dir.is_symlink():
                    raise HubError(
                        f"{actions_dir} is a link to somewhere else, not the hub's own folder; "
                        "nothing was written there."
                    )
                actions_dir.mkdir(exist_ok=True)
                for state in states:
                    body = canonical(state.dump())
                    data = canonical(key.seal("action-state", state.dump()))
                    write_once(actions_dir, action_file_name(body, state.action_id), data)
                fsync_dir(actions_dir)
            fsync_dir(self.root)
        if written:
            from auditui.sync.folder_owner import remember_mine

            remember_mine(self, written)
        return Submitted(applied, ignored, len(states))

    def _another_signer(self, name: str, mine: str) -> str | None:
        """The key of a whole, validly signed record already at ``name``, if not ``mine``."""
        from auditui.sync.folder_files import Problem, read_json
        from auditui.sync.signing import unseal

        data = read_json(self.root / name)
        if isinstance(data, Problem):
            return None
        opened = unseal(data, "graded-result")
        if isinstance(opened, str) or opened[1] == mine:
            return None
        return opened[1]

    def _publish_key(self) -> None:
        from auditui.sync.trust import publish_key

        with contextlib.suppress(HubError):
            publish_key(self.root, self.key, self.user_name)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            raise HubError(
                f"Could not write to the folder hub {self.root} ({exc.strerror or exc}); "
                "what was not confirmed stays in the outbox."
            ) from None

    def _clear_stale_temps(self, directory: Path) -> None:
        """auditui's own temporary files left by a sync killed mid-write, a day ago or more."""
        cutoff = time.time() - STALE_TEMP_SECONDS
        with contextlib.suppress(OSError), os.scandir(directory) as entries:
            for entry in entries:
                if (
                    OWN_TEMP.match(entry.name)
                    and entry.is_file(follow_symlinks=False)
                    and entry.stat(follow_symlinks=False).st_mtime < cutoff
                ):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    # --- what the hub holds, for an owner's sync (``folder_owner``) -------------

    def held(self, audit_ids: Sequence[str]) -> dict[str, int]:
        """For each audit, the highest revision n such that revisions 1..n are all here,
        whole, and signed by this machine's key: a lost, damaged or forged one (and any
        above it) is sent again."""
        from auditui.sync.folder_owner import held

        return held(self, audit_ids)

    def action_states(self, action_ids: Sequence[str]) -> dict[str, HubActionState]:
        """Completions of this machine's actions, believed by the same rules as any reader's;
        what is not believed is listed in ``refused``."""
        from auditui.sync.folder_owner import action_states

        return action_states(self, action_ids)

    def pinned_lead(self) -> str | None:
        """The QA lead's key from hub.json, checked against what this reader pinned."""
        index = self.open_index()
        try:
            assert self.marker is not None
            return index.pin(self.marker)
        finally:
            index.close()

    # --- a team manager's view ------------------------------------------------

    def open_index(self) -> HubIndex:
        from auditui.sync.index import HubIndex

        base = self.signing_key_path.parent if self.signing_key_path else None
        return HubIndex.open(self.index_path or default_index_path(self.root, base))

    def _index(self) -> HubIndex:
        index = self.open_index()
        try:
            assert self.marker is not None
            index.refresh(self.root, self.marker, dt.datetime.now(dt.UTC).date())
        except BaseException:
            index.close()
            raise
        return index

    def board(self) -> list[BoardAction]:
        index = self._index()
        try:
            return index.board()
        finally:
            index.close()

    def complete_action(
        self, action_id: str, on: dt.date, evidence: str | None, now: str
    ) -> BoardAction:
        index = self._index()
        try:
            found = index.find_action(action_id)
            if found is None:
                raise NotFoundError(f"The hub {self.display} has no action '{action_id}'.")
            if found.status != "open":
                raise StateError(
                    f"Action {found.action_id[:8]} is already {found.status} on the hub."
                )
            self._check_completion(index, found, on, now)
            state = ActionState(
                action_id=found.action_id,
                audit_id=found.audit_id,
                source="hub",
                recorded_at=dt.datetime.fromisoformat(now),
                status="done",
                completed_on=on,
                evidence=evidence,
            )
            self.submit([], [state])
            assert self.marker is not None
            index.refresh(self.root, self.marker, dt.datetime.now(dt.UTC).date())
            done = index.find_action(found.action_id)
            assert done is not None
            return done
        finally:
            index.close()

    def _check_completion(self, index: HubIndex, found: BoardAction, on: dt.date, now: str) -> None:
        """Refuse here what every reader would refuse, before anything is written."""
        from auditui.errors import InvalidAnswerError

        bound, agreed = index.judging_facts(found.action_id, found.audit_id)
        today = dt.datetime.fromisoformat(now).date()
        problem = completion_problem("done", on.isoformat(), agreed, today.isoformat())
        if problem is not None:
            raise InvalidAnswerError(f"Completed on: {problem}; nothing was recorded.")
        mine = self.key.public_hex
        if mine != bound and not index.trust.allows(mine, found.team):
            raise HubError(
                f"This machine's key {short(mine)} may not record completions for team "
                f"{found.team!r} on this hub; ask the QA lead to run: auditui hub trust "
                f"{self.root} --key {mine} --teams '{found.team}'. Nothing was recorded."
            )

    def report(self, by: str | None, today: dt.date) -> dict[str, Any]:
        from auditui.sync.measures import build_report
        from auditui.sync.theme_counts import attach_themes, count_themes

        index = self._index()
        try:
            facts = index.facts()
            report = build_report(
                facts,
                by,
                today.isoformat(),
                self.small_group_threshold,
                f"folder hub {self.display}",
            )
            attach_themes(report, count_themes(facts.audits, facts.findings, by))
            report["quarantined"] = [
                {"file": name, "reason": reason} for name, reason in index.refused()
            ]
            return report
        finally:
            index.close()


def default_index_path(root: Path, data_dir: Path | None = None) -> Path:
    """A reader's own index of a folder hub, in its data directory (one per folder): the
    user data directory, or the folder of a configured signing key (one person's data)."""
    from auditui.config import default_data_dir

    digest = hashlib.sha256(str(root.expanduser().resolve()).encode()).hexdigest()[:16]
    return (data_dir or default_data_dir()) / "hub-index" / f"{digest}.db"
