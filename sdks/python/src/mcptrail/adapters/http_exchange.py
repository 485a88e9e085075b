"""What a handler cannot do with the HTTP exchange its request came in: answer
``initialize`` with a header (the conversation token), and know whether the
session manager serving it was started stateless.

Streamable HTTP in the ``mcp`` package (and under ``fastmcp``) goes through
``StreamableHTTPSessionManager._handle_request(scope, receive, send)``, stateless
or stateful, 2025 or 2026-07-28 requests alike. Wrapping it once puts an
``Exchange`` in the ASGI scope (which the handler's ``ctx.request`` carries) and
adds its pending headers to the response when it starts.

An SSE answer starts before the handler runs, so when conversation tokens are on,
a stateless POST's response start is held until its first body message (the
answer itself, or the first progress notification): the header is in by then,
and the client, waiting for that body, sees no difference.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .._log import contain, log_once

EXCHANGE_KEY = "mcptrail.exchange"
_HOOKED = "_mcptrail_hooked"

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]


class Exchange:
    __slots__ = ("stateless", "response_session_id", "_pending", "_started")

    def __init__(self, stateless: bool) -> None:
        #: The session manager was started with ``stateless_http=True``.
        self.stateless = stateless
        #: The ``mcp-session-id`` the answer carries (a stateful server's new session, on ``initialize``).
        self.response_session_id: str | None = None
        self._pending: dict[bytes, bytes] = {}
        self._started = False

    def set_header(self, name: str, value: str) -> bool:
        """Sets a response header unless the response has started; says whether it will be sent."""
        if self._started:
            return False
        self._pending[name.lower().encode("latin-1")] = value.encode("latin-1")
        return True

    def apply(self, message: Message) -> None:
        self._started = True
        headers = list(message.get("headers") or [])
        present = {name.lower() for name, _ in headers}
        if not self.stateless:
            self.response_session_id = next((v.decode("latin-1") for n, v in headers if n.lower() == b"mcp-session-id"), None)
        if not self._pending:
            return
        headers.extend((name, value) for name, value in self._pending.items() if name not in present)
        message["headers"] = headers


def _session_manager_class() -> Any:
    try:
        module = importlib.import_module("mcp.server.streamable_http_manager")
    except ImportError:
        return None
    return getattr(module, "StreamableHTTPSessionManager", None)


_hold_starts = False


def install_exchange_hook(*, hold_starts: bool = False) -> None:
    """Once per process; harmless for servers that are not tracked (an Exchange nobody reads).

    ``hold_starts``: some tracked server answers with conversation tokens (see above).
    """
    global _hold_starts
    _hold_starts = _hold_starts or hold_starts
    cls = _session_manager_class()
    handle = getattr(cls, "_handle_request", None)
    if cls is None or not callable(handle):
        log_once("exchange-hook", "this mcp package has no StreamableHTTPSessionManager._handle_request; conversation tokens are off")
        return
    if getattr(handle, _HOOKED, False):
        return

    async def _handle_request(self: Any, scope: MutableMapping[str, Any], receive: Any, send: Send) -> None:
        exchange = contain("exchange", lambda: Exchange(bool(getattr(self, "stateless", False))), None)
        if exchange is None or scope.get("type") != "http":
            await handle(self, scope, receive, send)
            return
        scope[EXCHANGE_KEY] = exchange
        hold = _hold_starts and exchange.stateless and scope.get("method") == "POST"
        held: Message | None = None

        async def send_with_headers(message: Message) -> None:
            nonlocal held
            if message.get("type") == "http.response.start":
                if hold:
                    held = message
                    return
                contain("exchange", lambda: exchange.apply(message), None)
            elif held is not None:
                start, held = held, None
                contain("exchange", lambda: exchange.apply(start), None)
                await send(start)
            await send(message)

        try:
            await handle(self, scope, receive, send_with_headers)
        finally:
            if held is not None:  # the app ended (or failed) without a body: the start still goes out
                start, held = held, None
                await send(start)

    setattr(_handle_request, _HOOKED, True)
    cls._handle_request = _handle_request
