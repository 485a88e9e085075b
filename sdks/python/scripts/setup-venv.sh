#!/usr/bin/env bash
# Creates or updates a virtual environment with pinned requirements and the SDK
# itself (editable). Idempotent and fast when nothing changed: keyed on a hash of
# the requirements file, pyproject.toml and the Python version.
#
#   scripts/setup-venv.sh                      # .venv      from requirements-dev.txt (mcp 2.x, fastmcp 4.x)
#   scripts/setup-venv.sh .venv-mcp1 requirements-mcp1.txt   # mcp 1.x, fastmcp 3.x
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="$here/${1:-.venv}"
requirements="$here/${2:-requirements-dev.txt}"
python="${PYTHON:-python3}"
stamp="$venv/.mcptrail-stamp"
key="$( (cat "$requirements" "$here/pyproject.toml"; "$python" --version) | sha256sum | cut -d' ' -f1)"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$key" && -x "$venv/bin/python" ]]; then
  exit 0
fi
if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$here"
echo "$key" > "$stamp"
