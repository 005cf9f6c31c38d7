"""Case references never leave the machine: a keyed hash stands in for them.

A hub must be able to group one child's audits (a deep dive and last
month's dip sample of the same case) without learning who the child is.
HMAC-SHA256 under a secret organisation key does that: the same reference
gives the same key everywhere the organisation's key file is installed, and
without the key nobody can test a guessed reference against the hub.

The key file is made on first use, owner-only (0600), created complete or
not at all (written to a temporary file, then hard-linked into place, so
two auditui processes starting together agree on one key).
"""

from __future__ import annotations

import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from auditui.errors import ConfigError

KEY_BYTES = 32


@dataclass(frozen=True)
class OrganisationKey:
    secret: bytes
    path: Path
    warning: str | None = None
    """Set when the key file can be read by other users."""

    def case_key(self, case_ref: str) -> str:
        """Hex HMAC-SHA256 of a case reference, trimmed and upper-cased (`cin-1` = `CIN-1`)."""
        message = case_ref.strip().upper().encode("utf-8")
        return hmac.digest(self.secret, message, "sha256").hex()


def load_or_create_key(path: Path) -> OrganisationKey:
    """The organisation key at ``path``, creating a new random one if there is none."""
    path = path.expanduser()
    if not path.exists():
        _create(path)
    try:
        text = path.read_text(encoding="ascii").strip()
        mode = stat.S_IMODE(path.stat().st_mode)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The hub key file {path} cannot be read ({exc}).") from None
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) < KEY_BYTES:
        raise ConfigError(
            f"The hub key file {path} is not a key (it must hold {KEY_BYTES * 2} or more hex "
            "digits); restore the organisation's key file."
        )
    warning = None
    if mode & 0o077:
        warning = (
            f"The hub key file {path} can be read by other users (mode {mode:o}); "
            f"run: chmod 600 '{path}'"
        )
    return OrganisationKey(secret, path, warning)


def _create(path: Path) -> None:
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            os.write(fd, (secrets.token_hex(KEY_BYTES) + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another process made the key first; use theirs
        finally:
            os.unlink(temp)
    except OSError as exc:
        raise ConfigError(f"Cannot create the hub key file {path}: {exc.strerror}.") from None
