"""``mcp`` 1.x (its ``FastMCP`` and low-level ``Server``, and ``fastmcp`` 2.x/3.x on top of them).

That line has no middleware list, and answers ``initialize`` inside its
``ServerSession`` rather than through a handler. The one place every request and
every answer of a connection passes is the ``ServerSession``: ``_received_request``
(each request, ``initialize`` and ``ping`` included) and ``_send_response`` (each
answer, result or error). Those two are wrapped once on the class; a session
belongs to a tracked server when that server's ``run`` created it (a context
variable set for the duration of ``run``, on the tracked instance only), so
sessions of untracked servers pass straight through.
"""

from __future__ import annotations

import contextvars
import importlib
from collections.abc import Mapping
from typing import Any

from .._log import contain, log_once
from ..tracker import Record, ServerState, Tracker
from .request_view import RequestView

_TRACKED_BY = "_mcptrail_tracker"
_PENDING = "_mcptrail_pending"
_HOOKED = "_mcptrail_hooked"
#: The session serves one stateless HTTP request (``ServerSession(stateless=True)``).
_STATELESS = "_mcptrail_stateless"

#: The tracked server whose ``run`` is creating sessions in this context.
_running: contextvars.ContextVar[tuple[Tracker, ServerState] | None] = contextvars.ContextVar("mcptrail_running", default=None)


class JsonRpcError(Exception):
    """The JSON-RPC error a 1.x server answered (its ``ErrorData``), as the tracker reads errors."""

    def __init__(self, code: Any, message: str) -> None:
        super().__init__(message)
        self.code = code


def _dump(model: Any) -> Any:
    dump = getattr(model, "model_dump", None)
    return dump(by_alias=True, mode="json", exclude_none=True) if callable(dump) else model


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class SessionView(RequestView):
    """One request of a 1.x ``ServerSession``: its ``RequestResponder`` and the session."""

    __slots__ = ("session",)

    def __init__(self, responder: Any, session: Any, handled: bool) -> None:
        request = getattr(getattr(responder, "request", None), "root", None)
        metadata = getattr(responder, "message_metadata", None)
        super().__init__(responder, str(getattr(request, "method", "")), _dump(getattr(request, "params", None)),
                         getattr(metadata, "request_context", None))
        self.session = session
        self.handled = handled

    @property
    def connection(self) -> Any:
        return self.session

    def _connection_session_id(self) -> str | None:
        if getattr(self.session, _STATELESS, True) or self.http_request is None:
            return None
        # A stateful Streamable HTTP client echoes the session the server gave it; on
        # ``initialize`` the id is the one the answer carries (an SSE answer starts first).
        exchange = self.exchange
        return self.header("mcp-session-id") or (exchange.response_session_id if exchange else None)

    def session_id_pending(self) -> bool:
        # The ``initialize`` of a stateful server, before its answer has started.
        exchange = self.exchange
        return exchange is not None and not exchange.stateless and not getattr(self.session, _STATELESS, True) and self._connection_session_id() is None

    def connection_client(self) -> Any:
        return getattr(getattr(self.session, "client_params", None), "clientInfo", None)

    def connection_protocol_version(self) -> str | None:
        return _text(getattr(getattr(self.session, "client_params", None), "protocolVersion", None))

    def wire_outcome(self, ok: bool, outcome: Any) -> tuple[bool, Any]:
        if ok:
            return True, _dump(getattr(outcome, "root", outcome))
        return False, JsonRpcError(getattr(outcome, "code", None), str(getattr(outcome, "message", outcome)))


def _session_class() -> Any:
    try:
        return getattr(importlib.import_module("mcp.server.session"), "ServerSession", None)
    except ImportError:
        return None


def _install_session_hooks() -> bool:
    cls = _session_class()
    names = ("__init__", "_received_request", "_send_response")
    if cls is None or not all(callable(getattr(cls, n, None)) for n in names):
        return False
    if getattr(cls, _HOOKED, False):
        return True
    init, received, send_response = (getattr(cls, n) for n in names)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        running = _running.get()
        if running is not None:
            setattr(self, _TRACKED_BY, running)
            setattr(self, _PENDING, {})
            setattr(self, _STATELESS, bool(kwargs.get("stateless", args[3] if len(args) > 3 else False)))

    async def _received_request(self: Any, responder: Any) -> Any:
        running = getattr(self, _TRACKED_BY, None)
        if running is not None:
            contain("arrive", lambda: _arrive(self, running, responder), None)
        return await received(self, responder)

    async def _send_response(self: Any, request_id: Any, response: Any) -> Any:
        pending: dict[Any, Record] | None = getattr(self, _PENDING, None)
        record = pending.pop(request_id, None) if pending else None
        if record is not None:
            tracker: Tracker = getattr(self, _TRACKED_BY)[0]
            is_error = type(response).__name__ == "ErrorData"
            tracker.complete(record, not is_error, response)
        return await send_response(self, request_id, response)

    cls.__init__ = __init__
    cls._received_request = _received_request
    cls._send_response = _send_response
    setattr(cls, _HOOKED, True)
    return True


def _arrive(session: Any, running: tuple[Tracker, ServerState], responder: Any) -> None:
    tracker, state = running
    if tracker.stopped:
        return
    request = getattr(getattr(responder, "request", None), "root", None)
    handlers: Mapping[Any, Any] = getattr(state.server, "request_handlers", {})
    handled = type(request) in handlers or type(request).__name__ in ("InitializeRequest", "PingRequest")
    record = tracker.arrive(state, SessionView(responder, session, handled))
    if record is not None:
        getattr(session, _PENDING)[responder.request_id] = record


def is_session_server(value: Any) -> bool:
    """A 1.x low-level ``Server``: handlers keyed by request type, and ``run``."""
    return isinstance(getattr(value, "request_handlers", None), dict) and callable(getattr(value, "run", None)) and not isinstance(getattr(value, "middleware", None), list)


def install(server: Any, tracker: Tracker) -> bool:
    """Tracks the sessions this server's ``run`` creates; False when it is tracked already or the line is unknown."""
    if getattr(server, _TRACKED_BY, None) is not None:
        return False
    if not _install_session_hooks():
        log_once("mcp1-shape", "this mcp package's ServerSession has none of the expected methods; the server runs untracked")
        return False
    state = ServerState(server)
    run = server.run

    async def tracked_run(*args: Any, **kwargs: Any) -> Any:
        token = _running.set((tracker, state))
        try:
            return await run(*args, **kwargs)
        finally:
            _running.reset(token)

    server.run = tracked_run
    setattr(server, _TRACKED_BY, tracker)
    return True
