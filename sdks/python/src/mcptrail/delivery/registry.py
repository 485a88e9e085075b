"""One pipeline per collector and key for the whole process, shared by every tracked server."""

from __future__ import annotations

import atexit
import threading
import time

from .._log import log_once
from .._version import SDK_NAME, SDK_VERSION
from .exporter import HttpExporter
from .pipeline import DeliveryConfig, Pipeline

DEFAULT_ENDPOINT = "http://127.0.0.1:4400"
#: How long the drain at interpreter exit may take.
EXIT_DRAIN_SECONDS = 2.0

_pipelines: dict[tuple[str, str], Pipeline] = {}
_lock = threading.Lock()
_exit_hook_installed = False


def pipeline_for(endpoint: str, project_key: str, config: DeliveryConfig) -> Pipeline:
    global _exit_hook_installed
    with _lock:
        pipeline = _pipelines.get((endpoint, project_key))
        if pipeline is None:
            exporter = HttpExporter(endpoint, project_key, config.request_timeout, config.gzip_above_bytes, f"{SDK_NAME}/{SDK_VERSION}")
            pipeline = _pipelines[(endpoint, project_key)] = Pipeline(exporter, config)
        if not _exit_hook_installed:
            atexit.register(_drain_at_exit)
            _exit_hook_installed = True
        return pipeline


def all_pipelines() -> list[Pipeline]:
    with _lock:
        return list(_pipelines.values())


def flush_all(timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    return all([p.flush(max(0.0, deadline - time.monotonic())) for p in all_pipelines() if not p.stopped])


def shutdown_all(timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    return all([p.shutdown(max(0.0, deadline - time.monotonic())) for p in all_pipelines() if not p.stopped])


def _drain_at_exit() -> None:
    """A bounded drain: the interpreter's exit is never held up for long, and a loss is said out loud."""
    flush_all(EXIT_DRAIN_SECONDS)
    left = sum(p.pending for p in all_pipelines() if not p.stopped)
    if left:
        log_once("exit-undelivered", f"{left} event(s) not delivered at exit (collector unreachable or drain cut short)")
