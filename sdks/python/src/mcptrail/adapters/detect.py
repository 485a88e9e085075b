"""What was passed to ``track()``, told by shape, never by version (docs/adr/0101).

Every server shape of the official ``mcp`` package (2.x) and of ``fastmcp``
(4.x) ends in one low-level ``Server`` whose ``middleware`` list wraps every
inbound request — ``initialize``, lookup, validation and the handler — on every
transport and protocol era. That list is the one seam (docs/adr/0105):

- a low-level ``Server``: ``middleware`` (a list) and ``get_request_handler``;
- the ``mcp`` package's ``MCPServer`` (its FastMCP): that server as ``_lowlevel_server``;
- ``fastmcp.FastMCP``: that server as ``_mcp_server``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ShapeKind = Literal["lowlevel", "mcp-server", "fastmcp"]

_HOLDERS: tuple[tuple[str, ShapeKind], ...] = (("_lowlevel_server", "mcp-server"), ("_mcp_server", "fastmcp"))


@dataclass(frozen=True)
class Shape:
    kind: ShapeKind
    #: The low-level server whose middleware list is the seam.
    server: Any


def is_lowlevel_server(value: Any) -> bool:
    return isinstance(getattr(value, "middleware", None), list) and callable(getattr(value, "get_request_handler", None))


def detect_shape(target: Any) -> Shape | None:
    if is_lowlevel_server(target):
        return Shape("lowlevel", target)
    for attribute, kind in _HOLDERS:
        inner = getattr(target, attribute, None)
        if is_lowlevel_server(inner):
            return Shape(kind, inner)
    return None
