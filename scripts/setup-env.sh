#!/usr/bin/env bash
# Create/refresh the project's local virtual environment (.venv) from pyproject.toml.
# Re-installs only when pyproject.toml changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "scalerisk: creating virtual environment in .venv" >&2
  "$PY" -m venv .venv
fi
stamp=.venv/.scalerisk-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "scalerisk: installing dependencies into .venv (first run takes a few minutes)" >&2
  # torch==2.13.0 is pinned in pyproject.toml: pip picks the CPU wheel where one is
  # offered locally, the CUDA build on Linux+NVIDIA and the MPS build on macOS.
  # SCALERISK_TORCH_INDEX lets a CPU-only Linux user choose PyTorch's CPU index instead.
  extra=()
  if [ -n "${SCALERISK_TORCH_INDEX:-}" ]; then extra+=(--extra-index-url "$SCALERISK_TORCH_INDEX"); fi
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q "${extra[@]}" -e ".[test]" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  echo "$want" > "$stamp"
fi
