"""Pure: one observed request (and its user, if identified) → one wire event.

Fields with nothing to say are left out rather than sent as null: every byte is
queued, sent and parsed. Names, messages and stacks are clipped to the wire
limits (``_limits.py``, checked against the protocol's test vectors).
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._limits import (
    FORBIDDEN_KEYS,
    MAX_ID_LENGTH,
    MAX_MESSAGE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_STACK_LENGTH,
    MAX_TAG_KEY_LENGTH,
    MAX_TAG_VALUE_LENGTH,
    MAX_TAGS,
    MAX_TARGET_LENGTH,
)
from .._text import clip
from .client_identity import ClientInfo
from .identify import UserIdentity
from .sanitize import SanitizeOptions, sanitize
from .targets import arguments_of, keeps_result, target_of

WireEvent = dict[str, Any]


@dataclass(frozen=True)
class CaptureConfig:
    arguments: bool
    results: bool
    sanitize: SanitizeOptions


@dataclass
class ObservedRequest:
    """One finished request, as the adapter reports it."""

    method: str
    params: Mapping[str, Any] | None
    #: Epoch ms at arrival.
    timestamp: float
    duration_ms: float
    #: False: the handler raised (a JSON-RPC error answer).
    ok: bool
    #: The result, or what was raised.
    outcome: Any
    #: Only with a real transport session (docs/sdk.md).
    session_id: str | None
    conversation_id: str | None
    client: ClientInfo | None
    client_fingerprint: str | None
    server: tuple[str, str | None] | None
    protocol_version: str | None
    transport: str | None


def _error_code(error: BaseException) -> int | str | None:
    """A JSON-RPC error's code (``MCPError.error.code``), or an exception's own ``code``."""
    for holder in (getattr(error, "error", None), error):
        code = getattr(holder, "code", None)
        if isinstance(code, bool):
            continue
        if isinstance(code, int):
            return code
        if isinstance(code, str):
            return clip(code, MAX_NAME_LENGTH)
    return None


def _error_message(error: BaseException) -> str:
    message = getattr(getattr(error, "error", None), "message", None)
    return message if isinstance(message, str) else str(error) or type(error).__name__


def error_from_raised(error: Any) -> dict[str, Any]:
    if not isinstance(error, BaseException):
        return {"type": clip(type(error).__name__, MAX_NAME_LENGTH), "message": clip(str(error), MAX_MESSAGE_LENGTH)}
    out: dict[str, Any] = {
        "type": clip(type(error).__name__, MAX_NAME_LENGTH),
        "message": clip(_error_message(error), MAX_MESSAGE_LENGTH),
    }
    code = _error_code(error)
    if code is not None:
        out["code"] = code
    if error.__traceback__ is not None:
        out["stack"] = clip("".join(traceback.format_exception(error)), MAX_STACK_LENGTH)
    return out


def _error_from_result(result: Mapping[str, Any]) -> dict[str, Any]:
    """A tool result with ``isError: true``: its first text block is the message."""
    content = result.get("content")
    blocks = content if isinstance(content, list) else []
    text = next((b["text"] for b in blocks if isinstance(b, Mapping) and isinstance(b.get("text"), str)), None)
    return {"type": "ToolError", "message": clip(text if text is not None else "tool returned isError", MAX_MESSAGE_LENGTH)}


def clean_tags(tags: Any) -> dict[str, str] | None:
    if not isinstance(tags, Mapping):
        return None
    out: dict[str, str] = {}
    for key, value in tags.items():
        if len(out) >= MAX_TAGS:
            break
        if not isinstance(key, str) or not key or key in FORBIDDEN_KEYS or value is None:
            continue
        out[clip(key, MAX_TAG_KEY_LENGTH)] = clip(str(value), MAX_TAG_VALUE_LENGTH)
    return out or None


def build_event(event_id: str, observed: ObservedRequest, user: UserIdentity | None, capture: CaptureConfig) -> WireEvent:
    method, params, outcome = observed.method, observed.params, observed.outcome
    result = outcome if observed.ok and isinstance(outcome, Mapping) else None
    tool_error = result is not None and result.get("isError") is True
    event: WireEvent = {
        "id": event_id,
        "timestamp": int(observed.timestamp),
        "durationMs": max(0.0, round(observed.duration_ms, 3)),
        "method": clip(method, MAX_NAME_LENGTH),
        "isError": not observed.ok or tool_error,
    }
    target = target_of(method, params)
    if target is not None:
        event["target"] = clip(target, MAX_TARGET_LENGTH)
    if observed.session_id:
        event["sessionId"] = clip(observed.session_id, MAX_ID_LENGTH)
    if observed.conversation_id:
        event["conversationId"] = observed.conversation_id
    if observed.client_fingerprint:
        event["clientFingerprint"] = observed.client_fingerprint
    if user is not None:
        wire_user: dict[str, Any] = {"id": clip(user.user_id, MAX_ID_LENGTH)}
        if user.user_name:
            wire_user["name"] = clip(user.user_name, MAX_TARGET_LENGTH)
        data = sanitize(user.user_data, capture.sanitize)
        if data is not None:
            wire_user["data"] = data
        event["user"] = wire_user
    client = observed.client
    if client is not None:
        wire_client: dict[str, Any] = {"name": clip(client.name, MAX_NAME_LENGTH)}
        if client.version:
            wire_client["version"] = clip(client.version, MAX_NAME_LENGTH)
        # Absent means clientInfo on the wire: the common case costs no bytes.
        if client.source != "clientInfo":
            wire_client["source"] = client.source
        event["client"] = wire_client
    if observed.server is not None and observed.server[0]:
        name, version = observed.server
        event["server"] = {"name": clip(name, MAX_NAME_LENGTH), "version": clip(version, MAX_NAME_LENGTH)} if version else {"name": clip(name, MAX_NAME_LENGTH)}
    if observed.protocol_version:
        event["protocolVersion"] = clip(observed.protocol_version, MAX_NAME_LENGTH)
    if observed.transport:
        event["transport"] = observed.transport
    if not observed.ok:
        event["error"] = error_from_raised(outcome)
    elif tool_error and result is not None:
        event["error"] = _error_from_result(result)
    if capture.arguments:
        arguments = sanitize(arguments_of(method, params), capture.sanitize)
        if arguments is not None:
            event["arguments"] = arguments
    if capture.results and observed.ok and keeps_result(method):
        kept = sanitize(outcome, capture.sanitize)
        if kept is not None:
            event["result"] = kept
    return event
