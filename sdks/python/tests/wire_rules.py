"""The collector's acceptance rules for one wire event, in Python (docs/api.md).

Checked against every vector of packages/protocol/test-vectors/events.json (the
collector's own test checks the same file), then applied to every event the SDK
produces in these tests. Returns the field at fault, or None when valid.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timezone
from typing import Any

from mcptrail import _limits as L

_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))$", re.ASCII)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_MIN_MS = 946_684_800_000


def _text(value: Any, max_len: int, *, required: bool = False, non_empty: bool = False) -> bool:
    if value is None:
        return not required
    return isinstance(value, str) and len(value) <= max_len and (len(value) >= 1 or not non_empty)


def _payload_problem(value: Any, depth: int) -> bool:
    if isinstance(value, dict):
        if depth > L.MAX_DEPTH or any(k in L.FORBIDDEN_KEYS for k in value):
            return True
        return any(_payload_problem(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return depth > L.MAX_DEPTH or any(_payload_problem(v, depth + 1) for v in value)
    return False


def _payload_ok(value: Any) -> bool:
    if value is None:
        return True
    if _payload_problem(value, 1):
        return False
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2 <= L.MAX_PAYLOAD_BYTES


def _timestamp_ok(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return False
    if isinstance(value, str):
        match = _RFC3339.match(value)
        if not match or len(value) > 64:
            return False
        try:
            ms = datetime.fromisoformat(value.replace("z", "Z").replace("t", "T").replace("Z", "+00:00")).timestamp() * 1000
        except ValueError:
            return False
    else:
        if not math.isfinite(value):
            return False
        ms = value
    return _MIN_MS <= ms <= datetime.now(timezone.utc).timestamp() * 1000 + 24 * 3600 * 1000


def problem(event: Any) -> str | None:
    """The first field the collector would refuse, or None."""
    if not isinstance(event, dict):
        return "event"
    for holder in (event, *(event.get(k) for k in ("user", "client", "server", "error", "tags"))):
        if isinstance(holder, dict) and any(k in L.FORBIDDEN_KEYS for k in holder):
            return "forbidden key"
    checks: list[tuple[str, bool]] = [
        ("id", _text(event.get("id"), L.MAX_ID_LENGTH, required=True, non_empty=True)),
        ("timestamp", _timestamp_ok(event.get("timestamp"))),
        ("durationMs", event.get("durationMs") is None or (isinstance(event["durationMs"], (int, float)) and not isinstance(event["durationMs"], bool) and 0 <= event["durationMs"] <= 1e10)),
        ("method", _text(event.get("method"), L.MAX_NAME_LENGTH, required=True, non_empty=True)),
        ("target", _text(event.get("target"), L.MAX_TARGET_LENGTH)),
        ("sessionId", _text(event.get("sessionId"), L.MAX_ID_LENGTH)),
        ("clientFingerprint", _text(event.get("clientFingerprint"), L.MAX_ID_LENGTH)),
        ("conversationId", _text(event.get("conversationId"), L.MAX_ID_LENGTH)),
        ("protocolVersion", _text(event.get("protocolVersion"), L.MAX_NAME_LENGTH)),
        ("transport", _text(event.get("transport"), L.MAX_NAME_LENGTH)),
        ("isError", event.get("isError") is None or isinstance(event["isError"], bool)),
    ]
    user, client, server, error, tags = (event.get(k) for k in ("user", "client", "server", "error", "tags"))
    if user is not None:
        checks += [("user", isinstance(user, dict)), ("user.id", isinstance(user, dict) and _text(user.get("id"), L.MAX_ID_LENGTH, required=True, non_empty=True)),
                   ("user.name", isinstance(user, dict) and _text(user.get("name"), L.MAX_TARGET_LENGTH)), ("user.data", isinstance(user, dict) and _payload_ok(user.get("data")))]
    for name, holder in (("client", client), ("server", server)):
        if holder is not None:
            checks += [(f"{name}.name", isinstance(holder, dict) and _text(holder.get("name"), L.MAX_NAME_LENGTH, required=True)),
                       (f"{name}.version", isinstance(holder, dict) and _text(holder.get("version"), L.MAX_NAME_LENGTH))]
    if client is not None:
        checks.append(("client.source", isinstance(client, dict) and _text(client.get("source"), L.MAX_NAME_LENGTH)))
    if error is not None:
        code = error.get("code") if isinstance(error, dict) else None
        checks += [("error.message", isinstance(error, dict) and _text(error.get("message"), L.MAX_MESSAGE_LENGTH, required=True)),
                   ("error.type", isinstance(error, dict) and _text(error.get("type"), L.MAX_NAME_LENGTH)),
                   ("error.stack", isinstance(error, dict) and _text(error.get("stack"), L.MAX_STACK_LENGTH)),
                   ("error.code", code is None or (isinstance(code, (int, float)) and not isinstance(code, bool)) or _text(code, L.MAX_NAME_LENGTH))]
    if tags is not None:
        checks.append(("tags", isinstance(tags, dict) and len(tags) <= L.MAX_TAGS and all(
            isinstance(k, str) and 1 <= len(k) <= L.MAX_TAG_KEY_LENGTH and _text(v, L.MAX_TAG_VALUE_LENGTH, required=True) for k, v in tags.items())))
    properties = event.get("properties")
    checks += [("arguments", _payload_ok(event.get("arguments"))), ("result", _payload_ok(event.get("result"))),
               ("properties", properties is None or (isinstance(properties, dict) and _payload_ok(properties)))]
    for field, ok in checks:
        if not ok:
            return field
    stored_as_text = [event.get(k) for k in ("id", "method", "target", "sessionId", "clientFingerprint", "conversationId", "protocolVersion", "transport")]
    stored_as_text += [h.get(k) for h in (user, client, server, error) if isinstance(h, dict) for k in ("id", "name", "version", "type", "message", "stack")]
    if any(isinstance(t, str) and _UNSTORABLE.search(t) for t in stored_as_text):
        return "text"
    return None
