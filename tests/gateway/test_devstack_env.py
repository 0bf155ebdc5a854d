"""The local stack starts Rasa and the action server with keep-alive longer than their clients'."""

from __future__ import annotations

import subprocess

import pytest

from bot.gateway import devstack


def test_servers_keep_connections_longer_than_aiohttp_clients(monkeypatch, tmp_path):
    started: dict[str, dict] = {}

    class FakePopen:
        def __init__(self, cmd, env=None, **_kw):
            name = "actions" if "rasa_sdk" in cmd else "rasa" if "rasa" in cmd else "gateway"
            started[name] = env or {}
            self.pid, self.returncode = 0, None

        def poll(self):
            return None

    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    stack = devstack.Stack(log_dir=tmp_path)
    monkeypatch.setattr(stack, "_wait", lambda *a: (_ for _ in ()).throw(devstack.StackError("stop")))
    monkeypatch.setattr(stack, "stop", lambda: None)
    with pytest.raises(devstack.StackError):
        stack.start(timeout=1)
    client_keepalive = 15.0  # aiohttp.TCPConnector's default keepalive_timeout (Rasa and gateway clients)
    for name in ("actions", "rasa"):
        assert float(started[name]["SANIC_KEEP_ALIVE_TIMEOUT"]) > client_keepalive, name
    assert started["actions"]["SANIC_HOST"] == "127.0.0.1"
