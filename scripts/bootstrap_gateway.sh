#!/usr/bin/env bash
# The gateway's own environment (.venv-gateway) on a current Python (3.13 or 3.12, on PATH or
# through pyenv; never downloaded), installed ONLY from requirements/gateway.lock with hashes.
# And .venv-tools (pip-audit, pip-tools) for `make audit` / `make lock-gateway`.
# The gateway runs the project's code from the checkout (PYTHONPATH, set by the launcher / the
# systemd unit); it imports nothing from Rasa.
set -euo pipefail
cd "$(dirname "$0")/.."

find_current_python() {
  local cand ver root
  for cand in python3.13 python3.12; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; assert sys.version_info[:2] >= (3, 12)' 2>/dev/null; then
      command -v "$cand"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root)
    for ver in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[23](\.[0-9]+)?$' | sort -V -r); do
      [ -x "$root/versions/$ver/bin/python3" ] && { echo "$root/versions/$ver/bin/python3"; return 0; }
    done
  fi
  return 1
}

make_venv() {  # make_venv DIR
  local dir=$1 py
  if [ -x "$dir/bin/python" ] && "$dir/bin/python" -c 'import sys; assert sys.version_info[:2] >= (3, 12)' 2>/dev/null; then
    return 0
  fi
  if ! py=$(find_current_python); then
    echo "ERROR: the gateway needs Python 3.12 or 3.13 (e.g. 'pyenv install 3.13'), then run make again." >&2
    exit 1
  fi
  echo "Creating $dir with $py"
  rm -rf "$dir"
  "$py" -m venv "$dir"
}

make_venv .venv-gateway
.venv-gateway/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
  -r requirements/gateway.lock
make_venv .venv-tools
.venv-tools/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/tools.txt
