"""Shared bits of the browser tests: paths, Chromium flags, free ports, dependency setup."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_browser_deps() -> None:
    """Install Debian chromium, Playwright (driver only) and axe-core when missing."""
    try:
        import playwright  # noqa: F401
        have_playwright = True
    except ImportError:
        have_playwright = False
    if not (Path(CHROMIUM).exists() and have_playwright and AXE_JS.exists()):
        subprocess.run(["bash", str(ROOT / "scripts" / "setup_browser.sh")], check=True, cwd=ROOT,
                       env={**os.environ, "VENV_PY": sys.executable})


def tenants_for(port: int, directory: Path) -> Path:
    """config/tenants.yml with the demo tenant's origins moved to the gateway's test port."""
    data = yaml.safe_load((ROOT / "config" / "tenants.yml").read_text(encoding="utf-8"))
    for tenant in data["tenants"]:
        if tenant["id"] == "demo":
            tenant["origins"] = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    path = directory / "tenants.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
