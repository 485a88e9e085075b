"""A real ``mcptrail serve`` for the tests, started as the TypeScript tests start it (test/support/collector.ts)."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
CLI = REPO / "packages" / "collector" / "bin" / "mcptrail.js"


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    write_key: str
    read_key: str


class Collector:
    def __init__(self, session_timeout: str | None = None, cpus: set[int] | None = None) -> None:
        self.admin_token = secrets.token_hex(16)
        self.db = os.path.join(tempfile.mkdtemp(prefix="mcptrail-pytest-"), "mcptrail.db")
        args = ["node", str(CLI), "serve", "--port", "0", "--db", self.db, "--log-level", "warn"]
        if session_timeout:
            args += ["--session-timeout", session_timeout]
        self.process = subprocess.Popen(
            args, env={**os.environ, "MCPTRAIL_ADMIN_TOKEN": self.admin_token},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            # The benchmark keeps the collector's work off the measured CPU.
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        self._output: list[str] = []
        found = threading.Event()
        self.url = ""

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self._output.append(line)
                match = re.search(r"collector and dashboard on (http://\S+)", line)
                if match and not found.is_set():
                    self.url = match.group(1)
                    found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(30):
            self.stop()
            raise RuntimeError(f"collector did not start:\n{self.output()}")

    def output(self) -> str:
        return "".join(self._output)

    def request(self, method: str, path: str, key: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                         headers={"authorization": f"Bearer {key}", "content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def create_project(self, name: str) -> Project:
        status, body = self.request("POST", "/v1/projects", self.admin_token, {"name": name})
        assert status == 201, body
        return Project(body["id"], body["name"], body["writeKey"], body["readKey"])

    def get(self, path: str, project: Project) -> Any:
        status, body = self.request("GET", path, project.read_key)
        assert status == 200, body
        return body

    def post_events(self, events: list[Any], project: Project) -> Any:
        status, body = self.request("POST", "/v1/events", project.write_key, {"events": events})
        assert status == 200, body
        return body

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def wait_for(condition: Any, timeout: float = 15.0, interval: float = 0.05, message: str = "condition") -> Any:
    """Polls ``condition`` until it returns something truthy (waiting on conditions, not sleeps)."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}; last value: {last!r}")
