"""Delivery: a collector that is down, slow, failing or refusing changes nothing for the server;
retries, Retry-After, 413 halving, a request deadline, and exact loss counts."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
import socket
import time
from typing import Any

import pytest
from mcp import Client

import mcptrail
from mcptrail.delivery import registry
from tests.collector import Collector, wait_for
from tests.fake_collector import Answer, FakeCollector
from tests.observe import Observed
from tests.servers import build_server

SUCCESS = Answer()


class Requests:
    """Counts the requests a server handled (a middleware of the test's own, beside the SDK's)."""

    def __init__(self) -> None:
        self.count = 0

    async def __call__(self, ctx: Any, call_next: Any) -> Any:
        if ctx.request_id is not None:
            self.count += 1
        return await call_next(ctx)


def tracked_server(endpoint: str, key: str | None = None, **options: Any) -> tuple[Any, str, Observed]:
    key = key or f"mtw_{secrets.token_hex(6)}"
    server = build_server("mcp")
    observed = Observed()
    server.requests = Requests()
    server._lowlevel_server.middleware.append(server.requests)
    mcptrail.track(server, project_key=key, endpoint=endpoint, redact=observed, **options)
    return server, key, observed


def pipeline(endpoint: str, key: str) -> Any:
    return next(p for (e, k), p in registry._pipelines.items() if e == endpoint and k == key)


async def flush(endpoint: str, key: str, timeout: float) -> bool:
    """This test's pipeline only (others in the process may point at collectors that are down on purpose)."""
    return bool(await asyncio.to_thread(pipeline(endpoint, key).flush, timeout))


@pytest.fixture(autouse=True)
def stop_new_pipelines() -> Iterator[None]:
    """Pipelines a test made stop with it: a dead endpoint must not hold up later tests' flushes."""
    before = set(registry._pipelines)
    yield
    for destination, made in list(registry._pipelines.items()):
        if destination not in before:
            made.shutdown(0.1)


async def call_times(server: Any, calls: int) -> list[float]:
    """Each call's latency, with its answer checked: the server answers as ever."""
    took = []
    async with Client(server) as client:
        for i in range(calls):
            start = time.perf_counter()
            result = await client.call_tool("forecast", {"city": f"c{i}"})
            took.append(time.perf_counter() - start)
            assert result.content[0].text == f"sunny in c{i}"  # type: ignore[union-attr]
    return took


def closed_port() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


async def test_a_collector_that_is_down_changes_nothing_and_keeps_the_events() -> None:
    endpoint = closed_port()
    server, key, observed = tracked_server(endpoint, delivery={"flush_interval": 0.05})
    await call_times(server, 10)
    started = time.monotonic()
    assert not await flush(endpoint, key, 0.5)
    assert time.monotonic() - started < 2
    assert pipeline(endpoint, key).pending == len(observed.events) >= 11 and pipeline(endpoint, key).stats.dropped == 0


async def test_a_slow_collector_never_slows_a_request() -> None:
    fake = FakeCollector(lambda i, body: Answer(delay=3.0))
    try:
        server, key, _ = tracked_server(fake.url, delivery={"flush_interval": 0.01})
        async with Client(server) as client:
            await client.call_tool("forecast", {"city": "warm-up"})
            wait_for(lambda: fake.received, message="a batch in flight at the slow collector")
            start = time.perf_counter()
            for i in range(20):
                await client.call_tool("forecast", {"city": f"c{i}"})
            # Twenty calls while a batch waits 3 s for its answer: the calls did not wait with it.
            assert time.perf_counter() - start < 2.5
        assert await flush(fake.url, key, 15)
    finally:
        fake.close()


async def test_500s_are_retried_with_backoff_until_the_collector_answers(collector: Collector) -> None:
    project = collector.create_project("500 then recovery")
    fake = FakeCollector(lambda i, body: Answer(status=500, body=b"oops") if i < 3 else Answer(forward_to=collector.url))
    try:
        server, key, observed = tracked_server(fake.url, project.write_key)
        await call_times(server, 5)
        assert await flush(fake.url, key, 20)
        assert len(fake.received) == 4 and len(fake.received[-1].body["events"]) == len(observed.events)
        gaps = [b.at - a.at for a, b in zip(fake.received, fake.received[1:])]
        assert all(gap >= 0.1 for gap in gaps[:2]), gaps  # a backoff between attempts (a flush cuts it short only once)
        stored = collector.get("/v1/tools", project)["tools"]
        assert stored[0]["name"] == "forecast" and stored[0]["calls"] == 5
    finally:
        fake.close()


async def test_retry_after_is_honoured_and_a_2xx_that_is_not_the_collectors_answer_is_not_success() -> None:
    answers = [Answer(status=429, headers={"retry-after": "1"}), Answer(status=200, body=b"<html>captive portal</html>"), SUCCESS]
    fake = FakeCollector(lambda i, body: answers[min(i, 2)])
    try:
        server, key, observed = tracked_server(fake.url, delivery={"flush_interval": 0.01})
        await call_times(server, 1)
        wait_for(lambda: len(fake.received) >= 3, timeout=10)
        assert fake.received[1].at - fake.received[0].at >= 0.95
        wait_for(lambda: pipeline(fake.url, key).stats.sent == len(observed.events))
    finally:
        fake.close()


async def test_413_halves_the_batch() -> None:
    fake = FakeCollector(lambda i, body: Answer(status=413, body=b'{"error":{}}') if len(body["events"]) > 3 else SUCCESS)
    try:
        server, key, observed = tracked_server(fake.url, delivery={"batch_size": 20, "flush_interval": 30})
        await call_times(server, 11)
        assert await flush(fake.url, key, 10)
        sizes = [len(r.body["events"]) for r in fake.received]
        total = len(observed.events)
        assert total >= 12 and sizes[:3] == [total, total // 2, total // 4] and sum(s for s in sizes if s <= 3) == total
        assert pipeline(fake.url, key).stats.dropped == 0
    finally:
        fake.close()


async def test_a_request_deadline_bounds_an_answer_that_trickles() -> None:
    fake = FakeCollector(lambda i, body: Answer(trickle=0.2) if i == 0 else SUCCESS)
    try:
        server, key, observed = tracked_server(fake.url, delivery={"request_timeout": 0.5, "flush_interval": 0.01})
        await call_times(server, 1)
        wait_for(lambda: len(fake.received) >= 2, timeout=10)
        # The first attempt was given up at its deadline (its answer would take ~9 s), then retried.
        assert fake.received[1].at - fake.received[0].at < 3
        wait_for(lambda: pipeline(fake.url, key).stats.sent == len(observed.events))
    finally:
        fake.close()


async def test_losses_are_counted_exactly_at_the_collector(collector: Collector) -> None:
    project = collector.create_project("exact losses")
    down = True
    # 400 for the first batch: refused for good (counted); then down (overflow while waiting); then recovered.
    fake = FakeCollector(lambda i, body: Answer(status=400, body=b'{"error":{}}') if i == 0 else Answer(status=503) if down else Answer(forward_to=collector.url))
    try:
        server, key, observed = tracked_server(fake.url, project.write_key, delivery={"max_queue_events": 5, "flush_interval": 0.01, "max_attempts": 1})
        await call_times(server, 1)
        wait_for(lambda: fake.received, message="the refused batch")
        refused = len(fake.received[0].body["events"])
        await call_times(server, 6)  # more events than the queue holds while the collector is down
        lost = server.requests.count - 5
        wait_for(lambda: pipeline(fake.url, key).stats.dropped == lost, message=f"drops counted ({refused} refused, {server.requests.count} requests)")
        down = False
        assert await flush(fake.url, key, 40)
        last = fake.received[-1].body
        assert last["sender"]["droppedTotal"] == lost and last["dropped"] == lost
        stats = collector.get("/v1/stats", project)
        assert stats["dropped"] == lost and stats["events"] == 5
    finally:
        fake.close()


async def test_flush_waits_for_events_still_waiting_for_identify(collector: Collector) -> None:
    project = collector.create_project("flush and identify")

    async def slow_identify(_request: Any, _ctx: Any) -> dict[str, str]:
        await asyncio.sleep(0.3)
        return {"user_id": "erin"}

    server, key, observed = tracked_server(collector.url, project.write_key, identify=slow_identify, delivery={"flush_interval": 30})
    await call_times(server, 3)
    assert await mcptrail.aflush(10)  # the public flush: every pipeline of the process
    assert pipeline(collector.url, key).stats.sent == len(observed.events) >= 4
    assert collector.get("/v1/stats", project)["events"] == len(observed.events)
    assert {e["user"]["id"] for e in observed.events} == {"erin"}
