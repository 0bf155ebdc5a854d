"""Browser test fixtures: ONE ``stack`` fixture (gateway + Rasa) and a headless Debian Chromium.

``stack`` runs the real gateway (``python -m bot.gateway``) against a fake Rasa
(tests/browser/fake_rasa.py) by default. ``BROWSER_STACK=real`` switches it to the real
Rasa + action server via :class:`bot.launcher.Stack` (needs a trained model).
Every process gets a free port and is stopped at the end of the session.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, ensure_browser_deps, free_port, tenants_for


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running gateway whose demo tenant is allowed to use the chat."""
    from bot.launcher import Stack

    ensure_browser_deps()
    workdir = tmp_path_factory.mktemp("stack")
    gateway_port, rasa_port = free_port(), free_port()
    # The real assistant (trained model + action server) by default; BROWSER_STACK=fake only for
    # quick widget work without a model.
    real = os.environ.get("BROWSER_STACK", "real") == "real"
    stack = Stack(
        gateway_port=gateway_port, rasa_port=rasa_port, actions_port=free_port(),
        tenants=tenants_for(gateway_port, workdir), log_dir=workdir / "logs",
        rasa_cmd=None if real else [sys.executable, str(Path(__file__).with_name("fake_rasa.py")),
                                    "--port", str(rasa_port)],
        with_actions=real,
    )
    base = stack.start(timeout=600 if real else 60)
    try:
        yield base
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def dead_upstream_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A gateway whose Rasa is not running (nothing listens on its port)."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("dead")
    log = open(workdir / "gateway.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.gateway", "--port", str(port), "--rasa-url",
         f"http://127.0.0.1:{free_port()}", "--tenants", str(tenants_for(port, workdir))],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError((workdir / "gateway.log").read_text()) from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser():
    ensure_browser_deps()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageProblems(list):
    """Console errors, page errors and alert() calls seen while a test ran."""


def _new_page(browser, problems: PageProblems, **context_args):
    context = browser.new_context(locale="de-DE", **context_args)
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)

    def on_dialog(dialog):
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    return context, page


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser, problems):
    """A desktop-sized page (1280x800) in a fresh context (empty localStorage)."""
    context, pg = _new_page(browser, problems, viewport={"width": 1280, "height": 800})
    yield pg
    context.close()


@pytest.fixture
def new_page(browser, problems):
    """Factory for pages with other context options (viewport, reduced motion, bypass_csp)."""
    contexts = []

    def make(**context_args):
        context, pg = _new_page(browser, problems, **context_args)
        contexts.append(context)
        return pg

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
