"""SDK overhead, Python: an echo tool called through the ``mcp`` package's MCPServer with its
in-process client (default options), untracked vs tracked (delivering to a real local collector),
one event-loop turn between calls as real requests arrive as I/O.

    npm run bench:overhead:python [-- --calls 20000]

Untracked and tracked calls run in alternating blocks of 1000 in one process, so load from
elsewhere on the machine hits both alike; each tracked block ends with a flush, so its CPU
includes building and delivering all of its events (on the delivery thread: process CPU time).
On Linux with 2+ CPUs this process runs on CPU 0 and the collector on the others. Prints
figures and ratios from this one run; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mcp import Client  # noqa: E402
from mcp.server.mcpserver import MCPServer  # noqa: E402

import mcptrail  # noqa: E402
from tests.collector import Collector  # noqa: E402

BLOCK = 1000


def echo_server(tracked: dict[str, Any] | None) -> MCPServer:
    server = MCPServer("bench", version="1.0.0")

    @server.tool()
    async def echo(text: str) -> str:
        return text

    if tracked is not None:
        mcptrail.track(server, **tracked)
    return server


async def block(client: Client, n: int, latencies: list[float]) -> None:
    for i in range(n):
        await asyncio.sleep(0)
        start = time.perf_counter()
        await client.call_tool("echo", {"text": f"call {i}"})
        latencies.append((time.perf_counter() - start) * 1e6)


async def compare(plain: Client, tracked: Client, calls: int) -> dict[str, dict[str, float]]:
    lat: dict[str, list[float]] = {"plain": [], "tracked": []}
    cpu = {"plain": 0.0, "tracked": 0.0}
    for done in range(0, calls, BLOCK):
        n = min(BLOCK, calls - done)
        cpu0 = time.process_time()
        await block(plain, n, lat["plain"])
        cpu["plain"] += time.process_time() - cpu0
        cpu0 = time.process_time()
        await block(tracked, n, lat["tracked"])
        await mcptrail.aflush(60)
        cpu["tracked"] += time.process_time() - cpu0

    def summary(name: str) -> dict[str, float]:
        values = sorted(lat[name])
        return {"median": statistics.median(values), "p99": values[min(len(values) - 1, int(0.99 * len(values)))], "cpu": cpu[name] / calls * 1e6}

    return {"plain": summary("plain"), "tracked": summary("tracked")}


async def main(calls: int) -> None:
    pinned = hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= 2 and not os.environ.get("MCPTRAIL_BENCH_NO_PIN")
    if pinned:
        os.sched_setaffinity(0, {0})
    collector = Collector(cpus=set(range(1, os.cpu_count() or 2)) if pinned else None)
    try:
        project = collector.create_project("bench")
        tracked_options = {"project_key": project.write_key, "endpoint": collector.url}
        async with Client(echo_server(None)) as plain, Client(echo_server(tracked_options)) as tracked:
            warmup = min(2000, calls)
            await compare(plain, tracked, warmup)
            sent_before = mcptrail.delivery_stats()["sent"]
            result = await compare(plain, tracked, calls)
            sent = mcptrail.delivery_stats()["sent"] - sent_before
        tools = collector.get("/v1/tools", project)["tools"]
        stored = next((t["calls"] for t in tools if t["name"] == "echo"), 0) - warmup
        base, with_tracking = result["plain"], result["tracked"]
        print(f"mcptrail overhead (Python): {calls} echo calls each way through an MCPServer (in-process client), "
              f"alternating blocks of {BLOCK}, Python {platform.python_version()}")
        print(f"pinned: this process on CPU 0, the collector on the others" if pinned else "not pinned")
        print("                 median µs    p99 µs  CPU µs/call")
        print(f"untracked       {base['median']:9.1f} {base['p99']:9.1f} {base['cpu']:9.1f}")
        print(f"tracked         {with_tracking['median']:9.1f} {with_tracking['p99']:9.1f} {with_tracking['cpu']:9.1f}   (CPU includes building and delivering every event)")
        print(f"ratio tracked/untracked: median {with_tracking['median'] / base['median']:.3f} (target ≤ 1.10), "
              f"CPU {with_tracking['cpu'] / base['cpu']:.3f} (target ≤ 1.5)")
        print(f"events delivered: {sent} sent and accepted; {stored} of {calls} tools/call events stored at the collector; "
              f"dropped {mcptrail.delivery_stats()['dropped']}")
        mcptrail.shutdown(10)
    finally:
        collector.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().calls))
