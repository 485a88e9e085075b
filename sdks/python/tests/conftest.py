from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.collector import Collector


@pytest.fixture(scope="session")
def collector() -> Iterator[Collector]:
    """One real collector for the run; every test makes its own project (its own key, its own pipeline)."""
    running = Collector()
    yield running
    running.stop()
