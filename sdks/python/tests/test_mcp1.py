"""The previous majors — ``mcp`` 1.x's FastMCP and ``fastmcp`` 3.x — over real Streamable HTTP, stateless
and stateful, driven by the ``mcp`` 1.x client, tracked and sending to a real collector.

Runs in ``.venv-mcp1`` (``npm run test:python`` runs both environments); skipped beside ``mcp`` 2.x.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import pytest

if not version("mcp").startswith("1."):
    pytest.skip("mcp 1.x tests run in .venv-mcp1", allow_module_level=True)

import mcptrail  # noqa: E402
from tests.collector import Collector, wait_for  # noqa: E402
from tests.mcp1_servers import PACKAGES1, Package1, asgi_app, build_server, conversation, session  # noqa: E402
from tests.observe import Observed  # noqa: E402
from tests.servers import serve_http  # noqa: E402
from tests.wire_rules import problem  # noqa: E402


def identify_by_bearer(_request: Any, ctx: Any) -> dict[str, Any] | None:
    token = (ctx.headers or {}).get("authorization", "").removeprefix("Bearer ")
    return {"user_id": token} if token else None


def events_of(collector: Collector, project: Any) -> list[dict[str, Any]]:
    return [e for s in collector.get("/v1/sessions?limit=100", project)["sessions"] for e in collector.get(f"/v1/sessions/{s['id']}", project)["events"]]


@pytest.mark.parametrize("stateless", [True, False], ids=["stateless", "stateful"])
@pytest.mark.parametrize("package", PACKAGES1)
async def test_every_request_is_one_valid_event_in_one_session(collector: Collector, package: Package1, stateless: bool) -> None:
    project = collector.create_project(f"v1 {package} {stateless}")
    observed = Observed()
    server = build_server(package, stateless=stateless)
    mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, identify=identify_by_bearer, redact=observed)
    with serve_http(asgi_app(package, server, stateless=stateless)) as url:
        async with session(url, user="alice") as client:
            await conversation(client)
    assert await mcptrail.aflush(10)
    methods = [m for m in observed.methods() if m != "tools/list"]
    assert methods == ["initialize", "forecast", "slow_echo", "notes://today"], observed.methods()
    assert [problem(e) for e in observed.events] == [None] * len(observed.events)
    events = wait_for(lambda: (e := events_of(collector, project)) and len(e) == len(observed.events) and e)
    call = next(e for e in events if e["target"] == "forecast")
    assert call["arguments"] == {"city": "Oslo", "api_key": "[redacted]"} and call["result"]["content"][0]["text"] == "sunny in Oslo"
    assert call["user"]["id"] == "alice" and call["transport"] == "streamable-http"
    sessions = collector.get("/v1/sessions", project)["sessions"]
    assert len(sessions) == 1 and sessions[0]["clientName"] == "claude-ai", sessions
    assert sessions[0]["kind"] == ("grouped" if stateless else "stateful")
    if stateless:
        assert call["client"] is None and call["clientFingerprint"] == next(e for e in events if e["method"] == "initialize")["clientFingerprint"]


@pytest.mark.parametrize("package", PACKAGES1)
async def test_conversation_tokens(collector: Collector, package: Package1) -> None:
    project = collector.create_project(f"v1 tokens {package}")
    server = build_server(package, stateless=True)
    mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, conversation_token=True)
    with serve_http(asgi_app(package, server, stateless=True)) as url:
        async with session(url) as client:
            await conversation(client)
    assert await mcptrail.aflush(10)
    sessions = wait_for(lambda: (s := collector.get("/v1/sessions", project)["sessions"]) and s)
    assert [(s["kind"], s["clientName"]) for s in sessions] == [("conversation", "claude-ai")]


@pytest.mark.parametrize("stateless", [True, False], ids=["stateless", "stateful"])
@pytest.mark.parametrize("package", PACKAGES1)
async def test_a_tracked_server_answers_exactly_as_an_untracked_one(collector: Collector, package: Package1, stateless: bool) -> None:
    project = collector.create_project(f"v1 same {package} {stateless}")
    answers = []
    for tracked in (False, True):
        server = build_server(package, stateless=stateless)
        if tracked:
            mcptrail.track(server, project_key=project.write_key, endpoint=collector.url, identify=identify_by_bearer)
        with serve_http(asgi_app(package, server, stateless=stateless)) as url:
            async with session(url, user="bob") as client:
                answers.append(await conversation(client))
    assert answers[1] == answers[0]


@pytest.mark.parametrize("package", PACKAGES1)
async def test_stdio(collector: Collector, package: Package1, tmp_path: Any) -> None:
    import os
    import sys
    from pathlib import Path

    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client
    from mcp.types import Implementation

    project = collector.create_project(f"v1 stdio {package}")
    server = Path(__file__).with_name("stdio_server.py")
    stderr = tmp_path / "stderr.txt"
    env = {**os.environ, "MCPTRAIL_KEY": project.write_key, "MCPTRAIL_ENDPOINT": collector.url, "USER_ID": "dana"}
    params = StdioServerParameters(command="sh", args=["-c", f'exec "{sys.executable}" "{server}" {package} 2>"{stderr}"'], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, client_info=Implementation(name="claude-ai", version="0.14.1")) as client:
            await client.initialize()
            await conversation(client)
    sessions = wait_for(lambda: (s := collector.get("/v1/sessions", project)["sessions"]) and sum(x["eventCount"] for x in s) >= 5 and s, timeout=20)
    events = collector.get(f"/v1/sessions/{sessions[0]['id']}", project)["events"]
    assert len(sessions) == 1 and sessions[0]["kind"] == "stateful" and sessions[0]["clientName"] == "claude-ai" and sessions[0]["userId"] == "dana"
    assert {e["transport"] for e in events} == {"stdio"} and events[0]["method"] == "initialize"
    assert "[mcptrail]" not in stderr.read_text()
