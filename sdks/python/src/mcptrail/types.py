"""The public types: what ``identify``, ``tags`` and ``properties`` receive and return."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
import sys
from typing import Any, TypedDict, Union

from .capture.client_identity import ClientInfo

if sys.version_info >= (3, 11):
    from typing import NotRequired
else:  # pragma: no cover - typing_extensions comes with the mcp package
    from typing_extensions import NotRequired


@dataclass(frozen=True)
class RequestInfo:
    """The JSON-RPC request a handler received."""

    method: str
    params: Mapping[str, Any] | None


class RequestContext:
    """The same shape for every server shape (docs/sdk-python.md). Read lazily: unread fields cost nothing."""

    __slots__ = ("_tracker", "_record", "_cached")

    def __init__(self, tracker: Any, record: Any) -> None:
        self._tracker = tracker
        self._record = record
        self._cached: dict[str, Any] = {}

    def _memo(self, name: str, compute: Callable[[], Any]) -> Any:
        if name not in self._cached:
            self._cached[name] = compute()
        return self._cached[name]

    @property
    def headers(self) -> dict[str, str] | None:
        """Lower-cased HTTP request headers, when the request came over HTTP."""
        return self._memo("headers", self._record.view.headers)  # type: ignore[no-any-return]

    @property
    def auth_info(self) -> Any:
        """The verified access token, when the server uses the ``mcp`` package's auth."""
        return self._record.view.auth_info

    @property
    def session_id(self) -> str | None:
        """The transport session id (HTTP ``mcp-session-id``), when there is one."""
        return self._record.view.transport_session_id  # type: ignore[no-any-return]

    @property
    def client_address(self) -> str | None:
        """The first ``X-Forwarded-For`` hop with ``trust_proxy``, else the socket's peer. Never sent by itself."""
        return self._memo("client_address", lambda: self._tracker.client_address_of(self._record))  # type: ignore[no-any-return]

    @property
    def client_info(self) -> ClientInfo | None:
        """The client as far as it is known for this request."""
        return self._memo("client_info", lambda: self._tracker.client_of(self._record))  # type: ignore[no-any-return]

    @property
    def meta(self) -> Mapping[str, Any] | None:
        """The request's ``_meta``, 2026-07-28 envelope keys included."""
        return self._record.view.meta()  # type: ignore[no-any-return]

    @property
    def raw(self) -> Any:
        """The ``mcp`` package's own ``ServerRequestContext``."""
        return self._record.view.ctx


class UserIdentity(TypedDict):
    """What ``identify`` returns for an identified user (``None`` for anonymous)."""

    user_id: str
    user_name: NotRequired[str | None]
    user_data: NotRequired[Any]


IdentifyResult = Union[UserIdentity, Mapping[str, Any], None]
Identify = Callable[[RequestInfo, RequestContext], Union[IdentifyResult, Awaitable[IdentifyResult]]]


class CaptureOptions(TypedDict, total=False):
    #: Send tool/prompt arguments (sanitized and capped). Default True.
    arguments: bool
    #: Send results (sanitized and capped). Default True.
    results: bool
    #: Extra keys whose values are replaced by ``[redacted]`` (compared as the default rules are).
    sensitive_keys: list[str]
    #: Cap for each payload, as JSON. Default 32 KiB, at most 256 KiB.
    max_payload_bytes: int


class DeliveryOptions(TypedDict, total=False):
    #: Events per request. Default 500 (the collector takes at most 1000).
    batch_size: int
    #: Longest wait before a partial batch is sent, seconds. Default 1.0.
    flush_interval: float
    #: Queue bound by count. Default 100 000.
    max_queue_events: int
    #: Queue bound by size (JSON bytes plus 100 per event). Default 64 MiB.
    max_queue_bytes: int
    #: Attempts per batch before it goes back to the queue. Default 8.
    max_attempts: int
    #: Bound on one request as a whole, seconds. Default 10.
    request_timeout: float
    #: gzip bodies larger than this; None never compresses. Default 1 MiB.
    gzip_above_bytes: int | None


class DeliveryStats(TypedDict):
    #: Events not delivered yet (waiting for identify, to be built, queued, in flight).
    queued: int
    #: JSON bytes of the queued events plus 100 per event (what ``max_queue_bytes`` bounds).
    queued_bytes: int
    #: Events in batches the collector answered.
    sent: int
    #: Events lost since start (overflow, refused batches, after shutdown).
    dropped: int

