"""Runs the user's ``identify`` beside the handler, never in its way.

It starts as a task when the request arrives, so it runs concurrently with the
handler; only the event waits for it, at most ``identify_timeout`` seconds from
arrival. A sync ``identify`` runs on the event loop like any callback (keep it
light; make it ``async`` for I/O). Whatever it raises or returns, the server's
answer does not change: the event goes anonymous and the failure is logged once.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .._log import log_once

#: Stateful sessions identify once (until a user is found); bounded, oldest forgotten first.
MAX_SESSIONS = 10_000


@dataclass(frozen=True)
class UserIdentity:
    user_id: str
    user_name: str | None = None
    user_data: Any = None


def _field(value: Any, name: str) -> Any:
    return value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)


def valid_user(value: Any) -> UserIdentity | None:
    """``{"user_id", "user_name"?, "user_data"?}`` (a mapping or an object with those attributes)."""
    if value is None:
        return None
    user_id = _field(value, "user_id")
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        user_id = str(user_id)
    if not isinstance(user_id, str) or not user_id:
        log_once("identify-shape", "identify() returned something without a user_id; the event is sent anonymous")
        return None
    name = _field(value, "user_name")
    if name is not None and not isinstance(name, str):
        # Anything but text would make the collector refuse the whole event.
        log_once("identify-username", "identify() returned a user_name that is not a string; it was left out")
        name = None
    return UserIdentity(user_id, name, _field(value, "user_data"))


Identify = Callable[[Any, Any], Any]


async def _run(identify: Identify, request: Any, context: Any) -> UserIdentity | None:
    try:
        answer = identify(request, context)
        if inspect.isawaitable(answer):
            answer = await answer
        return valid_user(answer)
    except Exception as error:  # noqa: BLE001 - identify's failure must not reach the server
        log_once("identify", "identify() raised; the event is sent anonymous", error)
        return None


class _CacheEntry:
    __slots__ = ("future", "user")

    def __init__(self, future: asyncio.Future[UserIdentity | None]) -> None:
        self.future = future
        self.user: UserIdentity | None = None
        future.add_done_callback(self._settled)

    def _settled(self, future: asyncio.Future[UserIdentity | None]) -> None:
        if not future.cancelled():
            self.user = future.result()


class IdentifyRunner:
    def __init__(self, identify: Identify, timeout: float) -> None:
        self.identify = identify
        self.timeout = timeout
        self._sessions: dict[str, _CacheEntry] = {}

    def start(self, request: Any, context: Any, session_key: str | None) -> asyncio.Future[UserIdentity | None]:
        """Every request when stateless (``session_key`` None), once per session otherwise."""
        if session_key is None:
            return asyncio.ensure_future(_run(self.identify, request, context))
        cached = self._sessions.get(session_key)
        if cached is not None and cached.user is not None:
            return cached.future
        entry = _CacheEntry(asyncio.ensure_future(_run(self.identify, request, context)))
        self._sessions[session_key] = entry
        if len(self._sessions) > MAX_SESSIONS:
            del self._sessions[next(iter(self._sessions))]
        return entry.future


def when_identified(
    future: asyncio.Future[UserIdentity | None], remaining: float, deliver: Callable[[UserIdentity | None], None]
) -> None:
    """Calls ``deliver`` once, with the user, or with None once ``remaining`` seconds have passed."""
    if future.done():
        deliver(None if future.cancelled() or future.exception() else future.result())
        return
    if remaining <= 0:
        deliver(None)
        return
    delivered = False

    def settle(user: UserIdentity | None) -> None:
        nonlocal delivered
        if not delivered:
            delivered = True
            timer.cancel()
            deliver(user)

    def on_timeout() -> None:
        if not delivered:
            log_once("identify-timeout", "identify() took longer than its timeout; the event is sent anonymous")
        settle(None)

    loop = future.get_loop()
    timer = loop.call_later(remaining, on_timeout)
    future.add_done_callback(lambda f: settle(None if f.cancelled() or f.exception() else f.result()))
