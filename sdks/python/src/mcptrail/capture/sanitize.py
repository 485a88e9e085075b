"""A JSON-safe copy of a payload, within the wire limits (docs/sdk.md, "What is redacted").

One walk: sensitive keys redacted, binary content stubbed, long strings and arrays
clipped, nesting capped, cycles cut, keys the collector refuses dropped, and the
whole capped at ``max_bytes`` of JSON. The walk is copy-on-write: a value that
needs no change comes back as it is (when sharing is allowed), so the common
clean payload costs no allocation.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from .._limits import FORBIDDEN_KEYS, MAX_PAYLOAD_BYTES
from .redact import REDACTED, SensitiveKeyTest

WIRE_MAX_PAYLOAD_BYTES = MAX_PAYLOAD_BYTES
DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024
MAX_DEPTH = 12
MAX_STRING_CHARS = 8 * 1024
MAX_ARRAY_ITEMS = 200
_BINARY_TYPES = frozenset({"image", "audio"})


@dataclass(frozen=True)
class SanitizeOptions:
    is_sensitive: SensitiveKeyTest
    max_bytes: int
    #: Return unchanged values uncopied: safe when nothing can mutate the event
    #: between building and serializing it (no ``redact`` hook).
    share_clean: bool = False


class _Walk:
    __slots__ = ("size", "budget", "over", "path", "options")

    def __init__(self, options: SanitizeOptions) -> None:
        self.size = 0
        self.budget = options.max_bytes
        self.over = False
        self.path: set[int] = set()
        self.options = options


def base64_bytes(data: str) -> int:
    """Decoded size of base64 text."""
    padding = 2 if data.endswith("==") else 1 if data.endswith("=") else 0
    return max(0, len(data) * 3 // 4 - padding)


def _binary_stub(value: dict[str, Any]) -> dict[str, Any] | None:
    kind = value.get("type")
    if isinstance(kind, str) and kind in _BINARY_TYPES and isinstance(value.get("data"), str):
        return {"type": kind, "mimeType": value.get("mimeType"), "omitted": "binary", "bytes": base64_bytes(value["data"])}
    blob = value.get("blob")
    if isinstance(blob, str):
        return {"uri": value.get("uri"), "mimeType": value.get("mimeType"), "omitted": "binary", "bytes": base64_bytes(blob)}
    return None


_MISSING = object()


def _walk(value: Any, depth: int, state: _Walk) -> Any:
    """The sanitized value; ``_MISSING`` for what JSON cannot hold (dropped from objects).

    Dispatches on the exact type first: payloads are almost all plain JSON types.
    """
    if state.over:
        return _MISSING
    kind = type(value)
    if kind is str:
        if len(value) > MAX_STRING_CHARS:
            value = f"{value[:MAX_STRING_CHARS]}…[{len(value) - MAX_STRING_CHARS} more chars]"
        state.size += len(value) + 2
        if state.size > state.budget:
            state.over = True
        return value
    if kind is int or kind is bool or value is None:
        state.size += 8
        return value
    if kind is float:
        state.size += 8
        return value if math.isfinite(value) else None
    if depth >= MAX_DEPTH:
        return "[max depth]"
    if kind is dict or kind is list or isinstance(value, (dict, list, tuple)):
        key = id(value)
        if key in state.path:
            return "[circular]"
        if isinstance(value, dict) and ("blob" in value or "data" in value):
            stub = _binary_stub(value)
            if stub is not None:
                state.size += 64
                return stub
        state.path.add(key)
        try:
            return _walk_object(value, depth, state) if isinstance(value, dict) else _walk_array(value, depth, state)
        finally:
            state.path.discard(key)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"omitted": "binary", "bytes": len(value)}
    # Subclasses of the plain types (IntEnum, str enums): their plain value.
    if isinstance(value, int):
        return _walk(int(value), depth, state)
    if isinstance(value, float):
        return _walk(float(value), depth, state)
    if isinstance(value, str):
        return _walk(str.__str__(value), depth, state)
    return _walk_other(value, depth, state)


def _walk_object(value: dict[Any, Any], depth: int, state: _Walk) -> dict[str, Any]:
    is_sensitive = state.options.is_sensitive
    changed = not state.options.share_clean or type(value) is not dict
    out: dict[str, Any] = {}
    for raw_key, item in value.items():
        if state.over:
            changed = True
            break
        key = raw_key if type(raw_key) is str else str(raw_key)
        if key in FORBIDDEN_KEYS:
            changed = True
            continue
        state.size += len(key) + 4
        if item is not None and is_sensitive(key):
            out[key] = REDACTED
            changed = True
            continue
        clean = _walk(item, depth + 1, state)
        if clean is not item:
            if clean is _MISSING:
                changed = True
                continue
            changed = True
        elif key is not raw_key:
            changed = True
        out[key] = clean
    return out if changed else value


def _walk_array(value: list[Any] | tuple[Any, ...], depth: int, state: _Walk) -> list[Any]:
    changed = not state.options.share_clean or type(value) is not list or len(value) > MAX_ARRAY_ITEMS
    out: list[Any] = []
    for item in value[:MAX_ARRAY_ITEMS] if len(value) > MAX_ARRAY_ITEMS else value:
        if state.over:
            changed = True
            break
        clean = _walk(item, depth + 1, state)
        if clean is not item:
            changed = True
            if clean is _MISSING:
                clean = None
        out.append(clean)
    if len(value) > MAX_ARRAY_ITEMS:
        out.append(f"…[{len(value) - MAX_ARRAY_ITEMS} more items]")
    state.size += 2 + len(out)
    return out if changed else value  # type: ignore[return-value]


def _walk_other(value: Any, depth: int, state: _Walk) -> Any:
    """Objects JSON has no form for: models by their JSON dump, the rest by their text."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        try:
            return _walk(dump(mode="json", by_alias=True, exclude_none=True), depth, state)
        except Exception:  # noqa: BLE001 - a model that cannot dump itself is shown as text
            pass
    if isinstance(value, (set, frozenset)):
        return _walk(list(value), depth, state)
    if callable(value):
        return _MISSING
    return _walk(str(value), depth, state)


def sanitize(value: Any, options: SanitizeOptions) -> Any:
    """A JSON-safe value within the limits; ``None`` for nothing to send."""
    if value is None:
        return None
    state = _Walk(options)
    copy = _walk(value, 0, state)
    if copy is _MISSING:
        return None
    if not state.over and state.size * 2 < options.max_bytes:
        return copy
    # Near or over the cap: measure exactly (escapes make JSON longer than the estimate).
    text = json.dumps(copy, ensure_ascii=False, separators=(",", ":"))
    # The collector measures JSON in UTF-16 units (an emoji is two).
    length = len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2
    if not state.over and length <= options.max_bytes:
        return copy
    return {"truncated": True, "limitBytes": options.max_bytes, "preview": text[: min(1024, options.max_bytes)]}


__all__ = ["DEFAULT_MAX_PAYLOAD_BYTES", "SanitizeOptions", "WIRE_MAX_PAYLOAD_BYTES", "base64_bytes", "sanitize"]
