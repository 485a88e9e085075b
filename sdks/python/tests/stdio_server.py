"""A tracked stdio server (run as a subprocess by test_stdio.py): ``python stdio_server.py mcp|fastmcp``.

It prints nothing of its own: stdout is the protocol stream. Key and endpoint come
from MCPTRAIL_KEY and MCPTRAIL_ENDPOINT, as a deployed server's would.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import mcptrail  # noqa: E402
from tests.servers import build_server  # noqa: E402


def main() -> None:
    package = sys.argv[1]
    server = build_server(package)  # type: ignore[arg-type]
    mcptrail.track(server, identify=lambda _request, _ctx: {"user_id": os.environ.get("USER_ID", "local")})
    if package == "mcp":
        server.run("stdio")
    else:
        server.run(transport="stdio", show_banner=False)


if __name__ == "__main__":
    main()
