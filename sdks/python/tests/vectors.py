"""The protocol's shared test vectors (packages/protocol/test-vectors), read as the TypeScript tests read them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parents[3] / "packages" / "protocol" / "test-vectors"


def load(name: str) -> Any:
    return json.loads((VECTORS / name).read_text("utf-8"))


def expand(value: Any) -> Any:
    """``{"$repeat": [text, n]}`` stands for text repeated n times."""
    if isinstance(value, list):
        return [expand(v) for v in value]
    if isinstance(value, dict):
        if "$repeat" in value:
            text, count = value["$repeat"]
            return text * count
        return {k: expand(v) for k, v in value.items()}
    return value
