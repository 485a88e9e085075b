"""What ``pip install mcptrail`` promises: the version sent with batches, type information, no dependencies."""

from __future__ import annotations

import tomllib
from pathlib import Path

import mcptrail
from mcptrail._version import SDK_VERSION

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_is_typed_dependency_free_and_reports_its_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == SDK_VERSION
    assert project["dependencies"] == []
    assert (Path(mcptrail.__file__).parent / "py.typed").exists()


def test_the_public_surface() -> None:
    assert sorted(mcptrail.__all__) == sorted([
        "CaptureOptions", "ClientInfo", "DeliveryOptions", "DeliveryStats", "Identify", "RequestContext", "RequestInfo", "UserIdentity",
        "aflush", "ashutdown", "delivery_stats", "flush", "shutdown", "track",
    ])
