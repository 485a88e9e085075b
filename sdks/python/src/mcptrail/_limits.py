"""Caps the collector enforces (packages/protocol/src/limits.ts, docs/api.md).

Checked against ``packages/protocol/test-vectors/events.json`` by the tests, so a
change on either side fails one of them. Text lengths are UTF-16 code units, as
the collector (JavaScript) counts them.
"""

from __future__ import annotations

MAX_EVENTS_PER_BATCH = 1000
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_ID_LENGTH = 256
MAX_NAME_LENGTH = 256
MAX_TARGET_LENGTH = 2048
MAX_MESSAGE_LENGTH = 16 * 1024
MAX_STACK_LENGTH = 32 * 1024
MAX_PAYLOAD_BYTES = 256 * 1024
MAX_DEPTH = 32
MAX_TAGS = 64
MAX_TAG_KEY_LENGTH = 128
MAX_TAG_VALUE_LENGTH = 1024
MAX_DROPPED_TOTAL = 1_000_000_000_000
FORBIDDEN_KEYS = frozenset({"__proto__", "constructor", "prototype"})
