"""Real servers of both packages over real Streamable HTTP, stateless and stateful, driven by the real
Python MCP client (default negotiation: 2026-07-28; and ``mode="legacy"``: a 2025 client), tracked and
sending to a real collector."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import mcptrail
from tests.clients import conversation, http_client
from tests.collector import Collector, wait_for
from tests.observe import Observed
from tests.servers import PACKAGES, Package, asgi_app, build_server, serve_http
from tests.wire_rules import problem

METHODS = ["tools/list", "forecast", "slow_echo", "explode", "notes://today", "greet"]


def identify_by_bearer(_request: mcptrail.RequestInfo, ctx: mcptrail.RequestContext) -> dict[str, Any] | None:
    token = (ctx.headers or {}).get("authorization", "").removeprefix("Bearer ")
    return {"user_id": token, "user_name": token.title(), "user_data": {"plan": "pro", "token": "hidden"}} if token else None


def stored_events(collector: Collector, project: Any) -> list[dict[str, Any]]:
    sessions = collector.get("/v1/sessions?limit=100", project)["sessions"]
    events = [e for s in sessions for e in collector.get(f"/v1/sessions/{s['id']}", project)["events"]]
    return sorted(events, key=lambda e: (e["timestamp"], e["id"]))


@pytest.mark.parametrize("legacy", [False, True], ids=["2026-07-28 client", "2025 client"])
@pytest.mark.parametrize("stateless", [True, False], ids=["stateless", "stateful"])
@pytest.mark.parametrize("package", PACKAGES)
async def test_every_request_is_one_valid_event_in_the_right_session(collector: Collector, package: Package, stateless: bool, legacy: bool) -> None:
    project = collector.create_project(f"http {package} {stateless} {legacy}")
    observed = Observed()
    server = build_server(package)
    mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, identify=identify_by_bearer, redact=observed)
    with serve_http(asgi_app(package, server, stateless=stateless)) as url:
        async with http_client(url, user="alice", legacy=legacy) as client:
            await conversation(client)
    assert await mcptrail.aflush(10)

    handshake = ["initialize"] if legacy else ["server/discover"]
    # The client may list tools again before a call (to check results against a schema): each listing is a request too.
    assert [m for m in observed.methods() if m != "tools/list"] == handshake + METHODS[1:], observed.methods()
    assert "tools/list" in observed.methods()
    assert [problem(e) for e in observed.events] == [None] * len(observed.events)
    events = wait_for(lambda: (found := stored_events(collector, project)) and len(found) == len(observed.events) and found, message="events stored")

    by_target = {e["target"] or e["method"]: e for e in events}
    call = by_target["forecast"]
    assert call["user"] == {"id": "alice", "name": "Alice", "data": {"plan": "pro", "token": "[redacted]"}}
    assert call["arguments"] == {"city": "Oslo", "api_key": "[redacted]"}
    assert call["result"]["content"][0]["text"] == "sunny in Oslo"
    assert call["server"] == {"name": "weather", "version": "1.2.3"}
    assert call["transport"] == "streamable-http" and call["isError"] is False and call["durationMs"] >= 0
    failed = by_target["explode"]
    # The error as the client got it (MCPServer masks the exception's text; fastmcp passes it on).
    assert failed["isError"] is True and failed["error"]["type"] == "ToolError" and "explode" in failed["error"]["message"] + "kaboom"
    assert by_target["slow_echo"]["durationMs"] >= 10

    sessions = collector.get("/v1/sessions", project)["sessions"]
    # One conversation is one session whatever the mode: by transport session, by user + client, or by fingerprint.
    assert len(sessions) == 1, sessions
    assert sessions[0]["userId"] == "alice" and sessions[0]["clientName"] == "claude-ai"
    if legacy and not stateless:
        assert sessions[0]["kind"] == "stateful" and call["transportSessionId"]
    else:
        assert sessions[0]["kind"] == "grouped" and call["transportSessionId"] is None
    if legacy and stateless:
        # A 2025 client names itself only in initialize: the later requests carry a fingerprint instead.
        assert call["client"] is None and call["clientFingerprint"]
        assert sessions[0]["basis"] == "user-fingerprint-window"
        assert by_target["initialize"]["clientFingerprint"] == call["clientFingerprint"]
    elif not legacy:
        assert call["client"]["name"] == "claude-ai" and call["protocolVersion"] == "2026-07-28"


@pytest.mark.parametrize("package", PACKAGES)
async def test_conversation_tokens_name_every_request_of_a_2025_client(collector: Collector, package: Package) -> None:
    project = collector.create_project(f"tokens {package}")
    server = build_server(package)
    mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, conversation_token=True)
    with serve_http(asgi_app(package, server, stateless=True)) as url:
        # Anonymous: without a token, each request would be a session of its own.
        async with http_client(url, legacy=True) as client:
            await conversation(client)
        async with http_client(url, legacy=True, name="cursor-vscode", version="1.7.2") as client:
            await client.list_tools()
    assert await mcptrail.aflush(10)
    sessions = wait_for(lambda: (s := collector.get("/v1/sessions", project)["sessions"]) and sum(x["eventCount"] for x in s) == 9 and s)
    assert sorted(((s["kind"], s["basis"], s["clientName"] or "", s["eventCount"]) for s in sessions), key=str) == [
        ("conversation", "conversation-token", "claude-ai", 7),
        ("conversation", "conversation-token", "cursor-vscode", 2),
    ]
    detail = collector.get(f"/v1/sessions/{next(s['id'] for s in sessions if s['clientName'] == 'claude-ai')}", project)
    calls = [e for e in detail["events"] if e["method"] == "tools/call"]
    assert {e["client"]["name"] for e in calls} == {"claude-ai"}
    assert len({e["conversationId"] for e in detail["events"]}) == 1


@pytest.mark.parametrize("stateless", [True, False], ids=["stateless", "stateful"])
@pytest.mark.parametrize("package", PACKAGES)
async def test_a_tracked_server_answers_exactly_as_an_untracked_one(collector: Collector, package: Package, stateless: bool) -> None:
    project = collector.create_project(f"same answers {package} {stateless}")
    answers = []
    for tracked in (False, True):
        server = build_server(package)
        if tracked:
            mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, identify=identify_by_bearer)
        with serve_http(asgi_app(package, server, stateless=stateless)) as url:
            for legacy in (False, True):
                async with http_client(url, user="bob", legacy=legacy) as client:
                    answers.append(await conversation(client))
    half = len(answers) // 2
    assert answers[half:] == answers[:half]


async def test_identify_runs_beside_the_handler_with_the_request_context(collector: Collector) -> None:
    project = collector.create_project("identify context")
    seen: list[tuple[str, str | None, str | None, str | None]] = []
    handler_started = asyncio.Event()

    async def identify(request: mcptrail.RequestInfo, ctx: mcptrail.RequestContext) -> dict[str, str]:
        if request.method == "tools/call":
            # Still running when the handler starts: identify does not hold the request up.
            await asyncio.wait_for(handler_started.wait(), 5)
        client = ctx.client_info
        seen.append((request.method, ctx.client_address, ctx.session_id, client.name if client else None))
        return {"user_id": "carol"}

    server = build_server("mcp")

    @server.tool()
    async def signal() -> str:
        handler_started.set()
        return "ok"

    mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, identify=identify, identify_timeout=5)
    with serve_http(asgi_app("mcp", server, stateless=True)) as url:
        async with http_client(url) as client:
            await client.call_tool("signal", {})
    assert await mcptrail.aflush(10)
    assert ("tools/call", "127.0.0.1", None, "claude-ai") in seen
    events = wait_for(lambda: stored_events(collector, project))
    assert {e["user"]["id"] for e in events} == {"carol"}


async def test_identify_that_fails_or_hangs_leaves_the_answer_alone(collector: Collector) -> None:
    project = collector.create_project("identify failures")
    calls = 0

    async def identify(request: mcptrail.RequestInfo, _ctx: mcptrail.RequestContext) -> Any:
        nonlocal calls
        calls += 1
        if calls % 2:
            raise RuntimeError("identity service down")
        await asyncio.sleep(30)

    server = build_server("mcp")
    observed = Observed()
    mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, identify=identify, identify_timeout=0.2, redact=observed)
    with serve_http(asgi_app("mcp", server, stateless=True)) as url:
        async with http_client(url) as client:
            for city in ("Oslo", "Rome", "Lima"):
                result = await client.call_tool("forecast", {"city": city})
                assert result.content[0].text == f"sunny in {city}"  # type: ignore[union-attr]
    assert await mcptrail.aflush(10)
    events = wait_for(lambda: (e := stored_events(collector, project)) and len(e) == len(observed.events) and e)
    assert len(events) >= 4 and all(e["user"] is None for e in events)
