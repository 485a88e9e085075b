"""Values under sensitive keys are replaced by ``[redacted]`` (the TypeScript SDK's rules).

Keys are compared lower-cased with ``-``, ``_`` and whitespace removed; a key is
sensitive when it equals or ends with a pattern (``accessToken``, ``DB_PASSWORD``,
``x-api-key``), so ``maxTokens`` or ``tokenCount`` stay readable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

REDACTED = "[redacted]"

DEFAULT_SENSITIVE_KEYS: tuple[str, ...] = (
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "authorization",
    "auth",
    "apikey",
    "cookie",
    "setcookie",
    "privatekey",
    "credential",
    "credentials",
    "sessionid",
    "ssn",
)

_SEPARATORS = re.compile(r"[-_\s]")

SensitiveKeyTest = Callable[[str], bool]


def _normalize(key: str) -> str:
    return _SEPARATORS.sub("", key.lower())


def sensitive_key_test(extra: Iterable[str] = ()) -> SensitiveKeyTest:
    patterns = tuple(p for p in (*DEFAULT_SENSITIVE_KEYS, *(_normalize(k) for k in extra)) if p)
    cache: dict[str, bool] = {}

    def is_sensitive(key: str) -> bool:
        hit = cache.get(key)
        if hit is None:
            normalized = _normalize(key)
            hit = normalized.endswith(patterns)  # equality is the case of a suffix as long as the key
            if len(cache) < 10_000:
                cache[key] = hit
        return hit

    return is_sensitive
