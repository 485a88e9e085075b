"""One attempt to deliver one batch body over HTTP: a verdict, never an exception.

``retryable`` means not delivered but worth another try (network errors,
timeouts, 5xx, 408, 429, and a 2xx whose body is not the collector's answer — a
proxy or captive portal, not a collector, took it); ``too_large`` is a 413 (the
caller halves the batch); ``failure`` will never succeed (other 4xx).
"""

from __future__ import annotations

import email.utils
import gzip
import http.client
import json
import socket
import time
import urllib.parse
from dataclasses import dataclass
from typing import Literal

_RETRYABLE_4XX = frozenset({408, 429})
_MAX_ANSWER_BYTES = 65_536


@dataclass(frozen=True)
class Verdict:
    kind: Literal["success", "retryable", "too_large", "failure"]
    reason: str = ""
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    retry_after: float | None = None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds or an HTTP date, in seconds."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _collector_answer(text: bytes) -> Verdict | None:
    """The 200 answer of ``POST /v1/events``, or None if the body is something else."""
    try:
        answer = json.loads(text)
    except ValueError:
        return None
    if not isinstance(answer, dict):
        return None
    accepted, duplicates, rejected = answer.get("accepted"), answer.get("duplicates"), answer.get("rejected")
    if not isinstance(accepted, int) or not isinstance(duplicates, int) or not isinstance(rejected, list):
        return None
    return Verdict("success", accepted=accepted, duplicates=duplicates, rejected=len(rejected))


class HttpExporter:
    """``POST {endpoint}/v1/events`` over one keep-alive connection (used by one thread)."""

    def __init__(self, endpoint: str, project_key: str, request_timeout: float, gzip_above_bytes: int | None, user_agent: str) -> None:
        url = urllib.parse.urlsplit(endpoint.rstrip("/") + "/v1/events")
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"not an http(s) URL: {endpoint!r}")
        self._secure = url.scheme == "https"
        self._host = url.hostname
        self._port = url.port
        self._path = url.path + (f"?{url.query}" if url.query else "")
        self._request_timeout = request_timeout
        self._gzip_above = gzip_above_bytes
        self._headers = {"content-type": "application/json", "authorization": f"Bearer {project_key}", "user-agent": user_agent}
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _connect(self, timeout: float) -> http.client.HTTPConnection:
        if self._connection is None:
            cls = http.client.HTTPSConnection if self._secure else http.client.HTTPConnection
            self._connection = cls(self._host, self._port, timeout=timeout)
        return self._connection

    def export(self, body: bytes, deadline: float) -> Verdict:
        """One attempt, bounded as a whole by ``request_timeout`` and ``deadline`` (monotonic)."""
        deadline = min(deadline, time.monotonic() + self._request_timeout)
        if time.monotonic() >= deadline:
            return Verdict("retryable", "deadline passed before the attempt")
        headers = dict(self._headers)
        if self._gzip_above is not None and len(body) > self._gzip_above:
            body = gzip.compress(body, compresslevel=6)
            headers["content-encoding"] = "gzip"
        try:
            status, retry_after, text = self._post(body, headers, deadline)
        except (OSError, http.client.HTTPException, TimeoutError) as error:
            self.close()  # the connection's state is unknown: start afresh
            return Verdict("retryable", f"network: {error!r}")
        if 200 <= status < 300:
            answer = _collector_answer(text)
            if answer is None:
                return Verdict("retryable", f"HTTP {status} with a body that is not the collector's answer")
            return answer
        reason = f"HTTP {status}: {text[:200].decode('utf-8', 'replace')}"
        if status == 413:
            return Verdict("too_large", reason)
        if status >= 500 or status in _RETRYABLE_4XX:
            return Verdict("retryable", reason, retry_after=parse_retry_after(retry_after))
        return Verdict("failure", reason)

    def _post(self, body: bytes, headers: dict[str, str], deadline: float) -> tuple[int, str | None, bytes]:
        def remaining() -> float:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request's deadline passed")
            return left

        connection = self._connect(remaining())
        connection.timeout = remaining()
        if connection.sock is not None:
            connection.sock.settimeout(remaining())
        connection.request("POST", self._path, body=body, headers=headers)
        assert connection.sock is not None
        sock: socket.socket = connection.sock
        sock.settimeout(remaining())
        response = connection.getresponse()
        chunks: list[bytes] = []
        size = 0
        # Read in pieces so a collector that trickles its answer cannot outlast the deadline.
        while True:
            sock.settimeout(remaining())
            chunk = response.read1(16_384)
            if not chunk:
                break
            size += len(chunk)
            if size <= _MAX_ANSWER_BYTES:
                chunks.append(chunk)
        if response.will_close:
            self.close()
        return response.status, response.getheader("retry-after"), b"".join(chunks)
