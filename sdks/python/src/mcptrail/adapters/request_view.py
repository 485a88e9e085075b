"""What the tracker reads from one request, whatever ``mcp`` line served it.

``RequestView`` holds what both lines share — over HTTP a Starlette request
(headers, peer, ASGI scope), the request's ``_meta`` — and each line's view
adds its connection: ``ContextView`` reads the ``ServerRequestContext`` of
``mcp`` 2.x, ``SessionView`` (``mcp_session.py``) the responder and session of
``mcp`` 1.x. Every read is a probe: a missing attribute reads as "not known",
never as an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..capture.client_identity import ENVELOPE_PROTOCOL_VERSION
from .http_exchange import EXCHANGE_KEY, Exchange

ENVELOPE_PREFIX = "io.modelcontextprotocol/"


class RequestView:
    __slots__ = ("ctx", "method", "params", "http_request", "handled", "_envelope", "_headers")

    def __init__(self, ctx: Any, method: str, params: Any, http_request: Any) -> None:
        #: The SDK's own per-request object (``RequestContext.raw``).
        self.ctx = ctx
        self.method = method
        self.params: Mapping[str, Any] | None = params if isinstance(params, Mapping) else None
        self.http_request: Any = http_request if getattr(http_request, "headers", None) is not None else None
        #: Whether the server has a handler for the method; None: ask the server (``ServerState.handles``).
        self.handled: bool | None = None
        self._envelope: Mapping[str, Any] | None | bool = False
        self._headers: dict[str, str] | None | bool = False

    # ---- what each line's view says about its connection ----

    @property
    def connection(self) -> Any:
        """The object that lives as long as the client's connection (for per-connection ids)."""
        return None

    def _connection_session_id(self) -> str | None:
        return None

    def connection_client(self) -> Any:
        """The client of this connection's ``initialize`` (``None`` on a stateless request)."""
        return None

    def connection_protocol_version(self) -> str | None:
        return None

    def session_id_pending(self) -> bool:
        """The request belongs to a transport session whose id is not known yet (it comes with the answer)."""
        return False

    def wire_outcome(self, ok: bool, outcome: Any) -> tuple[bool, Any]:
        """The outcome as the tracker reads it: a result mapping, or a raised error. Called off the loop."""
        return ok, outcome

    def _stdio_or_memory(self) -> str:
        return "stdio"

    @property
    def http(self) -> bool:
        return self.http_request is not None

    def header(self, name: str) -> str | None:
        if self.http_request is None:
            return None
        value = self.http_request.headers.get(name)
        return value if isinstance(value, str) else None

    def headers(self) -> dict[str, str] | None:
        """All headers, lower-cased (repeated ones joined by ", "); None off HTTP."""
        if self._headers is False:
            if self.http_request is None:
                self._headers = None
            else:
                out: dict[str, str] = {}
                for key, value in self.http_request.headers.items():
                    name = key.lower()
                    out[name] = f"{out[name]}, {value}" if name in out else value
                self._headers = out
        return self._headers  # type: ignore[return-value]

    @property
    def transport_session_id(self) -> str | None:
        # The legacy SSE transport keeps its session in the messages' query, not on the connection.
        return self._connection_session_id() or self._sse_session_id()

    def _sse_session_id(self) -> str | None:
        """The legacy SSE transport posts messages with a ``session_id`` query parameter."""
        query = getattr(self.http_request, "query_params", None)
        if query is None or self.header("mcp-session-id") is not None:
            return None
        value = query.get("session_id")
        return value if isinstance(value, str) and value else None

    def meta(self) -> Mapping[str, Any] | None:
        meta = self.params.get("_meta") if self.params else None
        return meta if isinstance(meta, Mapping) else None

    def envelope(self) -> Mapping[str, Any] | None:
        """The 2026-07-28 per-request envelope (``io.modelcontextprotocol/*`` keys of ``_meta``)."""
        if self._envelope is False:
            meta = self.meta()
            keys = {k: v for k, v in meta.items() if isinstance(k, str) and k.startswith(ENVELOPE_PREFIX)} if meta else None
            self._envelope = keys or None
        return self._envelope  # type: ignore[return-value]

    def is_modern(self) -> bool:
        """A 2026-07-28 request: its envelope names a protocol version."""
        envelope = self.envelope()
        return envelope is not None and isinstance(envelope.get(ENVELOPE_PROTOCOL_VERSION), str)

    @property
    def scope(self) -> Mapping[str, Any] | None:
        scope = getattr(self.http_request, "scope", None)
        return scope if isinstance(scope, Mapping) else None

    @property
    def exchange(self) -> Exchange | None:
        exchange = self.scope.get(EXCHANGE_KEY) if self.scope else None
        return exchange if isinstance(exchange, Exchange) else None

    @property
    def peer_address(self) -> str | None:
        host = getattr(getattr(self.http_request, "client", None), "host", None)
        return host if isinstance(host, str) and host else None

    @property
    def auth_info(self) -> Any:
        """The verified access token, when the server uses the ``mcp`` package's auth."""
        user = self.scope.get("user") if self.scope else None
        return getattr(user, "access_token", None)

    def transport_name(self) -> str:
        if self.http_request is not None:
            return "sse" if self._sse_session_id() else "streamable-http"
        return self._stdio_or_memory()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class ContextView(RequestView):
    """``mcp`` 2.x: the ``ServerRequestContext`` its middleware receives (``ctx.session._connection``
    holds the transport session id and the ``initialize`` client)."""

    __slots__ = ()

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx, str(getattr(ctx, "method", "")), getattr(ctx, "params", None), getattr(ctx, "request", None))

    @property
    def connection(self) -> Any:
        return getattr(getattr(self.ctx, "session", None), "_connection", None)

    def _connection_session_id(self) -> str | None:
        return _text(getattr(self.connection, "session_id", None))

    def connection_client(self) -> Any:
        return getattr(getattr(self.connection, "client_params", None), "client_info", None)

    def connection_protocol_version(self) -> str | None:
        return _text(getattr(self.ctx, "protocol_version", None))

    def _stdio_or_memory(self) -> str:
        outbound = getattr(getattr(self.ctx, "session", None), "_request_outbound", None)
        kind = getattr(getattr(outbound, "transport", None), "kind", None)
        return "in-memory" if kind == "direct" else "stdio"
