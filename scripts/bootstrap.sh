#!/usr/bin/env bash
# Create .venv with Python 3.10 (Rasa 3.6 does not run on 3.11) and install the pinned packages.
# Finds python3.10 on PATH or through pyenv; never downloads an interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv

find_python() {
  local cand
  if cand=$(command -v python3.10 2>/dev/null) && "$cand" -c 'import sys; assert sys.version_info[:2]==(3,10)' 2>/dev/null; then
    echo "$cand"; return 0
  fi
  if command -v pyenv >/dev/null 2>&1; then
    local root ver
    root=$(pyenv root)
    ver=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -V | tail -n 1 || true)
    if [ -n "$ver" ] && [ -x "$root/versions/$ver/bin/python3.10" ]; then
      echo "$root/versions/$ver/bin/python3.10"; return 0
    fi
  fi
  for cand in /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -x "$cand" ] && { echo "$cand"; return 0; }
  done
  return 1
}

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; assert sys.version_info[:2]==(3,10)' 2>/dev/null; then
  if ! PY=$(find_python); then
    echo "ERROR: Python 3.10 is required (Rasa 3.6 does not support 3.11+)." >&2
    echo "       Install it, e.g. 'pyenv install 3.10', or put python3.10 on PATH, then run make again." >&2
    exit 1
  fi
  echo "Creating $VENV with $PY"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip<24" "setuptools<71" wheel
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements/dev.txt \
  -c requirements.lock
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
