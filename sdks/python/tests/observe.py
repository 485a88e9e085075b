"""Sees every event the SDK sends (through the ``redact`` hook, which passes it on unchanged)."""

from __future__ import annotations

import threading
from typing import Any


class Observed:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.events.append(event)
        return event

    def methods(self) -> list[str]:
        with self._lock:
            return [e.get("target") or e["method"] for e in self.events]
