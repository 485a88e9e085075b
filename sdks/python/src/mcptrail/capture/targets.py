"""What a request is about, and which part of it is its arguments: tables by method."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Params = Mapping[str, Any] | None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _key(name: str) -> Callable[[Params], str | None]:
    return lambda params: _text(params.get(name)) if params else None


def _completion_ref(params: Params) -> str | None:
    ref = params.get("ref") if params else None
    if not isinstance(ref, Mapping):
        return None
    return _text(ref.get("name")) or _text(ref.get("uri"))


_TARGETS: dict[str, Callable[[Params], str | None]] = {
    "tools/call": _key("name"),
    "prompts/get": _key("name"),
    "resources/read": _key("uri"),
    "resources/subscribe": _key("uri"),
    "resources/unsubscribe": _key("uri"),
    "completion/complete": _completion_ref,
    "tasks/get": _key("taskId"),
    "tasks/result": _key("taskId"),
    "tasks/cancel": _key("taskId"),
    "logging/setLevel": _key("level"),
}

_ARGUMENTS: dict[str, str] = {"tools/call": "arguments", "prompts/get": "arguments", "completion/complete": "argument"}

#: Methods whose results are worth keeping (lists and handshakes are not).
_RESULT_METHODS = frozenset({"tools/call", "prompts/get", "resources/read", "completion/complete"})


def target_of(method: str, params: Params) -> str | None:
    extract = _TARGETS.get(method)
    return extract(params) if extract else None


def arguments_of(method: str, params: Params) -> Any:
    name = _ARGUMENTS.get(method)
    return params.get(name) if name and params else None


def keeps_result(method: str) -> bool:
    return method in _RESULT_METHODS
