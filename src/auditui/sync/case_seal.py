"""A case reference sealed for the organisation's auditors: readable only with its key.

A plan item or a moderation allocation must reach the auditor's machine
with the case reference they are to audit, but the hub (a shared folder, the
``auditui_reader`` role) must never hold it in clear. AES-256-GCM under a key
derived from the organisation key (HKDF-SHA256, its own ``info`` so the
derived key is used for nothing else; the nonce derived from the record and
the reference, so a re-sync writes the same bytes) does that: anyone without the key
file sees random bytes; with it the reference comes back, and any edit to
the sealed text, or moving it to another record, makes it fail to open
(the record's id is the associated data). The pseudonym (``case_key``)
travels alongside for readers that only group.

    sealed = "aesgcm1:" + base64url(12-byte nonce + ciphertext and tag)
"""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass

from auditui.sync.pseudonym import OrganisationKey

PREFIX = "aesgcm1:"
NONCE_BYTES = 12
MAX_SEALED_CHARS = 1_000
_INFO = b"auditui case reference seal v1"


@dataclass(frozen=True)
class CaseSeal:
    """Seals and opens case references under one organisation key."""

    key: bytes

    @classmethod
    def of(cls, organisation: OrganisationKey) -> CaseSeal:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
        return cls(derived.derive(organisation.secret))

    def seal(self, case_ref: str, record_id: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        # The nonce is derived from what is sealed, so sealing the same reference for the
        # same record again gives the same text (a re-sync rewrites no file); two different
        # (record, reference) pairs never share a nonce.
        message = record_id.encode() + b"\0" + case_ref.encode("utf-8")
        nonce = hmac.digest(self.key, message, "sha256")[:NONCE_BYTES]
        sealed = AESGCM(self.key).encrypt(nonce, case_ref.encode("utf-8"), record_id.encode())
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, sealed: str, record_id: str) -> str | None:
        """The case reference, or None when ``sealed`` was not sealed for this record with
        this organisation's key (another organisation, edited, moved, or not sealed at all)."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not sealed.startswith(PREFIX) or len(sealed) > MAX_SEALED_CHARS:
            return None
        try:
            raw = base64.urlsafe_b64decode(sealed[len(PREFIX) :].encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            return None
        if len(raw) <= NONCE_BYTES:
            return None
        try:
            plain = AESGCM(self.key).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], record_id.encode()
            )
            return plain.decode("utf-8")
        except (InvalidTag, UnicodeDecodeError):
            return None
