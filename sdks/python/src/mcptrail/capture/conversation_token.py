"""The opt-in conversation token (docs/adr/0104), the same as the TypeScript SDK's.

The ``Mcp-Session-Id`` a stateless server answers ``initialize`` with, which
spec-following Streamable HTTP clients echo on every later request:
``mct1.<base64url JSON [id, name, version]>.<base64url 96-bit HMAC>``, visible
ASCII only. Signed, so any process of the fleet (TypeScript or Python) decodes
it without shared state and a client cannot pass off another client's name.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass

from .._ids import random_id
from .._text import utf8, utf16_slice
from .client_identity import ClientInfo
from .keyed_hash import KeyedHash, base64url, same_hash

PREFIX = "mct1"
PURPOSE = "mcptrail-conversation-token-v1"
#: Client names and versions kept in a token (UTF-16 units, as JavaScript slices them).
MAX_NAME = 128

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Conversation:
    id: str
    client: ClientInfo | None


def _json_like_javascript(value: list[str | None]) -> str:
    """``JSON.stringify``'s text: no spaces, non-ASCII as is, lone surrogates escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def encode_payload(fields: list[str | None]) -> str:
    return base64url(utf8(_json_like_javascript(fields)))


def issue_conversation_token(client: ClientInfo | None, keyed_hash: KeyedHash, conversation_id: str | None = None) -> tuple[str, Conversation]:
    conversation_id = conversation_id or random_id()
    name = utf16_slice(client.name, MAX_NAME) if client else None
    version = utf16_slice(client.version, MAX_NAME) if client and client.version is not None else None
    payload = encode_payload([conversation_id, name, version] if name else [conversation_id])
    token = f"{PREFIX}.{payload}.{keyed_hash(PURPOSE, payload)}"
    return token, Conversation(conversation_id, ClientInfo(name, version) if name else None)


def _from_base64url(text: str) -> str | None:
    try:
        data = base64.b64decode(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    return data.decode("utf-8", "replace")


def read_conversation_token(value: str | None, keyed_hash: KeyedHash) -> Conversation | None:
    """The conversation a request's ``Mcp-Session-Id`` names, if it is a token this key signed."""
    if not value or not value.startswith(PREFIX + "."):
        return None
    parts = value.split(".")
    if len(parts) != 3 or not parts[1] or not parts[2]:
        return None
    payload, mac = parts[1], parts[2]
    if not same_hash(keyed_hash(PURPOSE, payload), mac):
        return None
    text = _from_base64url(payload)
    try:
        fields = json.loads(text) if text is not None else None
    except ValueError:
        return None
    if not isinstance(fields, list) or not fields or not isinstance(fields[0], str):
        return None
    name = fields[1] if len(fields) > 1 and isinstance(fields[1], str) and fields[1] else None
    version = fields[2] if len(fields) > 2 and isinstance(fields[2], str) else None
    return Conversation(fields[0], ClientInfo(name, version) if name else None)
