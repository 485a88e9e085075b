"""Event ids: one random prefix per process, then a counter.

Unique across processes (96 random bits) at a fraction of a UUID's cost per event.
"""

from __future__ import annotations

import base64
import itertools
import os

_counter = itertools.count()  # next() on a count is atomic under the GIL


def random_id() -> str:
    """96 random bits as 16 URL-safe characters (process prefixes, connection and sender ids)."""
    return base64.urlsafe_b64encode(os.urandom(12)).decode("ascii")


_prefix = random_id()


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def new_id() -> str:
    return f"{_prefix}-{_base36(next(_counter))}"
