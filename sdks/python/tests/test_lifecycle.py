"""shutdown() is once-only and terminal; the drain at exit delivers; the SDK never writes to stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.collector import Collector, wait_for

SCRIPT = Path(__file__).with_name("lifecycle_script.py")


def run(mode: str, collector: Collector, key: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MCPTRAIL_KEY": key, "MCPTRAIL_ENDPOINT": collector.url}
    return subprocess.run([sys.executable, str(SCRIPT), mode], env=env, capture_output=True, text=True, timeout=60, check=True)


def test_shutdown_delivers_once_and_for_good(collector: Collector) -> None:
    project = collector.create_project("shutdown")
    done = run("shutdown", collector, project.write_key)
    assert done.stdout == ""
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["first"] is True and report["second"] is True
    assert report["sent"] >= 4 and report["after"]["sent"] == report["sent"] and report["after"]["queued"] == 0
    assert collector.get("/v1/stats", project)["events"] == report["sent"]
    assert "track() after shutdown()" in done.stderr


def test_the_exit_drain_delivers_what_is_queued(collector: Collector) -> None:
    project = collector.create_project("exit drain")
    done = run("exit", collector, project.write_key)
    assert done.stdout == "" and "[mcptrail]" not in done.stderr
    stats = wait_for(lambda: (s := collector.get("/v1/stats", project)) and s["events"] >= 4 and s)
    assert stats["dropped"] == 0


def test_a_collector_that_is_down_at_exit_is_said_once_and_does_not_hold_the_exit(collector: Collector) -> None:
    env = {**os.environ, "MCPTRAIL_KEY": "mtw_nobody", "MCPTRAIL_ENDPOINT": "http://127.0.0.1:9"}
    done = subprocess.run([sys.executable, str(SCRIPT), "exit"], env=env, capture_output=True, text=True, timeout=30, check=True)
    assert done.stdout == ""
    assert "event(s) not delivered at" in done.stderr and done.stderr.count("[mcptrail]") == 1
