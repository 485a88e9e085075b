"""One contract: the SDK's limits and this repository's Python rules agree with the shared wire vectors."""

from __future__ import annotations

import pytest

from mcptrail import _limits as L
from tests.vectors import expand, load
from tests.wire_rules import problem

VECTORS = load("events.json")


def test_the_sdk_limits_are_the_collectors() -> None:
    limits = VECTORS["limits"]
    assert (L.MAX_EVENTS_PER_BATCH, L.MAX_BODY_BYTES, L.MAX_ID_LENGTH, L.MAX_NAME_LENGTH, L.MAX_TARGET_LENGTH) == (
        limits["maxEventsPerBatch"], limits["maxBodyBytes"], limits["maxIdLength"], limits["maxNameLength"], limits["maxTargetLength"])
    assert (L.MAX_MESSAGE_LENGTH, L.MAX_STACK_LENGTH, L.MAX_PAYLOAD_BYTES, L.MAX_DEPTH) == (
        limits["maxMessageLength"], limits["maxStackLength"], limits["maxPayloadBytes"], limits["maxDepth"])
    assert (L.MAX_TAGS, L.MAX_TAG_KEY_LENGTH, L.MAX_TAG_VALUE_LENGTH, L.MAX_DROPPED_TOTAL) == (
        limits["maxTags"], limits["maxTagKeyLength"], limits["maxTagValueLength"], limits["maxDroppedTotal"])
    assert L.FORBIDDEN_KEYS == set(VECTORS["forbiddenKeys"])


@pytest.mark.parametrize("vector", VECTORS["valid"], ids=lambda v: v["name"])
def test_accepts_what_the_collector_accepts(vector: dict[str, object]) -> None:
    assert problem(expand(vector["event"])) is None


@pytest.mark.parametrize("vector", VECTORS["invalid"], ids=lambda v: v["name"])
def test_refuses_what_the_collector_refuses(vector: dict[str, str]) -> None:
    found = problem(expand(vector["event"]))
    assert found is not None
    # The collector's reason names the field first (or the key, for forbidden keys).
    reason = vector["reason"]
    assert reason.startswith(found) or found in ("forbidden key", "text") or reason.split(":")[0].startswith(found.split(".")[0]), (found, reason)
