"""The product note's table (shared/reference/seed-stateless-sessions.txt) in real time, with a
3-second inactivity timeout: 2025 clients (the real Python client, ``mode="legacy"``) on a
stateless FastMCP server, tracked with ``identify`` and nothing else."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any

import pytest

import mcptrail
from tests.clients import http_client
from tests.collector import Collector, wait_for
from tests.servers import asgi_app, build_server, serve_http
from tests.test_http import identify_by_bearer

TIMEOUT_S = 3
CLAUDE = "Claude/0.14.1 (darwin; Electron)"
CURSOR = "Cursor/1.7.2 (darwin arm64)"


@pytest.fixture(scope="module")
def short_window() -> Any:
    collector = Collector(session_timeout=f"{TIMEOUT_S}s")
    yield collector
    collector.stop()


@pytest.mark.parametrize(
    ("conversation_token", "claude_agent", "cursor_agent"),
    [(False, CLAUDE, CURSOR), (True, None, None)],
    ids=["default: two client programs, each with its own User-Agent", "conversation tokens: both clients with the same headers"],
)
async def test_the_product_notes_table(short_window: Collector, conversation_token: bool, claude_agent: str | None, cursor_agent: str | None) -> None:
    project = short_window.create_project(f"seed {conversation_token}")
    server = build_server("fastmcp")
    mcptrail.track(server, project_key=project.write_key, endpoint=short_window.url, identify=identify_by_bearer, conversation_token=conversation_token)
    with serve_http(asgi_app("fastmcp", server, stateless=True)) as url:
        async with AsyncExitStack() as clients:
            async def connect(name: str, version: str, user: str, agent: str | None) -> Any:
                client = await clients.enter_async_context(http_client(url, user=user, user_agent=agent, legacy=True, name=name, version=version))
                return lambda city: client.call_tool("forecast", {"city": city})

            alice_claude = await connect("claude-ai", "0.14.1", "alice", claude_agent)
            await alice_claude("Oslo")  # 1  alice, Claude Desktop → A
            bob_cursor = await connect("cursor-vscode", "1.7.2", "bob", cursor_agent)
            await bob_cursor("Rome")  # 2  bob, Cursor → B
            await alice_claude("Bergen")  # 3  alice, Claude Desktop, within the window → A
            alice_cursor = await connect("cursor-vscode", "1.7.2", "alice", cursor_agent)
            await alice_cursor("Oslo")  # 4  alice, Cursor, at the same time → C (another client)
            await asyncio.sleep(TIMEOUT_S + 1.5)  # the window passes: the point of the table
            await alice_claude("Tromsø")  # 5  alice, Claude Desktop, after the window → D
    assert await mcptrail.aflush(10)

    def rows() -> list[str]:
        sessions = short_window.get("/v1/sessions", project)["sessions"]
        out = []
        for s in sessions:
            events = short_window.get(f"/v1/sessions/{s['id']}", project)["events"]
            # The client lists tools before calling them; the table is about initialize and the calls.
            steps = [e["target"] or e["method"] for e in events if e["method"] != "tools/list"]
            out.append(f"{s['userId']} {s['clientName']} {','.join(steps)}")
        return sorted(out)

    expected = sorted([
        "alice claude-ai forecast",
        "alice claude-ai initialize,forecast,forecast",
        "alice cursor-vscode initialize,forecast",
        "bob cursor-vscode initialize,forecast",
    ])
    wait_for(lambda: rows() == expected, timeout=15, message=f"the table's sessions (last: {rows()})")
