"""A tracked stdio server (run as a subprocess by test_stdio.py): ``python stdio_server.py mcp|fastmcp``.

It prints nothing of its own: stdout is the protocol stream. Key and endpoint come
from MCPTRAIL_KEY and MCPTRAIL_ENDPOINT, as a deployed server's would.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import mcptrail  # noqa: E402


def main() -> None:
    package = sys.argv[1]
    if package in ("mcp1", "fastmcp3"):
        from tests.mcp1_servers import build_server as build_previous

        server = build_previous(package, stateless=False)  # type: ignore[arg-type]
    else:
        from tests.servers import build_server

        server = build_server(package)  # type: ignore[arg-type]
    mcptrail.track(server, identify=lambda _request, _ctx: {"user_id": os.environ.get("USER_ID", "local")})
    if package in ("mcp", "mcp1"):
        server.run("stdio")
    else:
        server.run(transport="stdio", show_banner=False)


if __name__ == "__main__":
    main()
