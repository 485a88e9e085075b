"""HMAC-SHA256 keyed by a secret every process of the server shares (docs/adr/0104).

The same construction as the TypeScript SDK, byte for byte, so servers in both
languages of one fleet make the same fingerprints and read each other's
conversation tokens: ``HMAC-SHA256(secret, purpose + "\\0" + text)``, its first 96
bits as base64url without padding (16 characters).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable

from .._text import utf8

KeyedHash = Callable[[str, str], str]

_HASH_BYTES = 12


def base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def create_keyed_hash(secret: str) -> KeyedHash:
    key = utf8(secret)

    def keyed(purpose: str, text: str) -> str:
        message = utf8(f"{purpose}\0{text}")
        return base64url(hmac.new(key, message, hashlib.sha256).digest()[:_HASH_BYTES])

    return keyed


def same_hash(expected: str, given: str) -> bool:
    """Compares a hash an outsider sent with the expected one in constant time."""
    return hmac.compare_digest(utf8(expected), utf8(given))
