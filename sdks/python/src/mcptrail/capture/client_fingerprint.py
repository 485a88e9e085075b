"""The client fingerprint (docs/adr/0104), the same as the TypeScript SDK's.

A keyed hash of what every request of one client connection carries: its
User-Agent, a gateway's ``x-mcp-client-*`` headers, the negotiated protocol
revision and its network. Few distinct inputs recur, so hashes are cached (bounded).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .client_address import network_of
from .keyed_hash import KeyedHash

PURPOSE = "mcptrail-client-fingerprint-v1"
_MAX_CACHED = 1024


@dataclass(frozen=True)
class FingerprintFacts:
    user_agent: str | None
    #: ``x-mcp-client-name`` + "/" + ``x-mcp-client-version`` (as a gateway sets them), when the name header is present.
    client_header: str | None
    #: The negotiated revision (see ``protocol_version_for_fingerprint``).
    protocol_version: str | None
    address: str | None


def protocol_version_for_fingerprint(method: str, negotiated: str | None, header: str | None) -> str | None:
    """The revision a 2025 client negotiated: the same on ``initialize`` and every later request."""
    # Before 2025-06-18 clients did not send the header; the spec says to assume 2025-03-26 then.
    if method == "initialize":
        return negotiated
    return header if header is not None else "2025-03-26"


def fingerprint_input(facts: FingerprintFacts) -> str:
    network = network_of(facts.address) if facts.address else None
    return "\0".join(part or "" for part in (facts.user_agent, facts.client_header, facts.protocol_version, network))


class Fingerprints:
    def __init__(self, keyed_hash: KeyedHash) -> None:
        self._hash = keyed_hash
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def of(self, facts: FingerprintFacts) -> str:
        text = fingerprint_input(facts)
        fingerprint = self._cache.get(text)
        if fingerprint is None:
            fingerprint = self._hash(PURPOSE, text)
            with self._lock:
                if len(self._cache) >= _MAX_CACHED:
                    self._cache.clear()
                self._cache[text] = fingerprint
        return fingerprint
