"""``track()``, ``flush()`` and ``shutdown()``: the whole public surface's behaviour."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ._log import debug, log_once
from .adapters import mcp_session, middleware
from .adapters.detect import detect_shape
from .adapters.http_exchange import install_exchange_hook
from .capture.build_event import WireEvent
from .capture.sanitize import DEFAULT_MAX_PAYLOAD_BYTES
from .delivery import registry
from .delivery.pipeline import DeliveryConfig
from .tracker import Options, Tracker
from .types import CaptureOptions, DeliveryOptions, DeliveryStats, Identify, RequestContext, RequestInfo

S = TypeVar("S")

DEFAULT_FLUSH_TIMEOUT = 10.0
_shut_down = False


def _delivery_config(options: DeliveryOptions | None) -> DeliveryConfig:
    given: dict[str, Any] = dict(options or {})
    known = DeliveryConfig.__dataclass_fields__
    unknown = set(given) - set(known)
    if unknown:
        log_once("delivery-options", f"unknown delivery option(s) ignored: {', '.join(sorted(unknown))}")
    return DeliveryConfig(**{k: v for k, v in given.items() if k in known})


def track(
    server: S,
    *,
    project_key: str | None = None,
    endpoint: str | None = None,
    identify: Identify | None = None,
    identify_timeout: float = 1.0,
    stateless: bool | None = None,
    conversation_token: bool | str = False,
    trust_proxy: bool = False,
    capture: CaptureOptions | None = None,
    redact: Callable[[WireEvent], WireEvent | None] | None = None,
    tags: Callable[[RequestInfo, RequestContext], Mapping[str, str] | None] | None = None,
    properties: Callable[[RequestInfo, RequestContext], Mapping[str, Any] | None] | None = None,
    delivery: DeliveryOptions | None = None,
    enabled: bool = True,
) -> S:
    """Instruments an MCP server and returns it. Never raises, never changes what the server answers.

    ``server``: the ``mcp`` package's ``MCPServer`` (2.x), ``FastMCP`` (1.x) or
    low-level ``Server``, or a ``fastmcp.FastMCP``. See docs/sdk-python.md for every option.
    """
    try:
        if not enabled:
            return server
        if _shut_down:
            log_once("after-shutdown", "track() after shutdown(): the server runs untracked")
            return server
        shape = detect_shape(server)
        if shape is None:
            log_once("shape", "track(): not an MCP server this SDK knows (mcp MCPServer, FastMCP or Server; fastmcp FastMCP); left untracked")
            return server
        key = project_key or os.environ.get("MCPTRAIL_KEY")
        if not key:
            log_once("no-key", "no project_key (or MCPTRAIL_KEY): the server runs untracked")
            return server
        capture = capture or {}
        options = Options(
            identify=identify,
            identify_timeout=identify_timeout,
            stateless=stateless,
            conversation_token=conversation_token,
            trust_proxy=trust_proxy,
            capture_arguments=capture.get("arguments", True),
            capture_results=capture.get("results", True),
            sensitive_keys=tuple(capture.get("sensitive_keys", ())),
            max_payload_bytes=capture.get("max_payload_bytes", DEFAULT_MAX_PAYLOAD_BYTES),
            redact=redact,
            tags=tags,
            properties=properties,
        )
        destination = endpoint or os.environ.get("MCPTRAIL_ENDPOINT") or registry.DEFAULT_ENDPOINT
        pipeline = registry.pipeline_for(destination, key, _delivery_config(delivery))
        install_exchange_hook(hold_starts=bool(conversation_token))
        if conversation_token and getattr(shape.server, "_session_manager", None) is not None:
            log_once("token-late", "track() after streamable_http_app(): call it before making the app, or that app answers without conversation tokens")
        install = middleware.install if shape.kind != "mcp1" else mcp_session.install
        if not install(shape.server, Tracker(options, key, pipeline)):
            debug("track(): server already tracked")
    except Exception as error:  # noqa: BLE001 - the host must never see our failures
        log_once("track", "track() could not instrument the server; it runs untracked", error)
    return server


def flush(timeout: float = DEFAULT_FLUSH_TIMEOUT) -> bool:
    """Delivers the events of every request finished before the call; blocks up to ``timeout`` seconds.

    True when all of them were delivered (or refused). Never raises. From async
    code, ``await aflush()`` instead: events waiting for an async ``identify``
    need the event loop this call would block.
    """
    try:
        return registry.flush_all(timeout)
    except Exception as error:  # noqa: BLE001
        log_once("flush", "flush() failed", error)
        return False


def shutdown(timeout: float = DEFAULT_FLUSH_TIMEOUT) -> bool:
    """Flushes, then stops delivery for good: once only; servers tracked before run untracked after it."""
    global _shut_down
    try:
        if _shut_down:
            return True
        _shut_down = True
        return registry.shutdown_all(timeout)
    except Exception as error:  # noqa: BLE001
        log_once("shutdown", "shutdown() failed", error)
        return False


async def aflush(timeout: float = DEFAULT_FLUSH_TIMEOUT) -> bool:
    """``flush()`` for async code: waits in a thread, so the event loop keeps serving."""
    return await asyncio.get_running_loop().run_in_executor(None, flush, timeout)


async def ashutdown(timeout: float = DEFAULT_FLUSH_TIMEOUT) -> bool:
    """``shutdown()`` for async code."""
    return await asyncio.get_running_loop().run_in_executor(None, shutdown, timeout)


def delivery_stats() -> DeliveryStats:
    """Counters over every destination, for health checks and tests."""
    stats = DeliveryStats(queued=0, queued_bytes=0, sent=0, dropped=0)
    for pipeline in registry.all_pipelines():
        stats["queued"] += pipeline.pending
        stats["queued_bytes"] += pipeline.queued_bytes
        stats["sent"] += pipeline.stats.sent
        stats["dropped"] += pipeline.stats.dropped
    return stats
