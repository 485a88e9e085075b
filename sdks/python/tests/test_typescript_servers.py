"""The official Python client against the TypeScript SDK's stateless servers (examples/), tracked by
the TypeScript ``mcptrail``: each conversation is one session named after the client's
``clientInfo``, with and without conversation tokens (docs/adr/0104, docs/sdk.md's table)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.clients import http_client
from tests.collector import REPO, Collector, wait_for

LOADER = (REPO / "node_modules" / "tsx" / "dist" / "loader.mjs").as_uri()

SHAPES = {
    "v1 McpServer, stateless": lambda port: ["examples/v1-stateless-http.ts"],
    "v2 createMcpHandler": lambda port: ["examples/v2-create-mcp-handler.ts"],
    "fastmcp, stateless": lambda port: ["examples/fastmcp.ts", "--port", str(port), "--stateless", "true"],
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def typescript_server(shape: str, collector: Collector, write_key: str, conversation_token: bool) -> Iterator[str]:
    """One TypeScript example server process, tracked, sending to the collector; SIGTERM drains its SDK."""
    port = free_port()
    args = ["node", "--import", LOADER, *SHAPES[shape](port), *(["--conversation-token"] if conversation_token else [])]
    env = {**os.environ, "PORT": str(port), "MCPTRAIL_KEY": write_key, "MCPTRAIL_ENDPOINT": collector.url, "FASTMCP_TRANSPORT": "httpStream"}
    process = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if f"http://127.0.0.1:{port}/mcp" in line:
                break
        else:
            raise RuntimeError(f"{shape} did not start (exit {process.wait()})")
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(30)


async def converse(url: str, user: str | None, legacy: bool) -> None:
    async with http_client(url, user=user, legacy=legacy) as client:
        await client.list_tools()
        await client.call_tool("forecast", {"city": "Oslo"})
        await client.call_tool("forecast", {"city": "Bergen"})


@pytest.mark.parametrize("legacy", [True, False], ids=["2025 client (mode=legacy)", "client default (mode=auto)"])
@pytest.mark.parametrize("conversation_token", [False, True], ids=["default", "conversation tokens"])
@pytest.mark.parametrize("shape", list(SHAPES))
async def test_each_conversation_is_one_session(collector: Collector, shape: str, conversation_token: bool, legacy: bool) -> None:
    project = collector.create_project(f"ts {shape} {conversation_token} {legacy}")
    with typescript_server(shape, collector, project.write_key, conversation_token) as url:
        await asyncio.gather(converse(url, "alice-token", legacy), converse(url, "bob-token", legacy))

    def sessions() -> list[dict[str, Any]]:
        return list(collector.get("/v1/sessions", project)["sessions"])

    # Both conversations' initialize, tools/list and two calls reached the collector.
    wait_for(lambda: sum(s["eventCount"] for s in sessions()) >= 8, timeout=20)
    found = sorted((s["userId"], s["clientName"], s["eventCount"]) for s in sessions())
    assert found == [("alice", "claude-ai", 4), ("bob", "claude-ai", 4)]
