"""The other shapes: the ``mcp`` package's low-level ``Server``, and the legacy SSE transport of both packages."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.server.lowlevel import Server
from mcp_types import CallToolResult, Implementation, ListToolsResult, TextContent, Tool

import mcptrail
from tests.clients import http_client
from tests.collector import Collector, wait_for
from tests.servers import PACKAGES, Package, build_server, serve_http


def lowlevel_server() -> Server[Any]:
    async def list_tools(_ctx: Any, _params: Any) -> ListToolsResult:
        return ListToolsResult(tools=[Tool(name="add", input_schema={"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}})])

    async def call_tool(_ctx: Any, params: Any) -> CallToolResult:
        args = params.arguments or {}
        return CallToolResult(content=[TextContent(type="text", text=str(args["a"] + args["b"]))])

    return Server("calculator", version="2.0.0", on_list_tools=list_tools, on_call_tool=call_tool)


@pytest.mark.parametrize("legacy", [False, True], ids=["2026-07-28 client", "2025 client"])
async def test_the_low_level_server_over_stateless_http(collector: Collector, legacy: bool) -> None:
    project = collector.create_project(f"lowlevel {legacy}")
    server = lowlevel_server()
    mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, identify=lambda _r, _c: {"user_id": "fay"})
    with serve_http(server.streamable_http_app(stateless_http=True)) as url:
        async with http_client(url, legacy=legacy) as client:
            result = await client.call_tool("add", {"a": 2, "b": 3})
    assert result.content[0].text == "5"  # type: ignore[union-attr]
    assert await mcptrail.aflush(10)
    sessions = wait_for(lambda: collector.get("/v1/sessions", project)["sessions"])
    events = collector.get(f"/v1/sessions/{sessions[0]['id']}", project)["events"]
    call = next(e for e in events if e["method"] == "tools/call")
    assert call["target"] == "add" and call["arguments"] == {"a": 2, "b": 3} and call["server"] == {"name": "calculator", "version": "2.0.0"}
    assert len(sessions) == 1 and sessions[0]["userId"] == "fay" and sessions[0]["clientName"] == "claude-ai"


def sse_app(package: Package, server: Any) -> Any:
    return server.sse_app() if package == "mcp" else server.http_app(transport="sse")


@pytest.mark.parametrize("legacy", [False, True], ids=["2026-07-28 client", "2025 client"])
@pytest.mark.parametrize("package", PACKAGES)
async def test_the_legacy_sse_transport(collector: Collector, package: Package, legacy: bool) -> None:
    project = collector.create_project(f"sse {package} {legacy}")
    server = build_server(package)
    mcptrail.track(server, project_key=project.write_key, endpoint=collector.url)
    with serve_http(sse_app(package, server)) as url:
        sse_url = url.removesuffix("/mcp") + "/sse"
        client_info = Implementation(name="claude-ai", version="0.14.1")
        async with Client(sse_client(sse_url), client_info=client_info, mode="legacy" if legacy else "auto") as client:
            result = await client.call_tool("forecast", {"city": "Oslo"})
    assert result.content[0].text == "sunny in Oslo"  # type: ignore[union-attr]
    assert await mcptrail.aflush(10)
    sessions = wait_for(lambda: collector.get("/v1/sessions", project)["sessions"])
    events = [e for s in sessions for e in collector.get(f"/v1/sessions/{s['id']}", project)["events"]]
    assert {e["transport"] for e in events} == {"sse"} and len(events) >= 2
    if legacy:
        # A 2025 SSE connection is a session (its transport session id), named by initialize.
        assert len(sessions) == 1 and sessions[0]["kind"] == "stateful" and sessions[0]["clientName"] == "claude-ai"
    else:
        # 2026-07-28 requests are stateless and name their client each; anonymous ones are sessions of their own.
        assert {s["kind"] for s in sessions} == {"anonymous"} and {e["client"]["name"] for e in events} == {"claude-ai"}
