"""The one seam: a context-tier middleware, first in the low-level server's list.

It wraps every inbound request on every transport and era — ``initialize``,
lookup, validation, the handler — and sees what goes on the wire: the result
dict, or the error raised to become a JSON-RPC error. It changes nothing: the
same context goes down, the same result or exception comes back up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..tracker import ServerState, Tracker
from .request_view import ContextView

CallNext = Callable[[Any], Awaitable[Any]]


class TrackingMiddleware:
    __slots__ = ("tracker", "state")

    def __init__(self, tracker: Tracker, state: ServerState) -> None:
        self.tracker = tracker
        self.state = state

    async def __call__(self, ctx: Any, call_next: CallNext) -> Any:
        tracker = self.tracker
        # Notifications have no request id: nothing to answer, nothing to record.
        if getattr(ctx, "request_id", None) is None or tracker.stopped:
            return await call_next(ctx)
        record = tracker.arrive(self.state, ContextView(ctx))
        try:
            result = await call_next(ctx)
        except BaseException as error:
            if record is not None:
                tracker.complete(record, False, error)
            raise
        if record is not None:
            tracker.complete(record, True, result)
        return result


def install(server: Any, tracker: Tracker) -> bool:
    """Puts the middleware first in ``server.middleware``; False when it is there already."""
    if any(isinstance(m, TrackingMiddleware) for m in server.middleware):
        return False
    server.middleware.insert(0, TrackingMiddleware(tracker, ServerState(server)))
    return True
