"""The client's network, as a fingerprint input (docs/adr/0104).

The first ``X-Forwarded-For`` hop when the server trusts its proxy, else the
socket's peer, cut to its network (IPv4 /24, IPv6 /48): a cloud client's pool of
egress addresses, or a rotating IPv6 privacy address, stays one client. Written
to match the TypeScript SDK's text for text, edge cases included.
"""

from __future__ import annotations

import re

_MAPPED_V4 = re.compile(r"^::ffff:([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)$", re.IGNORECASE)
_V4 = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$")
_GROUP = re.compile(r"^[0-9a-f]{1,4}$")


def client_address_of(forwarded_for: str | None, peer: str | None, trust_proxy: bool) -> str | None:
    hop = forwarded_for.split(",")[0].strip() if trust_proxy and forwarded_for else None
    address = hop or peer
    return _unmapped(address) if address else None


def _unmapped(address: str) -> str:
    """``::ffff:10.0.0.1`` (an IPv4 client on a dual-stack socket) → ``10.0.0.1``."""
    match = _MAPPED_V4.match(address)
    return match.group(1) if match else address


def network_of(address: str) -> str:
    if _V4.match(address):
        return ".".join(address.split(".")[:3]) + ".0/24"
    groups = _expand_ipv6(address.split("%", 1)[0])
    return ":".join(groups[:3]) + "::/48" if groups else address


def _expand_ipv6(address: str) -> list[str] | None:
    """The eight 16-bit groups of an IPv6 address, ``::`` expanded; None if it is not one."""
    halves = address.lower().split("::")
    if len(halves) > 2:
        return None
    head = halves[0].split(":") if halves[0] else []
    tail = halves[1].split(":") if len(halves) == 2 and halves[1] else []
    missing = 8 - len(head) - len(tail)
    if (len(halves) == 1 and missing != 0) or missing < 0:
        return None
    groups = [*head, *(["0"] * missing), *tail]
    if not all(_GROUP.match(group) for group in groups):
        return None
    return [group.lstrip("0") or "0" for group in groups]
