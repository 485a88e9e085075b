"""The real Python MCP client (the ``mcp`` package's ``Client``), as users run it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import Implementation


@asynccontextmanager
async def http_client(
    url: str, *, user: str | None = None, user_agent: str | None = None, legacy: bool = False,
    name: str = "claude-ai", version: str = "0.14.1",
) -> AsyncIterator[Client]:
    """``legacy``: the client's own ``mode="legacy"`` (a 2025 handshake: clientInfo only in ``initialize``)."""
    headers = {"authorization": f"Bearer {user}"} if user else {}
    if user_agent:
        headers["user-agent"] = user_agent
    async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
        transport = streamable_http_client(url, http_client=http)
        async with Client(transport, client_info=Implementation(name=name, version=version), mode="legacy" if legacy else "auto") as client:
            yield client


async def conversation(client: Client) -> list[Any]:
    """What a user's assistant does in one conversation; returns every answer, as JSON."""
    answers: list[Any] = [
        await client.list_tools(),
        await client.call_tool("forecast", {"city": "Oslo", "api_key": "sk-secret"}),
        await client.call_tool("slow_echo", {"text": "hello"}),
        await client.call_tool("explode", {"reason": "kaboom"}),
        await client.read_resource("notes://today"),
        await client.get_prompt("greet", {"who": "Ada"}),
    ]
    return [a.model_dump(mode="json", exclude={"meta"}) for a in answers]
