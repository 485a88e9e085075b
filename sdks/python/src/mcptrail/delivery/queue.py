"""Serialized events waiting for delivery, bounded by count and by size.

On overflow the oldest events are dropped and counted; the count travels with the
next batch (``dropped``) and in the sender's running total (``sender``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

#: Bytes counted per queued event on top of its JSON (the tuple, its deque slot).
ITEM_OVERHEAD = 100


@dataclass
class Taken:
    """A batch taken from the queue: ``(seq, json)`` items, their JSON bytes, and the drops to report with it."""

    items: list[tuple[int, bytes]]
    size: int
    dropped: int


@dataclass
class BoundedQueue:
    max_events: int
    max_bytes: int
    _items: deque[tuple[int, bytes]] = field(default_factory=deque)
    _bytes: int = 0
    #: Dropped and not yet reported.
    dropped: int = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        return self._bytes

    def head_seq(self) -> int | None:
        return self._items[0][0] if self._items else None

    def min_seq(self) -> int | None:
        return min((seq for seq, _ in self._items), default=None)

    def push(self, seq: int, data: bytes) -> int:
        """Queues one event; returns how many it pushed out (counted as dropped)."""
        cost = len(data) + ITEM_OVERHEAD
        if cost > self.max_bytes:
            self.dropped += 1
            return 1
        self._items.append((seq, data))
        self._bytes += cost
        return self._evict()

    def take(self, max_count: int, max_bytes: int) -> Taken:
        """Up to ``max_count`` events and ``max_bytes`` of JSON, oldest first (at least one if any)."""
        items: list[tuple[int, bytes]] = []
        size = 0
        while self._items and len(items) < max_count:
            seq, data = self._items[0]
            if items and size + len(data) > max_bytes:
                break
            items.append(self._items.popleft())
            size += len(data)
        self._bytes -= size + len(items) * ITEM_OVERHEAD
        taken = Taken(items, size, self.dropped)
        self.dropped = 0
        return taken

    def put_back(self, batch: Taken) -> int:
        """A batch not delivered yet goes back at the head, in order, with the drop count it carried.

        The bounds then apply as on push (oldest first). Returns how many that evicted.
        """
        self.dropped += batch.dropped
        self._items.extendleft(reversed(batch.items))
        self._bytes += batch.size + len(batch.items) * ITEM_OVERHEAD
        return self._evict()

    def _evict(self) -> int:
        evicted = 0
        while self._items and (len(self._items) > self.max_events or self._bytes > self.max_bytes):
            _, data = self._items.popleft()
            self._bytes -= len(data) + ITEM_OVERHEAD
            evicted += 1
        self.dropped += evicted
        return evicted
