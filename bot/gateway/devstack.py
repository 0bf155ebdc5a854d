"""Start the whole local system: action server, Rasa (REST channel) and the gateway.

``python -m bot.gateway.devstack`` (what ``make run`` needs) starts all three, waits until
each answers and prints the demo page's URL. Rasa and the action server bind to 127.0.0.1
only. Rasa's HTTP API is enabled on loopback with a random per-start token (``RASA_TOKEN`` for
the gateway's health/version checks and for publishing a new model); no gateway path forwards
to it, so the gateway stays the only public entry point. The browser tests use :class:`Stack`
too, optionally with a fake Rasa command.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import yaml

from bot.gateway.settings import PROJECT_ROOT

LOOPBACK = "127.0.0.1"
#: Sanic (Rasa, action server) closes idle keep-alive connections after 5 s by default, but the
#: aiohttp clients calling them (Rasa -> actions, gateway -> Rasa) reuse pooled connections for
#: 15 s; a request on a connection the server just closed fails and the citizen gets no answer.
#: The servers must keep connections open longer than the clients do.
SANIC_ENV = {"SANIC_KEEP_ALIVE_TIMEOUT": "75"}


class StackError(RuntimeError):
    """A process of the stack did not start (its log file is named in the message)."""


@dataclass
class Stack:
    """The processes of one local stack; ``start()`` returns the gateway's base URL."""

    gateway_port: int = 8080
    rasa_port: int = 5005
    actions_port: int = 5055
    tenants: Path = PROJECT_ROOT / "config" / "tenants.yml"
    model: Path | None = None
    #: Where each process writes its output; ``None`` = inherit the terminal.
    log_dir: Path | None = None
    #: Replace the real Rasa (e.g. by a fake for tests); ``None`` runs ``rasa run``.
    rasa_cmd: list[str] | None = None
    with_actions: bool = True
    #: Token for Rasa's HTTP API (loopback only; used for /status and hot reload via PUT /model).
    rasa_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    procs: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    _files: list[IO[bytes]] = field(default_factory=list)
    _tmp_paths: list[Path] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.gateway_port}"

    def _spawn(self, name: str, cmd: Sequence[str], env: dict[str, str] | None = None) -> None:
        out: IO[bytes] | None = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
            self._files.append(out)
        proc = subprocess.Popen(list(cmd), cwd=PROJECT_ROOT, env={**os.environ, **(env or {})},
                                stdout=out, stderr=subprocess.STDOUT if out else None,
                                start_new_session=True)
        self.procs.append((name, proc))

    def _endpoints_file(self) -> Path:
        """The project's endpoints.yml with the action server pointed at our loopback port."""
        source = PROJECT_ROOT / "endpoints.yml"
        data = (yaml.safe_load(source.read_text(encoding="utf-8")) if source.is_file() else None) or {}
        data["action_endpoint"] = {"url": f"http://{LOOPBACK}:{self.actions_port}/webhook"}
        handle, path = tempfile.mkstemp(prefix="endpoints-", suffix=".yml")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yaml.safe_dump(data, out, allow_unicode=True)
        self._tmp_paths.append(Path(path))
        return Path(path)

    def _wait(self, name: str, url: str, deadline: float) -> None:
        proc = dict(self.procs)[name]
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise StackError(f"{name} ist beendet (Code {proc.returncode}){self._log_hint(name)}")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback only
                    if resp.status < 500:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise StackError(f"{name} antwortet nicht auf {url}{self._log_hint(name)}")

    def _log_hint(self, name: str) -> str:
        return f"; Log: {self.log_dir / (name + '.log')}" if self.log_dir else ""

    def start(self, timeout: float = 300.0) -> str:
        deadline = time.monotonic() + timeout
        try:
            if self.with_actions:
                self._spawn("actions", [sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                                        "--port", str(self.actions_port)], env={"SANIC_HOST": LOOPBACK, **SANIC_ENV})
            rasa_cmd = self.rasa_cmd or [
                sys.executable, "-m", "rasa", "run", "--interface", LOOPBACK, "--port", str(self.rasa_port),
                "--connector", "rest", "--endpoints", str(self._endpoints_file()),
                "--enable-api", "--auth-token", self.rasa_token,
                *(["--model", str(self.model)] if self.model else []),
            ]
            self._spawn("rasa", rasa_cmd, env=SANIC_ENV)
            self._spawn("gateway", [sys.executable, "-m", "bot.gateway", "--host", LOOPBACK,
                                    "--port", str(self.gateway_port),
                                    "--rasa-url", f"http://{LOOPBACK}:{self.rasa_port}",
                                    "--tenants", str(self.tenants), "--demo-api-key",
                                    "--actions-health-url", f"http://{LOOPBACK}:{self.actions_port}/health"],
                        env={"RASA_TOKEN": self.rasa_token})
            if self.with_actions:
                self._wait("actions", f"http://{LOOPBACK}:{self.actions_port}/health", deadline)
            self._wait("rasa", f"http://{LOOPBACK}:{self.rasa_port}/", deadline)
            self._wait("gateway", f"{self.base_url}/healthz", deadline)
        except BaseException:
            self.stop()
            raise
        return self.base_url

    def stop(self) -> None:
        """Terminate exactly the processes this stack started (their own process groups)."""
        for _name, proc in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for _name, proc in reversed(self.procs):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.procs.clear()
        for handle in self._files:
            handle.close()
        self._files.clear()
        for path in self._tmp_paths:
            path.unlink(missing_ok=True)
        self._tmp_paths.clear()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.gateway.devstack", description=__doc__)
    parser.add_argument("--port", type=int, default=8080, help="gateway port")
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--actions-port", type=int, default=5055)
    parser.add_argument("--tenants", type=Path, default=PROJECT_ROOT / "config" / "tenants.yml")
    parser.add_argument("--model", type=Path, default=None, help="model file or directory (default: models/)")
    args = parser.parse_args(argv)
    stack = Stack(args.port, args.rasa_port, args.actions_port, args.tenants, args.model)

    def _terminate(signum: int, _frame: object) -> None:  # SIGTERM (service managers, kill) = Ctrl+C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        base = stack.start()
        print(f"\nDigitaler Bürgerservice läuft. Demo-Seite: {base}/demo/\n"
              f"(Stuttgart: {base}/demo/?ags=08111000 · Ulm: {base}/demo/?ags=08421000&title=Stadt%20Ulm)\n"
              "Beenden mit Strg+C.", flush=True)
        while all(proc.poll() is None for _n, proc in stack.procs):
            time.sleep(1)
        dead = [name for name, proc in stack.procs if proc.poll() is not None]
        print(f"Beendet: {', '.join(dead)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except StackError as exc:
        print(f"Start fehlgeschlagen: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
