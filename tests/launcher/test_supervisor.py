"""Supervision: a crashed child comes back with backoff, the others keep running."""

from __future__ import annotations

import os
import signal
import sys
import time

from bot.launcher.supervisor import Child, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)"]


def _wait(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_crashed_child_restarts_and_others_keep_running(tmp_path):
    sup = Supervisor(tmp_path, tmp_path / "logs", backoff_initial=0.2, backoff_max=1.0, poll=0.05)
    try:
        a, b = sup.add(Child("a", SLEEPER)), sup.add(Child("b", SLEEPER))
        sup.watch()
        pid_a, pid_b = a.proc.pid, b.proc.pid
        os.killpg(pid_a, signal.SIGKILL)
        _wait(lambda: a.proc.pid != pid_a and a.proc.poll() is None)
        assert b.proc.pid == pid_b and b.proc.poll() is None and sup.restart_count("a") == 1
        # Crashing again in a row doubles the delay.
        killed = time.monotonic()
        os.killpg(a.proc.pid, signal.SIGKILL)
        _wait(lambda: sup.restart_count("a") == 2)
        assert time.monotonic() - killed >= 0.4
        exits = [e for e in sup.events if e.child == "a" and e.what == "exit"]
        assert len(exits) == 2
        assert (tmp_path / "logs" / "a.log").stat().st_mode & 0o077 == 0  # logs private
    finally:
        sup.stop()
    assert a.proc.poll() is not None and b.proc.poll() is not None


def test_child_that_keeps_crashing_is_retried_with_capped_backoff(tmp_path):
    sup = Supervisor(tmp_path, None, backoff_initial=0.05, backoff_max=0.2, poll=0.02)
    try:
        sup.add(Child("bad", [sys.executable, "-c", "raise SystemExit(3)"]))
        sup.watch()
        _wait(lambda: sup.restart_count("bad") >= 4, timeout=15)
        starts = [e.at for e in sup.events if e.child == "bad" and e.what == "start"]
        gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
        assert max(gaps) < 2.0  # capped
    finally:
        sup.stop()


def test_children_create_private_files(tmp_path):
    sup = Supervisor(tmp_path, None, poll=0.05)
    try:
        child = sup.add(Child("w", [sys.executable, "-c", "open('made.db', 'w').close()"]))
        _wait(lambda: child.proc.poll() is not None)
    finally:
        sup.stop()
    assert (tmp_path / "made.db").stat().st_mode & 0o077 == 0
