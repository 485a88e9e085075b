"""mcptrail: analytics for MCP servers. The complete public surface."""

from .capture.client_identity import ClientInfo
from .track import aflush, ashutdown, delivery_stats, flush, shutdown, track
from .types import CaptureOptions, DeliveryOptions, DeliveryStats, Identify, RequestContext, RequestInfo, UserIdentity

__all__ = [
    "CaptureOptions",
    "ClientInfo",
    "DeliveryOptions",
    "DeliveryStats",
    "Identify",
    "RequestContext",
    "RequestInfo",
    "UserIdentity",
    "aflush",
    "ashutdown",
    "delivery_stats",
    "flush",
    "shutdown",
    "track",
]
