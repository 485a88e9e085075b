"""Turns each request a tracked server serves into one event (docs/sdk-python.md).

On the event loop only: a record at arrival (times, the request's context), the
conversation token for a stateless ``initialize``, ``identify`` started as a
task, and the outcome at completion. Everything else — session, client,
fingerprint, the event itself — is worked out on the delivery thread.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._ids import new_id, random_id
from ._log import contain, log_once
from .adapters.request_view import RequestView
from .capture.build_event import CaptureConfig, ObservedRequest, WireEvent, build_event, clean_tags
from .capture.client_address import client_address_of
from .capture.client_fingerprint import FingerprintFacts, Fingerprints, protocol_version_for_fingerprint
from .capture.client_identity import ENVELOPE_PROTOCOL_VERSION, ClientInfo, as_client, names_its_client, resolve_client
from .capture.conversation_token import Conversation, issue_conversation_token, read_conversation_token
from .capture.identify import IdentifyRunner, UserIdentity, when_identified
from .capture.keyed_hash import KeyedHash, create_keyed_hash
from .capture.redact import sensitive_key_test
from .capture.sanitize import DEFAULT_MAX_PAYLOAD_BYTES, WIRE_MAX_PAYLOAD_BYTES, SanitizeOptions, sanitize
from .capture.session import SessionDecision, decide_session
from .delivery.pipeline import Pipeline
from .types import RequestContext, RequestInfo

MCP_SESSION_ID = "mcp-session-id"
METHOD_NOT_FOUND = -32601


@dataclass(frozen=True)
class Options:
    """``track()``'s options, checked once."""

    identify: Callable[..., Any] | None
    identify_timeout: float
    stateless: bool | None
    conversation_token: bool | str
    trust_proxy: bool
    capture_arguments: bool
    capture_results: bool
    sensitive_keys: tuple[str, ...]
    max_payload_bytes: int
    redact: Callable[[WireEvent], WireEvent | None] | None
    tags: Callable[[RequestInfo, RequestContext], Mapping[str, str] | None] | None
    properties: Callable[[RequestInfo, RequestContext], Mapping[str, Any] | None] | None


class ServerState:
    """One instrumented low-level server."""

    __slots__ = ("server", "name", "version")

    def __init__(self, server: Any) -> None:
        self.server = server
        name, version = getattr(server, "name", None), getattr(server, "version", None)
        self.name = name if isinstance(name, str) else None
        self.version = version if isinstance(version, str) and version else None

    def handles(self, method: str) -> bool:
        return method == "initialize" or contain("handler", lambda: self.server.get_request_handler(method) is not None, True)


class Record:
    """Everything kept from arrival to event."""

    __slots__ = (
        "state", "view", "timestamp", "start", "duration_ms", "ok", "outcome",
        "issued", "identity", "session", "conversation", "context", "request",
    )

    def __init__(self, state: ServerState, view: RequestView) -> None:
        self.state = state
        self.view = view
        self.timestamp = time.time() * 1000
        self.start = time.perf_counter()
        self.duration_ms = 0.0
        self.ok = True
        self.outcome: Any = None
        #: Set on an ``initialize`` answered with a conversation token.
        self.issued: Conversation | None = None
        self.identity: asyncio.Future[UserIdentity | None] | None = None
        # Worked out when first needed (memos): see Tracker.session_of and the others.
        self.session: SessionDecision | None = None
        self.conversation: Conversation | None | bool = False
        self.context: RequestContext | None = None
        self.request: RequestInfo | None = None

    def request_info(self) -> RequestInfo:
        if self.request is None:
            self.request = RequestInfo(self.view.method, self.view.params)
        return self.request


def _connection_id(connection: Any) -> str:
    """One random id per connection object (rule 4 and 6 of the session table)."""
    existing = getattr(connection, "_mcptrail_connection_id", None)
    if isinstance(existing, str):
        return existing
    new = random_id()
    if connection is not None:
        contain("connection-id", lambda: setattr(connection, "_mcptrail_connection_id", new), None)
    return new


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class Tracker:
    def __init__(self, options: Options, project_key: str, pipeline: Pipeline) -> None:
        self.options = options
        self._pipeline = pipeline
        keyed = create_keyed_hash(project_key)
        self._fingerprints = Fingerprints(keyed)
        token = options.conversation_token
        self._token_hash: KeyedHash = create_keyed_hash(token) if isinstance(token, str) else keyed
        self._issues_tokens = bool(token)
        max_bytes = min(WIRE_MAX_PAYLOAD_BYTES, max(256, options.max_payload_bytes))
        self._capture = CaptureConfig(
            options.capture_arguments,
            options.capture_results,
            # Without a redact hook nothing can touch the event between building and serializing it.
            SanitizeOptions(sensitive_key_test(options.sensitive_keys), max_bytes, share_clean=options.redact is None),
        )
        self._identify = IdentifyRunner(options.identify, options.identify_timeout) if options.identify else None

    @property
    def stopped(self) -> bool:
        return self._pipeline.stopped

    # ---- on the event loop ----

    def arrive(self, state: ServerState, view: RequestView) -> Record | None:
        try:
            record = Record(state, view)
            if self._issues_tokens and record.view.method == "initialize":
                self._answer_with_token(record)
            if self._identify is not None:
                session = self.session_of(record)
                record.identity = self._identify.start(record.request_info(), self.context_of(record), None if session.stateless else session.session_id)
            return record
        except Exception as error:  # noqa: BLE001 - the request goes on untracked
            log_once("arrive", "internal error before a handler", error)
            return None

    def complete(self, record: Record, ok: bool, outcome: Any) -> None:
        try:
            record.duration_ms = (time.perf_counter() - record.start) * 1000
            record.ok = ok
            record.outcome = outcome
            handled = record.view.handled
            if not ok and getattr(getattr(outcome, "error", outcome), "code", None) == METHOD_NOT_FOUND and not (handled if handled is not None else record.state.handles(record.view.method)):
                return  # no handler: the SDK answered -32601, as the TypeScript SDK records nothing
            pipeline = self._pipeline
            identity = record.identity
            if identity is None:
                pipeline.submit(lambda: self.emit(record, None))
                return
            seq = pipeline.reserve()
            remaining = record.timestamp / 1000 + self.options.identify_timeout - time.time()
            when_identified(identity, remaining, lambda user: pipeline.submit(lambda: self.emit(record, user), seq))
        except Exception as error:  # noqa: BLE001
            log_once("complete", "internal error after a handler", error)

    def _answer_with_token(self, record: Record) -> None:
        """Sets a conversation token as the ``Mcp-Session-Id`` of a stateless ``initialize`` answer."""
        view = record.view
        exchange = view.exchange
        if exchange is None or self.options.stateless is False or view.transport_session_id is not None or view.session_id_pending():
            return
        client = as_client(view.params.get("clientInfo") if view.params else None, "clientInfo")
        token, conversation = issue_conversation_token(client, self._token_hash)
        if exchange.set_header(MCP_SESSION_ID, token):
            record.issued = conversation

    # ---- anywhere (lazy, memoized per record) ----

    def session_of(self, record: Record) -> SessionDecision:
        if record.session is None:
            view = record.view
            forced = self.options.stateless
            if forced is None:
                exchange = view.exchange
                forced = True if exchange is not None and exchange.stateless else None
            decision = decide_session(forced, view.is_modern(), view.http, view.transport_session_id, lambda: _connection_id(view.connection))
            if view.session_id_pending():
                return decision  # not kept: asked again once the answer has given the session its id
            record.session = decision
        return record.session

    def conversation_of(self, record: Record) -> Conversation | None:
        """The one its ``initialize`` answer started, or the one its token names (stateless only)."""
        if record.conversation is False:
            found = record.issued
            if found is None and self.session_of(record).stateless:
                found = read_conversation_token(record.view.header(MCP_SESSION_ID), self._token_hash)
            record.conversation = found
        return record.conversation if isinstance(record.conversation, Conversation) else None

    def client_of(self, record: Record) -> ClientInfo | None:
        view = record.view
        initialize = view.params.get("clientInfo") if view.method == "initialize" and view.params else None
        connection = initialize if initialize is not None else view.connection_client()
        conversation = self.conversation_of(record)
        return resolve_client(view.envelope(), connection, conversation.client if conversation else None, view.header if view.http else None)

    def client_address_of(self, record: Record) -> str | None:
        view = record.view
        return client_address_of(view.header("x-forwarded-for"), view.peer_address, self.options.trust_proxy)

    def context_of(self, record: Record) -> RequestContext:
        if record.context is None:
            record.context = RequestContext(self, record)
        return record.context

    # ---- on the delivery thread ----

    def _fingerprint_of(self, record: Record) -> str | None:
        """For a stateless request of a client that names itself only in ``initialize`` (docs/adr/0104)."""
        view = record.view
        if not self.session_of(record).stateless or self.conversation_of(record) or names_its_client(view.envelope()):
            return None
        outcome = record.outcome if record.ok and isinstance(record.outcome, Mapping) else None
        negotiated = _text(outcome.get("protocolVersion")) if outcome else None
        requested = _text(view.params.get("protocolVersion")) if view.params else None
        client_name = view.header("x-mcp-client-name")
        return self._fingerprints.of(
            FingerprintFacts(
                user_agent=view.header("user-agent"),
                client_header=f"{client_name}/{view.header('x-mcp-client-version') or ''}" if client_name else client_name,
                protocol_version=protocol_version_for_fingerprint(view.method, negotiated or requested, view.header("mcp-protocol-version")),
                address=self.client_address_of(record),
            )
        )

    def _protocol_version_of(self, record: Record) -> str | None:
        view = record.view
        envelope = view.envelope()
        found = _text(envelope.get(ENVELOPE_PROTOCOL_VERSION)) if envelope else None
        found = found or _text(view.header("mcp-protocol-version"))
        if not found and view.method == "initialize" and record.ok and isinstance(record.outcome, Mapping):
            found = _text(record.outcome.get("protocolVersion"))
        return found or view.connection_protocol_version()

    def emit(self, record: Record, user: UserIdentity | None) -> WireEvent | None:
        view = record.view
        state = record.state
        record.ok, record.outcome = view.wire_outcome(record.ok, record.outcome)
        conversation = self.conversation_of(record)
        observed = ObservedRequest(
            method=view.method,
            params=view.params,
            timestamp=record.timestamp,
            duration_ms=record.duration_ms,
            ok=record.ok,
            outcome=record.outcome,
            session_id=self.session_of(record).session_id,
            conversation_id=conversation.id if conversation else None,
            client=self.client_of(record),
            client_fingerprint=self._fingerprint_of(record),
            server=(state.name, state.version) if state.name else None,
            protocol_version=self._protocol_version_of(record),
            transport=view.transport_name(),
        )
        event = build_event(new_id(), observed, user, self._capture)
        options = self.options
        if options.tags is not None:
            tags = options.tags
            cleaned = clean_tags(contain("tags", lambda: tags(record.request_info(), self.context_of(record)), None))
            if cleaned:
                event["tags"] = cleaned
        if options.properties is not None:
            properties = options.properties
            props = contain("properties", lambda: properties(record.request_info(), self.context_of(record)), None)
            if isinstance(props, Mapping):
                event["properties"] = sanitize(props, self._capture.sanitize)
        if options.redact is not None:
            try:
                return options.redact(event)
            except Exception as error:  # noqa: BLE001
                # A raising hook drops the event rather than risk sending what it meant to hide.
                log_once("redact", "redact() raised; the event was dropped", error)
                return None
        return event
