#!/usr/bin/env bash
# Start ScaleRisk on http://127.0.0.1:8501 (installs into .venv on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-env.sh
exec .venv/bin/streamlit run app.py --server.address 127.0.0.1 "$@"
