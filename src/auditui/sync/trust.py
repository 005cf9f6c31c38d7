"""Who may record action completions in a folder hub: the QA lead's trust file.

An audit's owner may always record changes to their own audits' actions
(their key signed the audit). Anyone else, typically a team manager working
the board over the hub, needs the QA lead's word: ``trust.json`` lists keys
and the teams each may complete actions for. It is signed with the key that
``hub.json`` names as the QA lead's; readers pin that key on first use (see
``hub_marker``), so someone who can write to the share can neither edit the
trust file (the signature breaks) nor swap in their own lead key unnoticed
by anyone who has read the hub before.

Each machine also publishes its public key in ``keys/<key>.json`` with the
user's name, so a QA lead can find a manager's key to trust. The name there
is a hint only: anyone can publish any name; only the key itself is trusted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from auditui.errors import HubError, NotFoundError
from auditui.sync.folder_files import Problem, read_json, read_regular
from auditui.sync.hub_marker import HubMarker, read_marker, write_marker
from auditui.sync.signing import MachineKey, canonical, short, unseal

TRUST_FILE = "trust.json"
KEYS_DIR = "keys"
KEY_FILE_NAME = re.compile(r"^([0-9a-f]{64})\.json$")
MAX_TEAMS = 200


@dataclass(frozen=True)
class Trust:
    """The keys the QA lead trusts, each with the teams it may record completions for."""

    teams_of: dict[str, frozenset[str]] = field(default_factory=dict)
    problem: str | None = None
    """Why the trust file is not believed (then nobody but owners is trusted)."""
    digest: str = ""
    """Changes whenever the trust file does, so refused completions are judged again."""

    def allows(self, key: str, team: str) -> bool:
        """``*`` stands for every team (a QA lead's own key, say)."""
        teams = self.teams_of.get(key, frozenset())
        return team in teams or "*" in teams


def read_trust(root: Path, lead_key: str | None) -> Trust:
    """The hub's trust file, believed only if signed by ``lead_key`` for this hub."""
    path = root / TRUST_FILE
    if not os.path.lexists(path):
        return Trust()
    raw = read_regular(path, cap=1024 * 1024)
    if isinstance(raw, str):
        return Trust(problem=f"{TRUST_FILE}: {raw}", digest=raw)
    digest = hashlib.sha256(raw).hexdigest()
    marker = read_marker(root)
    checked = _check(raw, lead_key, marker)
    if isinstance(checked, str):
        return Trust(problem=f"{TRUST_FILE} is not believed: {checked}", digest=digest)
    return Trust(teams_of=checked, digest=digest)


def _check(
    raw: bytes, lead_key: str | None, marker: HubMarker | None
) -> dict[str, frozenset[str]] | str:
    if lead_key is None:
        return "the hub has no QA lead key (run auditui hub trust as the QA lead)"
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return "not valid JSON"
    opened = unseal(data, "trust")
    if isinstance(opened, str):
        return opened
    record, signer = opened
    if signer != lead_key:
        return f"signed by key {short(signer)}, not by the QA lead's key {short(lead_key)}"
    if marker is None or record.get("hub_id") != marker.hub_id:
        return "it was signed for another hub"
    keys = record.get("keys")
    if not isinstance(keys, dict):
        return "it lists no keys"
    out: dict[str, frozenset[str]] = {}
    for key, teams in keys.items():
        if (
            not isinstance(key, str)
            or not isinstance(teams, list)
            or not all(isinstance(t, str) for t in teams)
        ):
            return "its list of keys is not well formed"
        out[key] = frozenset(teams)
    return out


def write_trust(
    root: Path, lead: MachineKey, key: str, teams: Sequence[str], now: dt.datetime
) -> str:
    """Let ``key`` (a full key or a unique prefix of a published one) record completions
    for ``teams``; only the hub's QA lead may. Returns a sentence saying what was done."""
    marker = read_marker(root)
    if marker is None:
        from auditui.sync.hub_marker import not_a_hub

        raise not_a_hub(root)
    if marker.lead_key is None:
        marker = HubMarker(marker.hub_id, marker.demo, lead.public_hex)
        write_marker(root, marker)
    elif marker.lead_key != lead.public_hex:
        raise HubError(
            f"Only the hub's QA lead (key {short(marker.lead_key)}) can change who is trusted; "
            f"this machine's key is {short(lead.public_hex)}. Nothing was changed."
        )
    cleaned = sorted({t.strip() for t in teams if t.strip()})
    if not cleaned or len(cleaned) > MAX_TEAMS or any(len(t) > 200 for t in cleaned):
        raise HubError("Teams: give one or more team names (200 characters at most each).")
    full = resolve_key(root, key)
    current = read_trust(root, marker.lead_key)
    keys = {k: sorted(v) for k, v in current.teams_of.items()}
    keys[full] = cleaned
    record = {
        "hub_id": marker.hub_id,
        "issued_at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "keys": keys,
    }
    _write_whole(root / TRUST_FILE, canonical(lead.seal("trust", record)))
    names = ", ".join(cleaned)
    return f"Key {short(full)} may now record action completions for: {names} (hub {root})."


def init_hub_as_lead(root: Path, lead: MachineKey, name: str = "") -> str:
    """``auditui hub init DIR`` for a folder: make (or adopt) the hub with this machine's key
    as the QA lead's, publish the key, and say so. An existing hub keeps its lead key;
    one made by a first sync (no lead key yet) is claimed."""
    from auditui.sync.hub_marker import init_folder_hub

    marker, made = init_folder_hub(root, lead.public_hex)
    if marker.lead_key is None:
        marker = HubMarker(marker.hub_id, marker.demo, lead.public_hex)
        write_marker(root, marker)
    publish_key(root, lead, name)
    whose = (
        "yours"
        if marker.lead_key == lead.public_hex
        else f"key {short(marker.lead_key or '')}, not this machine's"
    )
    kind = "demo hub" if marker.demo else "hub"
    state = "is ready" if made else "was already a hub; checked"
    return (
        f"Folder {kind} {root} {state} (QA lead key: {whose}). Point [sync] target at it; "
        "let managers complete actions with: auditui hub trust DIR --key KEY --teams TEAM."
    )


def resolve_key(root: Path, key: str) -> str:
    """A full public key from a full key or a unique prefix of one published in ``keys/``."""
    key = key.strip().lower()
    if re.fullmatch(r"[0-9a-f]{64}", key):
        return key
    if not re.fullmatch(r"[0-9a-f]{8,63}", key):
        raise HubError(
            f"Key {key[:70]!r} is not a signing key: give its 64 hex digits, or 8 or more of "
            "its first digits (auditui shows each machine's key in the hub's keys/ folder)."
        )
    found = [name for name, _ in published_keys(root) if name.startswith(key)]
    if len(found) != 1:
        raise NotFoundError(
            f"No single published key starts with {key} in {root / KEYS_DIR} "
            f"({len(found)} do); give more of its digits."
        )
    return found[0]


def published_keys(root: Path) -> list[tuple[str, str]]:
    """(key, the name its machine gave) for every key published in the hub."""
    out = []
    try:
        entries = list(os.scandir(root / KEYS_DIR))
    except OSError:
        return []
    for entry in entries:
        match = KEY_FILE_NAME.match(entry.name)
        if match is None:
            continue
        data = read_json(Path(entry.path), cap=16 * 1024)
        name = (
            data.get("name") if isinstance(data, dict) and not isinstance(data, Problem) else None
        )
        out.append((match.group(1), name if isinstance(name, str) else ""))
    return sorted(out)


def publish_key(root: Path, key: MachineKey, name: str) -> None:
    """Put this machine's public key in ``keys/`` (once), so a QA lead can trust it."""
    path = root / KEYS_DIR / f"{key.public_hex}.json"
    if os.path.lexists(path):
        return
    (root / KEYS_DIR).mkdir(exist_ok=True)
    data = canonical({"auditui": "key", "key": key.public_hex, "name": name[:200]})
    _write_whole(path, data)


def _write_whole(path: Path, data: bytes) -> None:
    import secrets

    temp = path.with_name(f".tmp-{path.name}.{secrets.token_hex(6)}")
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise HubError(f"Cannot write {path}: {exc.strerror}.") from None
