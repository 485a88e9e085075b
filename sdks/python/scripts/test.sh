#!/usr/bin/env bash
# The Python SDK's checks, in the two pinned environments (npm run test:python):
# mcp 2.x + fastmcp 4.x (type check and the whole suite), then mcp 1.x + fastmcp 3.x
# (the previous majors' tests and the pure ones). Needs the collector built (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh
bash scripts/setup-venv.sh .venv-mcp1 requirements-mcp1.txt
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
.venv-mcp1/bin/python -m pytest -q tests/test_mcp1.py tests/test_capture.py tests/test_continuity_vectors.py tests/test_wire_contract.py tests/test_package.py
