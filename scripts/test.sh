#!/usr/bin/env bash
# Run the whole test suite (installs into .venv, plus chromium and poppler-utils for the
# browser and PDF tests where the machine allows apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-env.sh
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "scalerisk: installing ${need[*]} for the browser/PDF tests" >&2
    (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null) \
      || echo "scalerisk: could not install ${need[*]}; those tests will be skipped" >&2
  else
    echo "scalerisk: ${need[*]} missing and no root apt-get; those tests will be skipped" >&2
  fi
fi
# lint and format are part of the suite (issue 13): the project's own pyproject.toml settings
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
