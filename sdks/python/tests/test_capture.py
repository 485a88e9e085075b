"""The pure parts: redaction and clipping, the session table, client identity, event building."""

from __future__ import annotations

import base64
import json
import random
from typing import Any

import pytest

from mcptrail._text import clip
from mcptrail.capture.build_event import CaptureConfig, ObservedRequest, build_event, clean_tags
from mcptrail.capture.client_identity import ClientInfo, resolve_client
from mcptrail.capture.identify import UserIdentity, valid_user
from mcptrail.capture.redact import sensitive_key_test
from mcptrail.capture.sanitize import DEFAULT_MAX_PAYLOAD_BYTES, SanitizeOptions, sanitize
from mcptrail.capture.session import decide_session
from tests.wire_rules import problem

OPTIONS = SanitizeOptions(sensitive_key_test(), DEFAULT_MAX_PAYLOAD_BYTES)


def test_sensitive_keys_are_redacted_at_any_depth_and_look_alikes_kept() -> None:
    value = {"user": "ada", "password": "p", "nested": [{"apiKey": "k", "X-Api-Key": "k", "accessToken": "t", "maxTokens": 5, "cookie": "c", "Authorization": "Bearer x"}]}
    assert sanitize(value, OPTIONS) == {
        "user": "ada", "password": "[redacted]",
        "nested": [{"apiKey": "[redacted]", "X-Api-Key": "[redacted]", "accessToken": "[redacted]", "maxTokens": 5, "cookie": "[redacted]", "Authorization": "[redacted]"}],
    }
    extra = SanitizeOptions(sensitive_key_test(["email"]), DEFAULT_MAX_PAYLOAD_BYTES)
    assert sanitize({"ssn2": 1, "email": "a@b"}, extra) == {"ssn2": 1, "email": "[redacted]"}
    assert value["password"] == "p"  # copied, never mutated


def test_binary_content_becomes_a_stub_with_its_size() -> None:
    data = base64.b64encode(bytes(3000)).decode()
    assert sanitize({"content": [{"type": "image", "data": data, "mimeType": "image/png"}, {"type": "text", "text": "hi"}]}, OPTIONS) == {
        "content": [{"type": "image", "mimeType": "image/png", "omitted": "binary", "bytes": 3000}, {"type": "text", "text": "hi"}]}
    assert sanitize({"contents": [{"uri": "file:///a.bin", "blob": data}]}, OPTIONS) == {"contents": [{"uri": "file:///a.bin", "mimeType": None, "omitted": "binary", "bytes": 3000}]}
    assert sanitize(b"raw", OPTIONS) == {"omitted": "binary", "bytes": 3}


def test_prototype_keys_cycles_depth_and_odd_values() -> None:
    cyclic: dict[str, Any] = {"a": 1}
    cyclic["self"] = cyclic
    assert sanitize(cyclic, OPTIONS) == {"a": 1, "self": "[circular]"}
    assert sanitize({"__proto__": {"x": 1}, "constructor": 2, "ok": 3}, OPTIONS) == {"ok": 3}
    deep: Any = "bottom"
    for _ in range(100):
        deep = {"d": deep}
    assert "[max depth]" in json.dumps(sanitize(deep, OPTIONS))
    assert sanitize({"nan": float("nan"), "tuple": (1, 2), "set": {3}, 4: "int key", "fn": len}, OPTIONS) == {"nan": None, "tuple": [1, 2], "set": [3], "4": "int key"}


def test_payloads_are_capped_and_shared_only_when_clean() -> None:
    big = {"rows": [{"i": i, "text": "x" * 1000} for i in range(150)]}
    out = sanitize(big, OPTIONS)
    assert out["truncated"] is True and out["limitBytes"] == DEFAULT_MAX_PAYLOAD_BYTES and len(json.dumps(out)) < DEFAULT_MAX_PAYLOAD_BYTES
    clean = {"content": [{"type": "text", "text": "hi"}], "n": 1, "ok": True, "none": None}
    sharing = SanitizeOptions(OPTIONS.is_sensitive, OPTIONS.max_bytes, share_clean=True)
    assert sanitize(clean, sharing) is clean
    assert sanitize(clean, OPTIONS) is not clean and sanitize(clean, OPTIONS) == clean
    assert sanitize({"token": "x"}, sharing) == {"token": "[redacted]"}


def random_json(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(7 if depth < 40 else 4)
    if kind == 0:
        return rng.choice(["", "a", "é😀", "x" * rng.randrange(10_000), "\x00", "\ud800"])
    if kind == 1:
        return rng.choice([0, -1, 2**70, 1.5, float("inf")])
    if kind == 2:
        return rng.choice([True, False])
    if kind == 3:
        return None
    if kind == 4:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4 if depth else 300))]
    return {rng.choice(["k", "password", "__proto__", "data", "type", f"k{depth}"]): random_json(rng, depth + 1) for _ in range(rng.randrange(5))}


def test_sanitized_payloads_always_fit_the_wire_and_sharing_never_changes_the_result() -> None:
    rng = random.Random(7)
    sharing = SanitizeOptions(OPTIONS.is_sensitive, 4096, share_clean=True)
    copying = SanitizeOptions(OPTIONS.is_sensitive, 4096)
    for _ in range(300):
        value = random_json(rng, 0)
        out = sanitize(value, copying)
        assert json.dumps(sanitize(value, sharing)) == json.dumps(out)
        assert problem({"id": "e", "timestamp": 1714557600000, "method": "m", "arguments": out}) is None
        assert len(json.dumps(out, ensure_ascii=False)) <= max(4096, 1200)


@pytest.mark.parametrize(
    ("forced", "modern", "http", "session_id", "expected"),
    [
        (True, False, False, "s1", (True, None)),  # 1: forced stateless
        (None, True, False, "s1", (True, None)),  # 2: a 2026-07-28 request
        (False, True, True, "s1", (False, "s1")),  # 2 does not apply when forced stateful
        (None, False, True, "s1", (False, "s1")),  # 3: a transport session
        (False, False, True, None, (False, "conn")),  # 4: forced stateful, per connection
        (None, False, True, None, (True, None)),  # 5: HTTP without a session
        (None, False, False, None, (False, "conn")),  # 6: stdio, in-memory
    ],
)
def test_the_session_table(forced: bool | None, modern: bool, http: bool, session_id: str | None, expected: tuple[bool, str | None]) -> None:
    decision = decide_session(forced, modern, http, session_id, lambda: "conn")
    assert (decision.stateless, decision.session_id) == expected


def test_client_identity_first_found_wins() -> None:
    envelope = {"io.modelcontextprotocol/clientInfo": {"name": "claude-ai", "version": "1.0"}}
    headers = {"x-mcp-client-name": "HeaderClient", "x-mcp-client-version": "2", "user-agent": "Cursor/1.7.2 (darwin)"}
    token = ClientInfo("from-token", "4")
    assert resolve_client(envelope, {"name": "init", "version": "3"}, token, headers.get) == ClientInfo("claude-ai", "1.0")
    assert resolve_client(None, {"name": "init", "version": "3"}, token, headers.get) == ClientInfo("init", "3")
    assert resolve_client(None, None, token, headers.get) == token
    assert resolve_client(None, None, None, headers.get) == ClientInfo("HeaderClient", "2", "header")
    assert resolve_client(None, None, None, {"user-agent": "Cursor/1.7.2 (darwin)"}.get) == ClientInfo("Cursor", "1.7.2", "userAgent")
    assert resolve_client(None, None, None, {"user-agent": "python-httpx2/2.16"}.get) is None


def test_text_is_clipped_to_the_wire_and_made_storable() -> None:
    assert clip("a\x00b\ud800", 10) == "a\ufffdb\ufffd"
    assert clip("😀" * 300, 256) == "😀" * 256
    assert clean_tags({"env": "prod", "": "x", "constructor": "y", "n": 5, "none": None, "k" * 200: "v" * 2000}) == {"env": "prod", "n": "5", "k" * 128: "v" * 1024}


def test_identify_answers_are_checked() -> None:
    assert valid_user({"user_id": 42, "user_name": 7}) == UserIdentity("42", None)
    assert valid_user({"user_name": "no id"}) is None
    assert valid_user(None) is None


def observed(**changes: Any) -> ObservedRequest:
    base: dict[str, Any] = dict(method="tools/call", params={"name": "t", "arguments": {"q": 1}}, timestamp=1714557600000.4, duration_ms=1.23456, ok=True,
                                outcome={"content": [{"type": "text", "text": "ok"}]}, session_id=None, conversation_id=None, client=None,
                                client_fingerprint=None, server=("srv", None), protocol_version=None, transport="stdio")
    return ObservedRequest(**{**base, **changes})


CAPTURE = CaptureConfig(True, True, OPTIONS)


def test_events_say_only_what_is_known() -> None:
    event = build_event("e1", observed(), None, CAPTURE)
    assert event == {"id": "e1", "timestamp": 1714557600000, "durationMs": 1.235, "method": "tools/call", "isError": False, "target": "t",
                     "server": {"name": "srv"}, "transport": "stdio", "arguments": {"q": 1}, "result": {"content": [{"type": "text", "text": "ok"}]}}


def test_errors_raised_and_returned() -> None:
    class RpcError(Exception):
        def __init__(self) -> None:
            super().__init__("bad params")
            self.error = type("ErrorData", (), {"code": -32602, "message": "Invalid params"})()

    try:
        raise RpcError()
    except RpcError as error:
        raised = build_event("e", observed(ok=False, outcome=error), None, CAPTURE)
    assert raised["isError"] is True and "result" not in raised
    assert raised["error"]["type"] == "RpcError" and raised["error"]["message"] == "Invalid params" and raised["error"]["code"] == -32602
    assert "Traceback" in raised["error"]["stack"]
    returned = build_event("e", observed(outcome={"content": [{"type": "text", "text": "no such city"}], "isError": True}), None, CAPTURE)
    assert returned["isError"] is True and returned["error"] == {"type": "ToolError", "message": "no such city"}
    assert problem(raised) is None and problem(returned) is None
