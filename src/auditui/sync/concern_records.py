"""Safeguarding concerns in a folder hub: signed records, judged like action changes.

A concern is written the moment the auditor's next sync runs, whatever the
state of its audit, because a child may be unsafe now. The team manager
must read its text to act, so the text travels (unlike evidence notes); no
aggregate report ever reads it (see ``services.concerns.concern_counts``).

    concerns/<concern_id>.json                     the concern, sealed by the auditor's key
    concerns/<concern_id>.<kind>.<digest>.json     an acknowledgement or a response, sealed

A concern is believed when its seal holds, its name says its id, it is a
demo audit's exactly when the hub is a demo hub, it is not raised in the
future, and, when the hub already holds its audit, it is signed by the key
bound to that audit and names the audit's team. An acknowledgement or a
response is believed only for a believed concern, signed by the concern's
own key or by a key the QA lead's trust file allows for the concern's team,
and dated between the concern being raised and today. The earliest believed
acknowledgement (or response) and the earliest believed response stand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError

from auditui.errors import HubError
from auditui.sync.folder_files import Problem, fsync_dir, listed_names, read_json, write_once
from auditui.sync.folder_judge import schema_problem
from auditui.sync.result import ID_PATTERN, Id, Name
from auditui.sync.signing import canonical, short, unseal

if TYPE_CHECKING:
    from auditui.sync.folder import FolderHub

CONCERNS_DIR = "concerns"
MAX_RECORD_BYTES = 128 * 1024
MAX_FILES = 20_000
"""More files than this in ``concerns/`` is not a council's year of concerns: refused."""
_ID = ID_PATTERN.strip("^$")
CONCERN_NAME = re.compile(rf"^({_ID})\.json$")
RESPONSE_NAME = re.compile(rf"^({_ID})\.(ack|response)\.([0-9a-f]{{16}})\.json$")

Text = Annotated[StrictStr, Field(min_length=1, max_length=20_000)]
Optional200 = Annotated[StrictStr, Field(max_length=200)]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class ConcernRecord(_Record):
    """A safeguarding concern as it travels."""

    schema_: Literal[1] = Field(default=1, alias="schema")
    concern_id: Id
    audit_id: Id
    team: Name
    text: Text
    raised_with: Optional200
    raised_by: Name
    raised_at: dt.datetime
    demo: StrictBool = False

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class ConcernReply(_Record):
    """A team manager's (or the auditor's) acknowledgement of a concern, or response to it."""

    schema_: Literal[1] = Field(default=1, alias="schema")
    concern_id: Id
    kind: Literal["ack", "response"]
    at: dt.datetime
    by: Name
    outcome: Text | None = None

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


@dataclass
class HubConcern:
    """A believed concern with what was believed about its acknowledgement and response."""

    record: ConcernRecord
    signer: str
    acknowledged_at: dt.datetime | None = None
    outcome: str | None = None
    responded_by: str | None = None
    responded_at: dt.datetime | None = None


@dataclass
class HubConcerns:
    concerns: dict[str, HubConcern] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)


def reply_file_name(reply: ConcernReply) -> str:
    digest = hashlib.sha256(canonical(reply.dump())).hexdigest()[:16]
    return f"{reply.concern_id}.{reply.kind}.{digest}.json"


def write_records(
    hub: FolderHub, concerns: list[ConcernRecord], replies: list[ConcernReply]
) -> None:
    """Seal and write ``concerns`` and ``replies`` (whole files; the same record, the same
    file, so a retry changes nothing; a damaged or forged copy of ours is replaced)."""
    if not (concerns or replies):
        return
    folder = hub.root / CONCERNS_DIR
    if folder.is_symlink():
        raise HubError(f"{folder} is a link to somewhere else; no concern was written there.")
    key = hub.key
    try:
        folder.mkdir(exist_ok=True)
        for concern in concerns:
            data = canonical(key.seal("concern", concern.dump()))
            write_once(folder, f"{concern.concern_id}.json", data)
        for reply in replies:
            data = canonical(key.seal("concern-reply", reply.dump()))
            write_once(folder, reply_file_name(reply), data)
        fsync_dir(folder)
    except OSError as exc:
        raise HubError(
            f"Could not write to the folder hub {hub.root} ({exc.strerror or exc}); "
            "the concerns not confirmed will be sent on the next sync."
        ) from None


def read_concerns(hub: FolderHub, now: dt.datetime) -> HubConcerns:
    """Every concern in the hub this reader believes, with replies; the rest, with reasons."""
    index = hub.open_index()
    try:
        assert hub.marker is not None
        index.refresh(hub.root, hub.marker, now.date())
        bound = {
            r[0]: (r[1], r[2])
            for r in index.conn.execute(
                "SELECT b.audit_id, b.signer, r.team FROM bindings b"
                " JOIN results r ON r.audit_id = b.audit_id"
            )
        }
        trust = index.trust
    finally:
        index.close()
    out = HubConcerns()
    names = _names(hub.root / CONCERNS_DIR, out)
    latest = now + dt.timedelta(days=1)
    replies: list[tuple[str, ConcernReply, str]] = []
    for name in names:
        path = hub.root / CONCERNS_DIR / name
        shown = f"{CONCERNS_DIR}/{name}"
        if match := CONCERN_NAME.match(name):
            opened = _open_concern(path, match, hub.demo, latest, bound)
            if isinstance(opened, str):
                out.refused.append((shown, opened))
            else:
                out.concerns[opened.record.concern_id] = opened
        elif match := RESPONSE_NAME.match(name):
            got = _open_reply(path, match)
            if isinstance(got, str):
                out.refused.append((shown, got))
            else:
                replies.append((shown, *got))
    for shown, reply, signer in sorted(replies, key=lambda r: (r[1].at, r[0])):
        problem = _apply(out.concerns.get(reply.concern_id), reply, signer, trust, latest)
        if problem is not None:
            out.refused.append((shown, problem))
    return out


def _names(folder: Path, out: HubConcerns) -> list[str]:
    return listed_names(folder, CONCERNS_DIR, MAX_FILES, out.refused)


def _open_concern(
    path: Path,
    match: re.Match[str],
    demo_hub: bool,
    latest: dt.datetime,
    bound: dict[str, tuple[str, str]],
) -> HubConcern | str:
    data = read_json(path, cap=MAX_RECORD_BYTES)
    if isinstance(data, Problem):
        return str(data)
    opened = unseal(data, "concern")
    if isinstance(opened, str):
        return opened
    record, signer = opened
    try:
        concern = ConcernRecord.model_validate(record)
    except ValidationError as exc:
        return schema_problem(exc, "safeguarding concern")
    if concern.concern_id != match.group(1):
        return f"holds concern {concern.concern_id!r}, not the one its name says"
    if concern.demo != demo_hub:
        return (
            "a demo audit's concern in a real hub"
            if concern.demo
            else "a real concern in a demo hub"
        )
    if _utc(concern.raised_at) > latest:
        return f"raised on {concern.raised_at.date()}, a date still to come"
    if concern.audit_id in bound:
        key, team = bound[concern.audit_id]
        if key != signer:
            return (
                f"signed by key {short(signer)}, not by key {short(key)} that signed "
                f"audit {concern.audit_id}"
            )
        if team != concern.team:
            return f"names team {concern.team!r}, but its audit is team {team!r}'s"
    return HubConcern(concern, signer)


def _open_reply(path: Path, match: re.Match[str]) -> tuple[ConcernReply, str] | str:
    data = read_json(path, cap=MAX_RECORD_BYTES)
    if isinstance(data, Problem):
        return str(data)
    opened = unseal(data, "concern-reply")
    if isinstance(opened, str):
        return opened
    record, signer = opened
    try:
        reply = ConcernReply.model_validate(record)
    except ValidationError as exc:
        return schema_problem(exc, "response to a concern")
    if reply.concern_id != match.group(1) or reply.kind != match.group(2):
        return "holds another concern's reply than its name says"
    if reply.kind == "response" and reply.outcome is None:
        return "a response without an outcome"
    return reply, signer


def _apply(
    concern: HubConcern | None, reply: ConcernReply, signer: str, trust: Any, latest: dt.datetime
) -> str | None:
    """Record a believed reply on its concern (replies come earliest first); else why not."""
    if concern is None:
        return f"a reply to concern {reply.concern_id}, which this hub does not hold or believe"
    if signer != concern.signer and not trust.allows(signer, concern.record.team):
        return (
            f"signed by key {short(signer)}, which the hub's trust file does not allow to "
            f"respond for team {concern.record.team!r}"
        )
    at = _utc(reply.at)
    if at < _utc(concern.record.raised_at) or at > latest:
        return f"dated {reply.at.isoformat()}, before the concern was raised or still to come"
    if concern.acknowledged_at is None:
        concern.acknowledged_at = at
    if reply.kind == "response" and concern.responded_at is None:
        concern.outcome = reply.outcome
        concern.responded_by = reply.by
        concern.responded_at = at
    return None


def _utc(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
