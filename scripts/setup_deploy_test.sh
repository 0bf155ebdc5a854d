#!/usr/bin/env bash
# What tests/deploy/ needs, idempotently: Debian's nginx and openssl (for the reverse-proxy test with
# a throwaway certificate) and systemd-analyze (to verify the units). Like setup_browser.sh:
# only Debian packages, installed only when missing.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup_deploy_test] installing ${missing[*]} (Debian)"
  $SUDO apt-get update -qq
  # Debian's policy-rc.d in containers keeps the nginx service from starting; the test runs its own.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "[setup_deploy_test] ok: $(/usr/sbin/nginx -v 2>&1), $(openssl version), $(systemd-analyze --version | head -n 1)"
