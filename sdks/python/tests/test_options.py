"""The options a user reaches for next: tags, properties, redact, trust_proxy, capture, gzip, enabled."""

from __future__ import annotations

from typing import Any

from mcp import Client

import mcptrail
from tests.clients import http_client
from tests.collector import Collector, wait_for
from tests.fake_collector import Answer, FakeCollector
from tests.servers import asgi_app, build_server, serve_http


async def test_tags_properties_and_redact_shape_each_event(collector: Collector) -> None:
    project = collector.create_project("options")
    seen_addresses: list[str | None] = []

    def tags(request: mcptrail.RequestInfo, ctx: mcptrail.RequestContext) -> dict[str, str]:
        seen_addresses.append(ctx.client_address)
        return {"region": "eu", "method": request.method}

    def properties(_request: mcptrail.RequestInfo, ctx: mcptrail.RequestContext) -> dict[str, Any]:
        return {"agent": (ctx.headers or {}).get("user-agent"), "secret": "s3cr3t"}

    def redact(event: dict[str, Any]) -> dict[str, Any] | None:
        if event.get("target") == "explode":
            return None  # dropped
        if event.get("target") == "slow_echo":
            raise ValueError("a redact hook that fails drops the event rather than risk a leak")
        event.pop("result", None)
        return event

    server = build_server("mcp")
    mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, tags=tags, properties=properties, redact=redact,
                   trust_proxy=True, capture={"arguments": False, "sensitive_keys": ["agent"]})
    with serve_http(asgi_app("mcp", server, stateless=True)) as url:
        async with http_client(url, user_agent="Zed/0.1 (linux)") as client:
            await client.call_tool("forecast", {"city": "Oslo"})
            await client.call_tool("explode", {"reason": "x"})
            await client.call_tool("slow_echo", {"text": "x"})
    assert await mcptrail.aflush(10)
    events = wait_for(lambda: [e for s in collector.get("/v1/sessions", project)["sessions"] for e in collector.get(f"/v1/sessions/{s['id']}", project)["events"]])
    call = next(e for e in events if e["target"] == "forecast")
    assert call["tags"] == {"region": "eu", "method": "tools/call"}
    assert call["properties"] == {"agent": "[redacted]", "secret": "[redacted]"}
    assert call["arguments"] is None and call["result"] is None
    assert {e["target"] for e in events} & {"explode", "slow_echo"} == set()
    assert set(seen_addresses) == {"127.0.0.1"}  # no X-Forwarded-For: the socket's peer


async def test_trust_proxy_takes_the_first_forwarded_hop_for_the_fingerprint(collector: Collector) -> None:
    project = collector.create_project("proxy")
    addresses: list[str | None] = []
    server = build_server("mcp")
    mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, trust_proxy=True,
                   tags=lambda _r, ctx: addresses.append(ctx.client_address) or None)
    with serve_http(asgi_app("mcp", server, stateless=True)) as url:
        import httpx2
        from mcp.client.streamable_http import streamable_http_client

        async with httpx2.AsyncClient(headers={"x-forwarded-for": "198.51.100.7, 10.0.0.2"}) as http:
            async with Client(streamable_http_client(url, http_client=http), mode="legacy") as client:
                await client.list_tools()
    assert await mcptrail.aflush(10)
    assert set(addresses) == {"198.51.100.7"}


async def test_big_batches_are_gzipped() -> None:
    fake = FakeCollector(lambda i, body: Answer())
    try:
        server = build_server("mcp")
        mcptrail.track(server, project_key="mtw_gzip", endpoint=fake.url, delivery={"gzip_above_bytes": 100})
        async with Client(server) as client:
            await client.call_tool("slow_echo", {"text": "x" * 500})
        assert await mcptrail.aflush(10)
        assert any(e.get("arguments") == {"text": "x" * 500} for e in fake.events())
        assert {r.encoding for r in fake.received} == {"gzip"}
    finally:
        fake.close()


async def test_enabled_false_leaves_the_server_untouched() -> None:
    server = build_server("mcp")
    before = list(server._lowlevel_server.middleware)
    assert mcptrail.track(server, project_key="mtw_off", enabled=False) is server
    assert server._lowlevel_server.middleware == before
    assert mcptrail.track(object(), project_key="mtw_unknown") is not None  # unknown shapes: left alone, no error
