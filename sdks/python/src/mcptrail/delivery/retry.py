"""Backoff between attempts (the TypeScript SDK's policy).

Exponential from 250 ms doubling to 30 s, each wait drawn between half the step
and all of it (equal jitter); a ``Retry-After`` up to 120 s is honoured. The
backoff carries over from batch to batch until something gets through, so an
outage is probed at most every 30 s (or ``Retry-After``), never faster.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

BASE_DELAY = 0.25
MAX_DELAY = 30.0
MAX_RETRY_AFTER = 120.0


def backoff_delay(failures: int, draw: float) -> float:
    step = min(MAX_DELAY, BASE_DELAY * 2.0 ** (failures - 1))
    return step / 2 + draw * step / 2


@dataclass
class RetryState:
    #: Consecutive retryable verdicts, across batches.
    failures: int = 0
    #: No attempt before these (monotonic): the backoff, which a flush cuts short, and a Retry-After, which it does not.
    backoff_until: float = 0.0
    retry_after_until: float = 0.0

    def succeeded(self) -> None:
        self.failures = 0
        self.backoff_until = self.retry_after_until = 0.0

    def failed(self, retry_after: float | None) -> None:
        self.failures = min(self.failures + 1, 64)
        now = time.monotonic()
        if retry_after is not None:
            self.retry_after_until = now + min(retry_after, MAX_RETRY_AFTER)
            self.backoff_until = 0.0
        else:
            self.backoff_until = now + backoff_delay(self.failures, random.random())
            self.retry_after_until = 0.0

    def cut_backoff(self) -> None:
        self.backoff_until = 0.0

    def next_attempt_at(self) -> float:
        return max(self.backoff_until, self.retry_after_until)
