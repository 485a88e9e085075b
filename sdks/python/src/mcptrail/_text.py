"""Text as the collector measures and stores it.

The collector's limits count characters (code points, as Python's ``len``;
pinned by the protocol's test vectors), and it refuses NUL and lone surrogates
in fields it stores as text. Conversation tokens, though, slice names as
JavaScript does, in UTF-16 units.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def utf16_slice(text: str, units: int) -> str:
    """The first ``units`` UTF-16 code units of ``text``, as JavaScript's ``slice(0, units)``.

    May end in half a surrogate pair, as JavaScript's does: callers that need
    storable text pass the result through ``storable``.
    """
    if len(text) <= units // 2 or text.isascii():
        return text[:units]
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) <= units * 2:
        return text
    return data[: units * 2].decode("utf-16-le", "surrogatepass")


def storable(text: str) -> str:
    """NUL and lone surrogates (which no engine stores as sent) become U+FFFD."""
    if text.isascii() and "\x00" not in text:
        return text
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub("\ufffd", text)


def clip(text: str, max_chars: int) -> str:
    """Clips to the wire limit and makes the text storable (names, messages, ids)."""
    return storable(text if len(text) <= max_chars else text[:max_chars])


_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> bytes:
    """UTF-8 as JavaScript encodes it: a lone surrogate becomes U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")
