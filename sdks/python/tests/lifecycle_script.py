"""Run by test_lifecycle.py in a process of its own (shutdown() is for good, process-wide)."""

from __future__ import annotations

import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from mcp import Client  # noqa: E402

import mcptrail  # noqa: E402
from tests.servers import build_server  # noqa: E402


async def calls(server: object, n: int) -> None:
    async with Client(server) as client:  # type: ignore[arg-type]
        for i in range(n):
            await client.call_tool("forecast", {"city": f"c{i}"})


def main() -> None:
    mode = sys.argv[1]
    server = build_server("mcp")
    mcptrail.track(server)
    asyncio.run(calls(server, 3))
    if mode == "shutdown":
        first = mcptrail.shutdown(10)
        sent = mcptrail.delivery_stats()["sent"]
        second = mcptrail.shutdown(10)
        asyncio.run(calls(server, 2))  # tracked before shutdown: keeps working, untracked
        late = build_server("mcp")
        mcptrail.track(late)  # after shutdown: left untracked
        asyncio.run(calls(late, 1))
        sys.stderr.write(json.dumps({"first": first, "second": second, "sent": sent, "after": mcptrail.delivery_stats()}) + "\n")
    # mode "exit": nothing more; the drain at interpreter exit delivers


if __name__ == "__main__":
    main()
