"""The SDK contains its own failures: each kind is logged once (detail with MCPTRAIL_DEBUG=1).

Everything goes to the ``mcptrail`` logger, never to stdout: a stdio server's
stdout is its protocol stream. Without a configured handler, Python's last-resort
handler writes warnings to stderr.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import TypeVar

logger = logging.getLogger("mcptrail")

_seen: set[str] = set()
_counts: dict[str, int] = {}
_lock = threading.Lock()

T = TypeVar("T")


def debug_enabled() -> bool:
    return os.environ.get("MCPTRAIL_DEBUG") == "1"


def log_once(kind: str, message: str, error: BaseException | None = None) -> None:
    debug = debug_enabled()
    with _lock:
        _counts[kind] = _counts.get(kind, 0) + 1
        if kind in _seen and not debug:
            return
        _seen.add(kind)
    try:
        detail = f": {error!r}" if error is not None else ""
        logger.warning("[mcptrail] %s%s", message, detail, exc_info=error if debug and error is not None else None)
    except Exception:  # noqa: BLE001 - a broken logging setup is not ours to report
        pass


def debug(message: str) -> None:
    if debug_enabled():
        logger.warning("[mcptrail] %s", message)


def failure_counts() -> dict[str, int]:
    """Internal failures counted per kind, for tests and diagnostics."""
    with _lock:
        return dict(_counts)


def contain(kind: str, fn: Callable[[], T], fallback: T) -> T:
    """Runs ``fn``, containing anything it raises."""
    try:
        return fn()
    except Exception as error:  # noqa: BLE001 - the host must never see our failures
        log_once(kind, f"internal error ({kind})", error)
        return fallback
