"""Servers and the client of the previous majors: ``mcp`` 1.x (its FastMCP) and ``fastmcp`` 3.x.

Only importable in the ``.venv-mcp1`` environment (requirements-mcp1.txt).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

import httpx
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.types import Implementation

Package1 = Literal["mcp1", "fastmcp3"]
PACKAGES1: tuple[Package1, ...] = ("mcp1", "fastmcp3")


def build_server(package: Package1, *, stateless: bool) -> Any:
    if package == "mcp1":
        from mcp.server.fastmcp import FastMCP as McpFastMCP

        server: Any = McpFastMCP("weather", stateless_http=stateless)
        tool, resource = server.tool(), server.resource("notes://today")
    else:
        from fastmcp import FastMCP

        server = FastMCP("weather")
        tool, resource = server.tool, server.resource("notes://today")

    def forecast(city: str, api_key: str = "") -> str:
        return f"sunny in {city}"

    async def slow_echo(text: str) -> str:
        await asyncio.sleep(0.01)
        return text

    def notes() -> str:
        return "buy milk"

    tool(forecast)
    tool(slow_echo)
    resource(notes)
    return server


def asgi_app(package: Package1, server: Any, *, stateless: bool) -> Any:
    if package == "mcp1":
        return server.streamable_http_app()
    return server.http_app(path="/mcp", stateless_http=stateless)


@asynccontextmanager
async def session(url: str, *, user: str | None = None, name: str = "claude-ai", version: str = "0.14.1") -> AsyncIterator[ClientSession]:
    """The ``mcp`` 1.x client: a 2025 client that names itself only in ``initialize``."""
    headers = {"authorization": f"Bearer {user}"} if user else {}
    async with httpx.AsyncClient(headers=headers, timeout=30) as http:
        async with streamable_http_client(url, http_client=http) as (read, write, _):
            async with ClientSession(read, write, client_info=Implementation(name=name, version=version)) as client:
                await client.initialize()
                yield client


async def conversation(client: ClientSession) -> list[Any]:
    answers = [
        await client.list_tools(),
        await client.call_tool("forecast", {"city": "Oslo", "api_key": "sk-secret"}),
        await client.call_tool("slow_echo", {"text": "hello"}),
        await client.read_resource("notes://today"),  # type: ignore[arg-type]
    ]
    return [a.model_dump(mode="json", exclude={"meta"}) for a in answers]
