"""The launcher's command lines and environments (no process is really started)."""

from __future__ import annotations

import subprocess

import pytest

from bot.launcher import Stack, StackError
from bot.launcher import supervisor as sup_mod


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """Start a Stack with a fake Popen; returns {name: (cmd, env)} of what it would run."""
    seen: dict[str, tuple[list[str], dict[str, str]]] = {}

    class FakePopen:
        def __init__(self, cmd, env=None, **_kw):
            self.cmd, self.pid, self.returncode = cmd, 0, None
            self.env = env or {}

        def poll(self):
            return None

    def run(**kwargs):
        monkeypatch.setattr(subprocess, "Popen", FakePopen)
        stack = Stack(log_dir=tmp_path, **kwargs)

        def fake_wait(self, name, deadline):
            raise StackError("stop")

        monkeypatch.setattr(sup_mod.Supervisor, "wait_ready", fake_wait)
        monkeypatch.setattr(sup_mod.Supervisor, "stop", lambda self, timeout=15: None)
        with pytest.raises(StackError):
            stack.start(timeout=1)
        for name, child in stack.supervisor.children.items():
            seen[name] = (list(child.proc.cmd), child.proc.env)
        return seen

    return run


def test_servers_keep_connections_longer_than_aiohttp_clients(started):
    seen = started()
    client_keepalive = 15.0  # aiohttp.TCPConnector's default keepalive_timeout (Rasa and gateway clients)
    for name in ("actions", "rasa"):
        assert float(seen[name][1]["SANIC_KEEP_ALIVE_TIMEOUT"]) > client_keepalive, name
    assert seen["actions"][1]["SANIC_HOST"] == "127.0.0.1"


def test_rasa_runs_without_telemetry_and_without_a_token_in_argv(started):
    cmd, env = started()["rasa"]
    assert env["RASA_TELEMETRY_ENABLED"] == "false" and env["LOG_LEVEL"] == "WARNING"
    assert cmd[1:3] == ["-m", "bot.launcher.run_rasa"] and "--quiet" in cmd
    assert "--auth-token" not in cmd and "--jwt-secret" not in cmd  # the secret travels in the environment
    assert len(env["RASA_JWT_SECRET"]) >= 32
    assert cmd[cmd.index("--interface") + 1] == "127.0.0.1"
