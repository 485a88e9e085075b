"""One delivery pipeline per collector and key: built off the loop, sent from one thread.

The server's event loop only appends finished requests to an inbox (a deque
append, and a notify once per batch window). A daemon thread builds the events
(sanitizing, hashing, serializing), queues them in a bounded queue and posts
batches: it never blocks the loop, and the loop never waits for it.

- A batch goes when ``batch_size`` events wait, or ``flush_interval`` after the
  first; one request in flight at a time.
- Retries: network errors, timeouts, 5xx, 408, 429 and a 2xx that is not the
  collector's answer, with backoff and ``Retry-After``. After ``max_attempts``
  the batch goes back to the head of the queue and is tried again later, for as
  long as an outage lasts: only the queue's bounds lose events (oldest first).
- 413 halves the batch; other 4xx drop it. Every loss is counted and reported
  with the next batch as ``dropped`` and as the sender's running total.
- ``flush(timeout)`` waits for every request finished before the call (events
  still waiting for ``identify`` included), or the timeout.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._ids import random_id
from .._limits import MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH
from .._log import debug, log_once
from .._version import SDK_NAME, SDK_VERSION
from .exporter import HttpExporter, Verdict
from .queue import BoundedQueue, Taken
from .retry import RetryState

#: Event bytes per body: the wire limit less room for commas, ``sdk``, ``dropped`` and ``sender``.
MAX_BATCH_BYTES = MAX_BODY_BYTES - 16 * 1024
_SDK_FIELD = b'"sdk":' + json.dumps({"name": SDK_NAME, "version": SDK_VERSION}, separators=(",", ":")).encode()

#: Builds one event (on the delivery thread); None when ``redact`` dropped it.
BuildJob = Callable[[], "dict[str, Any] | None"]


@dataclass(frozen=True)
class DeliveryConfig:
    batch_size: int = 500
    flush_interval: float = 1.0
    max_queue_events: int = 100_000
    max_queue_bytes: int = 64 * 1024 * 1024
    max_attempts: int = 8
    request_timeout: float = 10.0
    gzip_above_bytes: int | None = 1024 * 1024


@dataclass
class PipelineStats:
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    #: Every event lost since start (overflow, refused batches, unserializable, after shutdown).
    dropped: int = 0
    failed_batches: int = 0


def encode_event(event: dict[str, Any]) -> bytes:
    # ASCII output: lone surrogates in payloads become \\u escapes instead of invalid UTF-8.
    return json.dumps(event, separators=(",", ":"), allow_nan=False).encode("ascii")


class Pipeline:
    def __init__(self, exporter: HttpExporter, config: DeliveryConfig) -> None:
        self._exporter = exporter
        self._config = config
        self._batch_size = max(1, min(config.batch_size, MAX_EVENTS_PER_BATCH))
        #: Lowered by a 413, raised again by each delivered batch.
        self._batch_cap = self._batch_size
        self._queue = BoundedQueue(config.max_queue_events, config.max_queue_bytes)
        self._retry = RetryState()
        self._sender_id = random_id()
        self.stats = PipelineStats()
        # A plain lock: the server's threads take it once per finished request.
        self._cond = threading.Condition(threading.Lock())
        #: Finished requests not built yet: ``(seq, job)``.
        self._inbox: deque[tuple[int, BuildJob]] = deque()
        #: Seqs of finished requests whose ``identify`` is still running.
        self._waiting: set[int] = set()
        #: Seqs the thread holds outside inbox and queue: being built, and in flight.
        self._building: list[int] = []
        self._in_flight: list[int] = []
        self._seq = 0
        self._armed_at: float | None = None
        self._flushers = 0
        self._stopping = False
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="mcptrail-delivery", daemon=True)
        self._thread.start()

    # ---- the server's side (any thread; the hot path) ----

    @property
    def stopped(self) -> bool:
        return self._stopped

    def reserve(self) -> int:
        """A place for a finished request whose event waits for ``identify`` (flush waits for it too)."""
        with self._cond:
            self._seq += 1
            self._waiting.add(self._seq)
            return self._seq

    def submit(self, job: BuildJob, seq: int | None = None) -> None:
        """Hands over a finished request (``seq``: the place ``reserve`` gave it)."""
        with self._cond:
            if seq is None:
                self._seq += 1
                seq = self._seq
            else:
                self._waiting.discard(seq)
            if self._stopped:
                self.stats.dropped += 1
                log_once("stopped", "an event arrived after shutdown(); it was dropped")
                return
            self._inbox.append((seq, job))
            if len(self._inbox) + len(self._queue) > self._config.max_queue_events:
                self._inbox.popleft()
                self._queue.dropped += 1
                self.stats.dropped += 1
            if self._armed_at is None:
                self._armed_at = time.monotonic()
                self._cond.notify_all()
            elif len(self._inbox) >= self._batch_size or self._flushers:
                self._cond.notify_all()

    # ---- flush and shutdown (any thread but the delivery thread) ----

    def flush(self, timeout: float) -> bool:
        """True when every request finished before the call is delivered or refused."""
        deadline = time.monotonic() + timeout
        with self._cond:
            target = self._seq
            if self._oldest_pending() > target:
                return True
            self._flushers += 1
            self._retry.cut_backoff()
            self._cond.notify_all()
            try:
                while self._oldest_pending() <= target and not self._stopped:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._cond.wait(left)
                return self._oldest_pending() > target
            finally:
                self._flushers -= 1

    def shutdown(self, timeout: float) -> bool:
        """Flushes, then stops the thread for good; later events are dropped and counted."""
        deadline = time.monotonic() + timeout
        delivered = self.flush(timeout)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join(max(0.0, deadline - time.monotonic()))
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        return delivered

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self._inbox) + len(self._queue) + len(self._building) + len(self._in_flight) + len(self._waiting)

    @property
    def queued_bytes(self) -> int:
        return self._queue.size

    # ---- the delivery thread ----

    def _oldest_pending(self) -> int:
        """The smallest seq not yet delivered or refused (past the newest when none). Under the lock."""
        candidates = [self._seq + 1]
        if self._waiting:
            candidates.append(min(self._waiting))
        if self._inbox:
            candidates.append(min(seq for seq, _ in self._inbox))
        for held in (self._building, self._in_flight):
            if held:
                candidates.append(min(held))
        oldest_queued = self._queue.min_seq()
        if oldest_queued is not None:
            candidates.append(oldest_queued)
        return min(candidates)

    def _due(self) -> bool:
        """A batch should go now. Under the lock."""
        if not self._queue and not self._inbox:
            return False
        if self._stopping or self._flushers:
            return True
        if len(self._queue) + len(self._inbox) >= self._batch_size:
            return True
        return self._armed_at is not None and time.monotonic() - self._armed_at >= self._config.flush_interval

    def _run(self) -> None:
        try:
            while True:
                with self._cond:
                    while not self._due() and not (self._stopping and not self._inbox and not self._queue):
                        timeout = None if self._armed_at is None else max(0.0, self._armed_at + self._config.flush_interval - time.monotonic())
                        self._cond.wait(timeout)
                    if self._stopped or (self._stopping and not self._inbox and not self._queue):
                        return
                self._build_inbox()
                self._send_due_batches()
        except Exception as error:  # noqa: BLE001 - a crashed thread must say so, once
            log_once("delivery-thread", "the delivery thread stopped after an internal error; events are no longer sent", error)
        finally:
            self._exporter.close()

    def _build_inbox(self) -> None:
        with self._cond:
            jobs = list(self._inbox)
            self._inbox.clear()
            self._building = [seq for seq, _ in jobs]
        built: list[tuple[int, bytes]] = []
        lost = 0
        for seq, job in jobs:
            try:
                event = job()
                if event is not None:
                    built.append((seq, encode_event(event)))
            except Exception as error:  # noqa: BLE001 - one bad event must not stop the rest
                lost += 1
                log_once("build", "internal error while building an event; it was dropped", error)
        with self._cond:
            for seq, data in built:
                self.stats.dropped += self._queue.push(seq, data)
            self._queue.dropped += lost
            self.stats.dropped += lost
            self._building = []
            self._cond.notify_all()

    def _send_due_batches(self) -> None:
        while True:
            with self._cond:
                if not self._queue or not (self._stopping or self._flushers or len(self._queue) >= self._batch_size or self._timer_fired()):
                    self._armed_at = time.monotonic() if self._queue or self._inbox else None
                    self._cond.notify_all()
                    return
            if not self._send_one():
                return

    def _timer_fired(self) -> bool:
        return self._armed_at is not None and time.monotonic() - self._armed_at >= self._config.flush_interval

    def _body(self, batch: Taken) -> bytes:
        tail = [b"]," + _SDK_FIELD]
        if batch.dropped:
            tail.append(b',"dropped":%d' % batch.dropped)
        if self.stats.dropped:
            tail.append(b',"sender":{"id":"%s","droppedTotal":%d}' % (self._sender_id.encode(), self.stats.dropped))
        return b'{"events":[' + b",".join(data for _, data in batch.items) + b"".join(tail) + b"}"

    def _wait_turn(self) -> bool:
        """Waits out the backoff (a flush cuts it short, not a Retry-After); False when stopping gives up."""
        with self._cond:
            while True:
                if self._stopped:
                    return False
                now = time.monotonic()
                at = self._retry.next_attempt_at()
                if now >= at:
                    return True
                self._cond.wait(at - now)
                if self._inbox:
                    # Keep building while waiting, so the inbox does not hold unbuilt requests for long.
                    self._cond.release()
                    try:
                        self._build_inbox()
                    finally:
                        self._cond.acquire()

    def _send_one(self) -> bool:
        """Sends one batch, with up to ``max_attempts`` attempts. False when the batch went back to the queue."""
        with self._cond:
            batch = self._queue.take(self._batch_cap, MAX_BATCH_BYTES)
            self._in_flight = [seq for seq, _ in batch.items]
        body = self._body(batch)
        verdict = Verdict("retryable", "no attempt made")
        for _ in range(max(1, self._config.max_attempts)):
            if not self._wait_turn():
                break
            verdict = self._exporter.export(body, time.monotonic() + 10 * 60)
            if verdict.kind != "retryable":
                break
            self._retry.failed(verdict.retry_after)
            debug(f"delivery attempt failed ({verdict.reason})")
        with self._cond:
            self._in_flight = []
            delivered = self._settle(batch, verdict)
            self._cond.notify_all()
        return delivered

    def _settle(self, batch: Taken, verdict: Verdict) -> bool:
        """Accounts for one batch's outcome. Under the lock."""
        count = len(batch.items)
        if verdict.kind == "success":
            self._retry.succeeded()
            self._batch_cap = min(self._batch_size, self._batch_cap * 2)
            self.stats.sent += count
            self.stats.accepted += verdict.accepted
            self.stats.duplicates += verdict.duplicates
            self.stats.rejected += verdict.rejected
            if verdict.rejected:
                log_once("rejected", f"the collector rejected {verdict.rejected} event(s)")
            return True
        if verdict.kind == "too_large" and count > 1:
            # Not the events' fault: smaller batches will pass.
            self._batch_cap = max(1, count // 2)
            self.stats.dropped += self._queue.put_back(batch)
            return True
        if verdict.kind == "retryable":
            self.stats.dropped += self._queue.put_back(batch)
            log_once("delivery-retry", f"could not deliver {count} event(s) yet ({verdict.reason}); they stay queued")
            return False
        self.stats.failed_batches += 1
        self.stats.dropped += count
        self._queue.dropped += batch.dropped + count
        log_once("delivery", f"could not deliver {count} event(s) ({verdict.reason})")
        return True
