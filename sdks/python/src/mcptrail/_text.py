"""Text as the collector measures and stores it.

JavaScript counts UTF-16 code units, so a Python string of 200 emoji is 400 long
there; and the collector refuses NUL and lone surrogates in fields it stores as
text. These helpers make a Python string fit both rules.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def utf16_length(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


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


def clip(text: str, max_units: int) -> str:
    """Clips to the wire limit and makes the text storable (names, messages, ids)."""
    if len(text) <= max_units // 2 and text.isascii():
        return text if "\x00" not in text else text.replace("\x00", "\ufffd")
    return storable(utf16_slice(text, max_units))


_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> bytes:
    """UTF-8 as JavaScript encodes it: a lone surrogate becomes U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")
