#!/usr/bin/env bash
# Creates or updates sdks/python/.venv with the pinned dev requirements and the
# SDK itself (editable). Idempotent and fast when nothing changed: keyed on a
# hash of requirements-dev.txt, pyproject.toml and the Python version.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
stamp="$venv/.mcptrail-stamp"
key="$( (cat "$here/requirements-dev.txt" "$here/pyproject.toml"; "$python" --version) | sha256sum | cut -d' ' -f1)"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$key" && -x "$venv/bin/python" ]]; then
  exit 0
fi
if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-dev.txt"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$here"
echo "$key" > "$stamp"
