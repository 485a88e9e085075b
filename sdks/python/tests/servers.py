"""Real MCP servers of both packages, built alike, served over real HTTP (uvicorn on a loopback port)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import uvicorn

Package = Literal["mcp", "fastmcp"]
PACKAGES: tuple[Package, ...] = ("mcp", "fastmcp")


class Boom(RuntimeError):
    pass


def build_server(package: Package, name: str = "weather") -> Any:
    """A server with a sync and an async tool, a failing tool, a resource and a prompt."""
    if package == "mcp":
        from mcp.server.mcpserver import MCPServer

        server: Any = MCPServer(name, version="1.2.3")
        decorate_tool, decorate_resource, decorate_prompt = server.tool(), server.resource("notes://today"), server.prompt()
    else:
        from fastmcp import FastMCP

        server = FastMCP(name, version="1.2.3")
        decorate_tool, decorate_resource, decorate_prompt = server.tool, server.resource("notes://today"), server.prompt

    def forecast(city: str, api_key: str = "") -> str:
        """Sync handler."""
        return f"sunny in {city}"

    async def slow_echo(text: str) -> str:
        """Async handler."""
        await asyncio.sleep(0.01)
        return text

    def explode(reason: str) -> str:
        raise Boom(reason)

    def notes() -> str:
        return "buy milk"

    def greet(who: str) -> str:
        return f"Say hello to {who}"

    for tool in (forecast, slow_echo, explode):
        decorate_tool(tool)
    decorate_resource(notes)
    decorate_prompt(greet)
    return server


def asgi_app(package: Package, server: Any, *, stateless: bool, json_response: bool = False) -> Any:
    if package == "mcp":
        return server.streamable_http_app(stateless_http=stateless, json_response=json_response)
    return server.http_app(path="/mcp", stateless_http=stateless, json_response=json_response)


@contextmanager
def serve_http(app: Any) -> Iterator[str]:
    """Serves ``app`` on 127.0.0.1 from a thread with its own event loop; yields the MCP endpoint URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(400):
            if server.started:
                break
            threading.Event().wait(0.025)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
