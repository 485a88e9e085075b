"""What was passed to ``track()``, told by shape, never by version (docs/adr/0101).

Every server shape ends in one low-level ``Server`` (docs/adr/0106):

- a low-level ``Server`` itself; the ``mcp`` package's ``MCPServer`` (2.x) holds
  it as ``_lowlevel_server``; ``FastMCP`` (``mcp`` 1.x, and ``fastmcp``) as ``_mcp_server``;
- it has a ``middleware`` list (``mcp`` 2.x, under ``fastmcp`` 4.x): the list
  wraps every inbound request, and is the seam (``middleware.py``);
- or handlers keyed by request type (``mcp`` 1.x, under ``fastmcp`` 2.x/3.x):
  its sessions are the seam (``mcp_session.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .mcp_session import is_session_server

#: ``middleware``: the 2.x list seam; ``mcp1``: the 1.x session seam.
ShapeKind = Literal["middleware", "mcp1"]

_HOLDERS = ("_lowlevel_server", "_mcp_server")


@dataclass(frozen=True)
class Shape:
    kind: ShapeKind
    #: The low-level server.
    server: Any


def is_middleware_server(value: Any) -> bool:
    return isinstance(getattr(value, "middleware", None), list) and callable(getattr(value, "get_request_handler", None))


def _shape_of(server: Any) -> Shape | None:
    if is_middleware_server(server):
        return Shape("middleware", server)
    if is_session_server(server):
        return Shape("mcp1", server)
    return None


def detect_shape(target: Any) -> Shape | None:
    for candidate in (target, *(getattr(target, attribute, None) for attribute in _HOLDERS)):
        shape = _shape_of(candidate)
        if shape is not None:
            return shape
    return None
