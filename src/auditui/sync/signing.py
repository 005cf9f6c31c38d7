"""Each machine's own Ed25519 key: who wrote a record in a folder hub.

Anyone who can write to a shared drive can drop a file in a folder hub, so a
file's name and content prove nothing about who made it. Every record this
machine writes there (a graded result, an action change, the QA lead's trust
file) is *sealed*: wrapped with this machine's public key and an Ed25519
signature over the record's canonical bytes. A reader believes a sealed
record only when the signature holds and the key is one it has reason to
trust (the key that signed the audit's first revision, or one the QA lead's
trust file lists); see ``folder_judge.py``.

The private key is made on first use, owner-only (0600), in the user data
directory; it never leaves the machine, so a database copied to another
machine signs with that machine's key, not its owner's.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditui.errors import ConfigError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_HEX = 64
"""An Ed25519 key (public or private) is 32 bytes: 64 hex digits."""
SIGNATURE_HEX = 128
DOMAIN = b"auditui-signed-record/1\n"
"""Signed bytes start with this and the record's kind, so a signature over one kind of
record (a result) can never be passed off as another (a trust file)."""
KINDS = ("graded-result", "action-state", "trust", "concern", "concern-reply")


def canonical(record: Any) -> bytes:
    """Canonical bytes: the same record always gives the same bytes (and the same file)."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _message(kind: str, body: bytes) -> bytes:
    return DOMAIN + kind.encode("ascii") + b"\n" + body


@dataclass(frozen=True)
class MachineKey:
    """This machine's signing key."""

    secret: bytes
    path: Path
    warning: str | None = None

    @functools.cached_property
    def _private(self) -> Ed25519PrivateKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.secret)

    @functools.cached_property
    def public_hex(self) -> str:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        public = self._private.public_key()
        return public.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()

    def seal(self, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        """The sealed form of ``record``: what a folder hub file holds."""
        signature = self._private.sign(_message(kind, canonical(record)))
        return {
            "kind": kind,
            "record": record,
            "signer": self.public_hex,
            "signature": signature.hex(),
        }


def unseal(data: Any, kind: str) -> tuple[dict[str, Any], str] | str:
    """(record, signer's public key) of a sealed record, or the reason it is not believed."""
    if not isinstance(data, dict) or set(data) != {"kind", "record", "signer", "signature"}:
        return "not signed (written by an older auditui, or by hand)"
    if data["kind"] != kind:
        return f"a signed {str(data['kind'])[:40]!r} record, not a {kind}"
    signer, signature, record = data["signer"], data["signature"], data["record"]
    if not (_is_hex(signer, KEY_HEX) and _is_hex(signature, SIGNATURE_HEX)):
        return "its signature or signer key is not well formed"
    if not isinstance(record, dict):
        return "its signed record is not a record"
    if not verify(signer, kind, canonical(record), signature):
        return "its signature does not match its content (edited after it was signed, or forged)"
    return record, signer


def verify(public_hex: str, kind: str, body: bytes, signature_hex: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        public.verify(bytes.fromhex(signature_hex), _message(kind, body))
    except (InvalidSignature, ValueError):
        return False
    return True


def _is_hex(value: Any, length: int) -> bool:
    return (
        isinstance(value, str)
        and len(value) == length
        and all(c in "0123456789abcdef" for c in value)
    )


def short(public_hex: str) -> str:
    """How a key is named in messages: its first 16 hex digits."""
    return public_hex[:16]


def load_or_create_machine_key(path: Path) -> MachineKey:
    """This machine's signing key at ``path``, made (owner-only) on first use."""
    path = path.expanduser()
    if not path.exists():
        _create(path)
    try:
        text = path.read_text(encoding="ascii").strip()
        mode = stat.S_IMODE(path.stat().st_mode)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The signing key file {path} cannot be read ({exc}).") from None
    if not _is_hex(text, KEY_HEX):
        raise ConfigError(
            f"The signing key file {path} is not a key ({KEY_HEX} hex digits); it was damaged. "
            "Move it away: a new key is made on the next sync, and the QA lead must trust "
            "the new key again."
        )
    warning = None
    if mode & 0o077:
        warning = (
            f"The signing key file {path} can be read by other users (mode {mode:o}), who could "
            f"sign records as you; run: chmod 600 '{path}'"
        )
    return MachineKey(bytes.fromhex(text), path, warning)


def _create(path: Path) -> None:
    """Complete or not at all: a temporary file hard-linked into place, so two processes
    starting together agree on one key."""
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            os.write(fd, (secrets.token_bytes(32).hex() + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temp)
    except OSError as exc:
        raise ConfigError(f"Cannot create the signing key file {path}: {exc.strerror}.") from None
