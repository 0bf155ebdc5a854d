"""Process supervision: start children, restart a crashed one with backoff, keep the others running.

A :class:`Supervisor` owns a set of :class:`Child` processes, each in its own process group (so
stopping one never touches anything else on the machine). A watcher thread polls them; a child
that exits while the supervisor runs is started again after a delay that doubles with every crash
in a row (``backoff_initial`` .. ``backoff_max``) and resets once it stayed up ``stable_after``
seconds. Children run with umask 077 (the SQLite tracker store and logs are private to the
service user). Every start and exit is recorded in :attr:`Supervisor.events` (tests measure restart
times with it) and reported on stderr without any request data.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


class StackError(RuntimeError):
    """A process of the stack did not start (its log file is named in the message)."""


@dataclass
class Child:
    """One supervised process: its command, environment and the URL that answers when it is ready."""

    name: str
    cmd: Sequence[str]
    env: dict[str, str] = field(default_factory=dict)
    ready_url: str | None = None
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    crashes_in_row: int = 0
    restarts: int = 0
    next_start: float | None = None


@dataclass
class Event:
    at: float
    child: str
    what: str  # "start" | "exit" | "ready"
    detail: str = ""


class Supervisor:
    def __init__(self, cwd: Path, log_dir: Path | None = None, *, backoff_initial: float = 1.0,
                 backoff_max: float = 30.0, stable_after: float = 60.0, poll: float = 0.25) -> None:
        self.cwd, self.log_dir = cwd, log_dir
        self.backoff_initial, self.backoff_max, self.stable_after, self.poll = (
            backoff_initial, backoff_max, stable_after, poll)
        self.children: dict[str, Child] = {}
        self.events: list[Event] = []
        self._files: list[IO[bytes]] = []
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # --- starting ---------------------------------------------------------------------------------
    def add(self, child: Child) -> Child:
        self.children[child.name] = child
        self._spawn(child)
        return child

    def _spawn(self, child: Child) -> None:
        out: IO[bytes] | None = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            path = self.log_dir / f"{child.name}.log"
            out = open(path, "ab")  # noqa: SIM115 - closed in stop()
            path.chmod(0o600)
            self._files.append(out)
        child.proc = subprocess.Popen(list(child.cmd), cwd=self.cwd, env={**os.environ, **child.env},
                                      stdout=out, stderr=subprocess.STDOUT if out else None,
                                      start_new_session=True, umask=0o077)
        child.started_at, child.next_start = time.monotonic(), None
        self._record(child.name, "start", f"pid {child.proc.pid}")

    def _record(self, name: str, what: str, detail: str = "") -> None:
        with self._lock:
            self.events.append(Event(time.monotonic(), name, what, detail))

    def log_hint(self, name: str) -> str:
        return f"; Log: {self.log_dir / (name + '.log')}" if self.log_dir else ""

    def wait_ready(self, name: str, deadline: float) -> None:
        """Block until ``name`` answers on its ready URL (raises StackError if it exits or times out)."""
        child = self.children[name]
        while time.monotonic() < deadline:
            proc = child.proc
            if proc is not None and proc.poll() is not None and self._thread is None:
                raise StackError(f"{name} ist beendet (Code {proc.returncode}){self.log_hint(name)}")
            if child.ready_url is None or url_ok(child.ready_url):
                self._record(name, "ready")
                return
            time.sleep(0.3)
        raise StackError(f"{name} antwortet nicht auf {child.ready_url}{self.log_hint(name)}")

    # --- watching ---------------------------------------------------------------------------------
    def watch(self) -> None:
        """Start the watcher thread: from now on a child that exits is restarted."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="supervisor", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while not self._stopping.wait(self.poll):
            with self._lock:
                for child in self.children.values():
                    self._check(child)

    def _check(self, child: Child) -> None:
        now = time.monotonic()
        if child.next_start is not None:
            if now >= child.next_start and not self._stopping.is_set():
                child.restarts += 1
                self._spawn(child)
            return
        proc = child.proc
        if proc is None or proc.poll() is None:
            if proc is not None and child.crashes_in_row and now - child.started_at >= self.stable_after:
                child.crashes_in_row = 0
            return
        uptime = now - child.started_at
        if uptime >= self.stable_after:
            child.crashes_in_row = 0
        delay = min(self.backoff_max, self.backoff_initial * 2 ** child.crashes_in_row)
        child.crashes_in_row += 1
        child.next_start = now + delay
        self._record(child.name, "exit", f"code {proc.returncode}")
        print(f"[launcher] {child.name} beendet (Code {proc.returncode}); Neustart in {delay:.1f} s",
              file=sys.stderr, flush=True)

    def restart_count(self, name: str) -> int:
        return self.children[name].restarts

    def alive(self) -> bool:
        return all(c.proc is not None and c.proc.poll() is None for c in self.children.values())

    # --- stopping ---------------------------------------------------------------------------------
    def stop(self, timeout: float = 15.0) -> None:
        """Terminate exactly the processes this supervisor started (their own process groups)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        with self._lock:
            children = list(self.children.values())[::-1]
            for child in children:
                if child.proc is not None and child.proc.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(child.proc.pid, signal.SIGTERM)
            for child in children:
                if child.proc is None:
                    continue
                try:
                    child.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(child.proc.pid, signal.SIGKILL)
                    child.proc.wait(timeout=5)
            self.children.clear()
            for handle in self._files:
                handle.close()
            self._files.clear()


def url_ok(url: str, timeout: float = 2.0) -> bool:
    """True if ``url`` (loopback) answers with a status below 500."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as resp:
            return resp.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (urllib.error.URLError, OSError):
        return False
