"""The folder hub: graded results as immutable JSON files on a shared drive.

A team with no database server points auditui at a shared folder. Shared
drives (SMB, OneDrive, NFS) corrupt live SQLite files, so the folder holds
only whole files that never change once written:

    <audit_id>.r<revision>.json        one graded result per ended revision
    actions/<action_id>.<digest>.json  an action change made after the audit ended
    quarantine/                        files a reader refused, each with a .reason.txt

Each file is written to a temporary name, fsynced, renamed into place and
the folder fsynced, so a reader sees a whole file or none. Writing the same
record twice gives the same name and bytes, so retries after a crash change
nothing. Readers keep their own index (``index.py``) and never write to the
folder except to move a bad file into ``quarantine/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from auditui.errors import HubError, NotFoundError, StateError
from auditui.sync.facts import ActionRecord, canonical_stamp, merge_action
from auditui.sync.hub import BoardAction, Submitted
from auditui.sync.outbox import HubActionState
from auditui.sync.result import ActionState, GradedResult

if TYPE_CHECKING:
    from auditui.sync.index import HubIndex

ACTIONS_DIR = "actions"
QUARANTINE_DIR = "quarantine"
TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 24 * 3600
MAX_FILE_BYTES = 4 * 1024 * 1024
"""A graded result is a few kilobytes; anything this big is not one."""

_ID = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
RESULT_NAME = re.compile(rf"^({_ID})\.r([1-9][0-9]{{0,8}})\.json$")
ACTION_NAME = re.compile(rf"^({_ID})\.([0-9a-f]{{16}})\.json$")


def result_file_name(audit_id: str, revision: int) -> str:
    return f"{audit_id}.r{revision}.json"


def encode(record: dict[str, Any]) -> bytes:
    """Canonical bytes: the same record always gives the same file."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def action_file_name(state_bytes: bytes, action_id: str) -> str:
    return f"{action_id}.{hashlib.sha256(state_bytes).hexdigest()[:16]}.json"


@dataclass
class FolderHub:
    root: Path
    small_group_threshold: int = 5
    index_path: Path | None = None

    @property
    def display(self) -> str:
        return str(self.root)

    @classmethod
    def open(
        cls,
        root: Path,
        small_group_threshold: int = 5,
        create: bool = False,
        index_path: Path | None = None,
    ) -> FolderHub:
        root = root.expanduser()
        if not root.is_dir():
            if root.exists():
                raise HubError(f"The folder hub {root} is a file, not a folder; nothing was sent.")
            if not create:
                raise HubError(
                    f"The folder hub {root} cannot be reached (is the shared drive connected?); "
                    "nothing was sent and the outbox is kept."
                )
            try:
                root.mkdir(parents=True, mode=0o700)
            except OSError as exc:
                raise HubError(f"Cannot create the folder hub {root}: {exc.strerror}.") from None
        return cls(root, small_group_threshold, index_path)

    def another(self) -> FolderHub:
        return FolderHub(self.root, self.small_group_threshold, self.index_path)

    def close(self) -> None:
        pass

    # --- writing -------------------------------------------------------------

    def submit(self, results: Sequence[GradedResult], states: Sequence[ActionState]) -> Submitted:
        applied = ignored = 0
        with self._writing():
            self._clear_stale_temps(self.root)
            for result in results:
                name = result_file_name(result.audit_id, result.revision)
                if _write_once(self.root, name, encode(result.dump())):
                    applied += 1
                else:
                    ignored += 1
            if states:
                actions_dir = self.root / ACTIONS_DIR
                actions_dir.mkdir(exist_ok=True)
                for state in states:
                    data = encode(state.dump())
                    _write_once(actions_dir, action_file_name(data, state.action_id), data)
                _fsync_dir(actions_dir)
            _fsync_dir(self.root)
        return Submitted(applied, ignored, len(states))

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
        """Temporary files left by a sync that was killed mid-write, a day ago or more."""
        cutoff = time.time() - STALE_TEMP_SECONDS
        with contextlib.suppress(OSError), os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith(TEMP_PREFIX) and entry.stat().st_mtime < cutoff:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    # --- reading actions for an owner's sync -----------------------------------

    def action_states(self, action_ids: Sequence[str]) -> dict[str, HubActionState]:
        wanted = set(action_ids)
        records: dict[str, list[ActionRecord]] = {}
        for state in self._action_files(wanted):
            records.setdefault(state.action_id, []).append(record_of_state(state))
        out = {}
        for action_id, found in records.items():
            merged = merge_action(found)
            if merged.status != "open":
                out[action_id] = HubActionState(merged.status, merged.completed_on, merged.evidence)
        return out

    def _action_files(self, wanted: set[str]) -> Iterator[ActionState]:
        directory = self.root / ACTIONS_DIR
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:
            return
        except OSError as exc:
            raise HubError(f"Cannot read the folder hub {self.root} ({exc.strerror}).") from None
        for entry in entries:
            match = ACTION_NAME.match(entry.name)
            if match is None or match.group(1) not in wanted:
                continue
            state = read_action_file(Path(entry.path))
            if isinstance(state, ActionState) and state.action_id == match.group(1):
                yield state

    # --- a team manager's view ------------------------------------------------

    def _index(self) -> HubIndex:
        from auditui.sync.index import HubIndex

        index = HubIndex.open(self.index_path or default_index_path(self.root))
        index.refresh(self.root)
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
            index.refresh(self.root)
            done = index.find_action(found.action_id)
            assert done is not None
            return done
        finally:
            index.close()

    def report(self, by: str | None, today: dt.date) -> dict[str, Any]:
        from auditui.sync.measures import build_report

        index = self._index()
        try:
            report = build_report(
                index.facts(),
                by,
                today.isoformat(),
                self.small_group_threshold,
                f"folder hub {self.display}",
            )
            report["quarantined"] = [
                {"file": name, "reason": reason} for name, reason in index.last_quarantined
            ]
            return report
        finally:
            index.close()


def default_index_path(root: Path) -> Path:
    """A reader's own index of a folder hub, in its user data directory (one per folder)."""
    from auditui.config import default_data_dir

    digest = hashlib.sha256(str(root.expanduser().resolve()).encode()).hexdigest()[:16]
    return default_data_dir() / "hub-index" / f"{digest}.db"


def record_of_state(state: ActionState) -> ActionRecord:
    return ActionRecord(
        action_id=state.action_id,
        audit_id=state.audit_id,
        source=state.source,
        recorded_at=canonical_stamp(state.recorded_at.isoformat()),
        status=state.status,
        completed_on=state.completed_on.isoformat() if state.completed_on else None,
        owner=state.owner,
        due=state.due.isoformat() if state.due else None,
        text=state.text,
        evidence=state.evidence,
    )


def read_action_file(path: Path) -> ActionState | str:
    """The action change in ``path``, or the reason it is refused."""
    data = read_json(path)
    if isinstance(data, str):
        return data
    try:
        return ActionState.model_validate(data)
    except ValidationError as exc:
        return schema_problem(exc, "action change")


def read_json(path: Path) -> Any:
    """The parsed JSON in ``path``, or a sentence saying why it cannot be used."""
    try:
        if path.is_symlink():
            return "a link, not a file"
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return f"{size:,} bytes, larger than any graded result ({MAX_FILE_BYTES:,} at most)"
        raw = path.read_bytes()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except json.JSONDecodeError as exc:
        return f"not valid JSON (truncated or damaged): {exc.msg} at line {exc.lineno}"
    except RecursionError:
        return "not valid JSON: nested too deeply"


def schema_problem(exc: ValidationError, what: str) -> str:
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = exc.error_count() - 1
    extra = f" (and {more} more)" if more else ""
    return f"not a {what} of schema 1: {where}: {first['msg']}{extra}"


def _write_once(directory: Path, name: str, data: bytes) -> bool:
    """Write ``data`` as ``name`` atomically; False when an identical file is already there."""
    final = directory / name
    try:
        if final.stat().st_size == len(data) and final.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    temp = directory / f"{TEMP_PREFIX}{name}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o640)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.replace(temp, final)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return True


def _fsync_dir(directory: Path) -> None:
    """Make the renames durable (where the platform allows a folder to be fsynced)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
