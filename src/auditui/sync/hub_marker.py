"""What makes a folder an auditui hub: its ``hub.json``.

auditui reads and writes only folders that say they are hubs, so a mistyped
``--hub`` (the Documents folder, a database's own folder, ``""``) is refused
untouched instead of being read, written or tidied. ``hub.json`` holds:

- ``hub_id``: random, made once; a reader pins it on first use, so a folder
  whose hub.json was swapped is noticed;
- ``demo``: a demo hub (``auditui demo --hub DIR``) takes demo audits only,
  a real hub real audits only;
- ``lead_key``: the public signing key of the QA lead, who alone may sign the
  hub's trust file (set by ``hub init`` or by the first ``hub trust``).

The file is not signed (nobody's key is known before it exists): readers pin
what they first see, and refuse the hub if it changes afterwards.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditui.errors import HubError
from auditui.sync.folder_files import Problem, read_json

HUB_FILE = "hub.json"
FORMAT = 1
QUIET_NAMES = frozenset({"desktop.ini", "Thumbs.db", ".DS_Store"})
"""Names a shared drive or a desktop puts in any folder: a folder holding only these is empty."""


@dataclass(frozen=True)
class HubMarker:
    hub_id: str
    demo: bool
    lead_key: str | None

    def dump(self) -> dict[str, Any]:
        return {
            "auditui": "hub",
            "format": FORMAT,
            "hub_id": self.hub_id,
            "demo": self.demo,
            "lead_key": self.lead_key,
        }


def usable_path(root: Path) -> Path:
    """``root`` with ``~`` expanded; ``HubError`` for a path the system refuses outright
    (a name too long, a loop of links, a folder it may not look into)."""
    root = root.expanduser()
    if len(str(root)) > 4096:
        raise HubError(
            f"The folder given ({len(str(root)):,} characters) is longer than any path "
            "auditui accepts (4,096); nothing was read or written."
        )
    if "\0" in str(root):
        raise HubError("The folder given has a NUL character in its name; nothing was read.")
    try:
        os.stat(root)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise HubError(f"The folder {str(root)[:200]} cannot be used ({exc.strerror}).") from None
    return root


def not_a_hub(root: Path | str) -> HubError:
    return HubError(
        f"{str(root)!r} is not an auditui hub (it has no {HUB_FILE}); nothing in it was read, "
        "moved or changed. A QA lead makes a folder a hub with: auditui hub init DIR"
    )


def read_marker(root: Path) -> HubMarker | None:
    """The hub's marker; None when the folder has none; ``HubError`` when it is unusable."""
    path = root / HUB_FILE
    if not os.path.lexists(path):
        return None
    data = read_json(path, cap=64 * 1024)
    if isinstance(data, Problem):
        raise HubError(f"The hub marker {path} cannot be used: {data}; nothing was read.")
    if (
        not isinstance(data, dict)
        or data.get("auditui") != "hub"
        or data.get("format") != FORMAT
        or not _hex(data.get("hub_id"), 32)
        or not isinstance(data.get("demo"), bool)
        or not (data.get("lead_key") is None or _hex(data.get("lead_key"), 64))
    ):
        raise HubError(
            f"The hub marker {path} is not one auditui wrote (or was edited); nothing was read."
        )
    return HubMarker(data["hub_id"], data["demo"], data["lead_key"])


def _hex(value: Any, length: int) -> bool:
    return (
        isinstance(value, str)
        and len(value) == length
        and all(c in "0123456789abcdef" for c in value)
    )


OWN_FOLDERS = frozenset({"actions", "keys", "quarantine"})


def is_empty(root: Path) -> bool:
    """Nothing in the folder but desktop litter and auditui's own empty sub-folders."""
    try:
        with os.scandir(root) as entries:
            return all(e.name in QUIET_NAMES or _empty_own(e) for e in entries)
    except OSError as exc:
        raise HubError(f"The folder {root} cannot be read ({exc.strerror}).") from None


def _empty_own(entry: os.DirEntry[str]) -> bool:
    if entry.name not in OWN_FOLDERS or not entry.is_dir(follow_symlinks=False):
        return False
    with os.scandir(entry.path) as inside:
        return next(iter(inside), None) is None


def write_marker(root: Path, marker: HubMarker) -> None:
    """Write ``hub.json`` whole (temporary name, fsync, rename)."""
    import json

    data = json.dumps(marker.dump(), indent=2, sort_keys=True).encode() + b"\n"
    temp = root / f".tmp-{HUB_FILE}.{secrets.token_hex(6)}"
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, root / HUB_FILE)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise HubError(f"Cannot write {root / HUB_FILE}: {exc.strerror}.") from None


def init_folder_hub(
    root: Path, lead_key: str | None, demo: bool = False, create: bool = True
) -> tuple[HubMarker, bool]:
    """Make ``root`` a hub (a new or empty folder), or check the one that is there.

    Returns the marker and whether it was made now. A folder that already holds
    other files is made a hub only when it holds auditui records already (a hub
    from before hub.json existed); anything else is refused untouched.
    """
    root = usable_path(root)
    if not root.is_dir():
        if root.exists() or not create:
            raise HubError(
                f"The folder hub {root} cannot be reached (is the shared drive connected?)."
            )
        try:
            root.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise HubError(f"Cannot create the folder hub {root}: {exc.strerror}.") from None
    found = read_marker(root)
    if found is not None:
        if found.demo != demo:
            kind = "a demo hub" if found.demo else "a real hub"
            raise HubError(f"The folder hub {root} is {kind}; it cannot be made into the other.")
        return found, False
    if not (is_empty(root) or _holds_old_records(root)):
        raise not_a_hub(root)
    marker = HubMarker(secrets.token_hex(16), demo, lead_key)
    write_marker(root, marker)
    for sub in ("actions", "keys"):
        try:
            (root / sub).mkdir(exist_ok=True)
        except OSError as exc:
            raise HubError(f"Cannot create {root / sub}: {exc.strerror}.") from None
    return marker, True


def _holds_old_records(root: Path) -> bool:
    """A folder hub from before hub.json: graded-result files and nothing foreign."""
    from auditui.sync.folder import RESULT_NAME

    names = [e.name for e in os.scandir(root)]
    if not any(RESULT_NAME.match(n) for n in names):
        return False
    allowed = {"actions", "quarantine"} | QUIET_NAMES
    return all(RESULT_NAME.match(n) or n in allowed or n.startswith(".tmp-") for n in names)
