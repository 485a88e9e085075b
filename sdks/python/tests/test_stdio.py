"""Real servers of both packages over stdio (a subprocess), driven by the real Python MCP client.

The events reach the collector through the drain at interpreter exit: the server
process ends when the client closes its stdin.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters
from mcp_types import Implementation

from tests.clients import conversation
from tests.collector import Collector, wait_for
from tests.servers import PACKAGES, Package

SERVER = Path(__file__).with_name("stdio_server.py")


@pytest.mark.parametrize("legacy", [False, True], ids=["2026-07-28 client", "2025 client"])
@pytest.mark.parametrize("package", PACKAGES)
async def test_stdio_servers_are_tracked_and_drained_at_exit(collector: Collector, package: Package, legacy: bool, tmp_path: Path) -> None:
    project = collector.create_project(f"stdio {package} {legacy}")
    stderr = tmp_path / "stderr.txt"
    env = {**os.environ, "MCPTRAIL_KEY": project.write_key, "MCPTRAIL_ENDPOINT": collector.url, "USER_ID": "dana"}
    # The server's stderr goes to a file (the shell redirect is the server's, not the protocol's).
    params = StdioServerParameters(command="sh", args=["-c", f'exec "{sys.executable}" "{SERVER}" {package} 2>"{stderr}"'], env=env)
    async with Client(params, client_info=Implementation(name="claude-ai", version="0.14.1"), mode="legacy" if legacy else "auto") as client:
        answers = await conversation(client)
    assert answers[1]["content"][0]["text"] == "sunny in Oslo"

    sessions = wait_for(lambda: (s := collector.get("/v1/sessions", project)["sessions"]) and sum(x["eventCount"] for x in s) >= 7 and s, timeout=20)
    events = [e for s in sessions for e in collector.get(f"/v1/sessions/{s['id']}", project)["events"]]
    assert {e["transport"] for e in events} == {"stdio"}
    assert {e["user"]["id"] for e in events} == {"dana"}
    assert len(sessions) == 1 and sessions[0]["clientName"] == "claude-ai"
    if legacy:
        # A 2025 connection is a session: one random id for the whole connection.
        assert sessions[0]["kind"] == "stateful" and len({e["transportSessionId"] for e in events}) == 1
    else:
        # 2026-07-28 requests are stateless by definition, and name their client on every request.
        assert sessions[0]["kind"] == "grouped" and {e["client"]["name"] for e in events} == {"claude-ai"}
    assert "[mcptrail]" not in stderr.read_text()
