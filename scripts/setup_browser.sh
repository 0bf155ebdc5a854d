#!/usr/bin/env bash
# Installs what the browser tests (tests/browser/) need, idempotently:
#   * Debian's chromium (/usr/bin/chromium) via apt — never a browser download from elsewhere
#   * Playwright for Python (driver only) into the project venv
#   * axe-core from the npm registry into ./node_modules (gitignored, no package.json written)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_PY="${VENV_PY:-$ROOT/.venv/bin/python}"
PLAYWRIGHT_VERSION="1.65.2"
AXE_CORE_VERSION="4.14.1"

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

if [ ! -x /usr/bin/chromium ]; then
  echo "[setup_browser] installing Debian chromium"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
fi

if ! "$VENV_PY" -c "import playwright" >/dev/null 2>&1; then
  echo "[setup_browser] installing playwright==$PLAYWRIGHT_VERSION into the venv"
  # Only the Python package (it bundles its node driver); we never run 'playwright install'.
  "$VENV_PY" -m pip install --quiet "playwright==$PLAYWRIGHT_VERSION"
fi

if [ ! -f "$ROOT/node_modules/axe-core/axe.min.js" ]; then
  echo "[setup_browser] installing axe-core@$AXE_CORE_VERSION into $ROOT/node_modules"
  npm install --prefix "$ROOT" --no-save --no-package-lock --no-audit --no-fund \
    "axe-core@$AXE_CORE_VERSION" >/dev/null
  # npm may leave an empty package.json behind when --prefix has none; keep the tree clean.
  if [ -f "$ROOT/package.json" ] && ! git -C "$ROOT" ls-files --error-unmatch package.json >/dev/null 2>&1; then
    grep -q '"dependencies"' "$ROOT/package.json" || rm -f "$ROOT/package.json"
  fi
fi

echo "[setup_browser] ok: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium ?'), \
playwright $("$VENV_PY" -c 'import importlib.metadata as m; print(m.version("playwright"))'), \
axe-core $(node -p "require('$ROOT/node_modules/axe-core/package.json').version")"
