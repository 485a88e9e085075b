"""A collector stand-in that answers as a test scripts it (down, slow, 500, 413, Retry-After, junk),
and can pass requests on to the real collector once it has "recovered"."""

from __future__ import annotations

import gzip
import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    status: int = 200
    body: bytes = b'{"accepted":0,"duplicates":0,"rejected":[]}'
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    #: Send the body a byte at a time, this many seconds apart.
    trickle: float = 0.0
    #: Pass the request on to this collector URL and answer with its answer.
    forward_to: str | None = None


@dataclass
class Received:
    at: float
    body: dict[str, Any]
    encoding: str | None = None


Script = Callable[[int, dict[str, Any]], Answer]


class FakeCollector:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.received: list[Received] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                if self.headers.get("content-encoding") == "gzip":
                    raw = gzip.decompress(raw)
                body = json.loads(raw)
                index = len(fake.received)
                fake.received.append(Received(time.monotonic(), body, self.headers.get("content-encoding")))
                answer = fake.script(index, body)
                time.sleep(answer.delay)
                status, payload, headers = answer.status, answer.body, answer.headers
                if answer.forward_to:
                    request = urllib.request.Request(answer.forward_to + "/v1/events", data=raw, method="POST", headers={
                        "authorization": self.headers["authorization"], "content-type": "application/json"})
                    try:
                        with urllib.request.urlopen(request, timeout=10) as response:
                            status, payload = response.status, response.read()
                    except urllib.error.HTTPError as error:
                        status, payload = error.code, error.read()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                if answer.trickle:
                    for byte in payload:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(answer.trickle)
                else:
                    self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict[str, Any]]:
        return [e for r in self.received for e in r.body["events"]]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
