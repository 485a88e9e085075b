"""Stateful or stateless, and the session id (docs/sdk.md, the detection table).

The first rule that applies wins:

1. ``stateless=True`` (option, or a session manager started with ``stateless_http=True``) → stateless;
2. a 2026-07-28 request (per-request ``_meta`` envelope) → stateless, unless ``stateless=False``;
3. a transport session id (``mcp-session-id``) → stateful, with that id;
4. ``stateless=False`` → stateful, one id per connection;
5. over HTTP without a session → stateless;
6. otherwise (stdio, in-memory) → stateful, one id per connection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SessionDecision:
    stateless: bool
    session_id: str | None


STATELESS = SessionDecision(True, None)


def decide_session(
    forced: bool | None, modern: bool, http: bool, transport_session_id: str | None, connection_id: Callable[[], str]
) -> SessionDecision:
    if forced is True:
        return STATELESS
    if modern and forced is not False:
        return STATELESS
    if transport_session_id:
        return SessionDecision(False, transport_session_id)
    if forced is False:
        return SessionDecision(False, connection_id())
    if http:
        return STATELESS
    return SessionDecision(False, connection_id())
