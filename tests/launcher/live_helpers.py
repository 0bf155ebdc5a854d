"""Helpers for the live launcher tests: free ports, a tenant file, chatting through the gateway."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT

STUTTGART = "08111000"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tenants_for(port: int, directory: Path) -> Path:
    """config/tenants.yml with the demo tenant's origins moved to the gateway's test port."""
    data = yaml.safe_load((PROJECT_ROOT / "config" / "tenants.yml").read_text(encoding="utf-8"))
    for tenant in data["tenants"]:
        if tenant["id"] == "demo":
            tenant["origins"] = [f"http://127.0.0.1:{port}"]
    path = directory / "tenants.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def chat(base: str, sender: str, text: str, ags: str = STUTTGART, timeout: float = 60) -> tuple[int, Any]:
    """POST /chat/messages as the demo page would; (status, JSON body)."""
    body = json.dumps({"sender_id": sender, "ags": ags, "message": text}).encode()
    req = urllib.request.Request(f"{base}/chat/messages", data=body, method="POST", headers={
        "Content-Type": "application/json", "Origin": base})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def texts(body: Any) -> str:
    return "\n".join(m.get("text", "") for m in body.get("messages", []))


def assert_answered(status: int, body: Any) -> None:
    """Never an empty answer: messages with text, or the German error shape."""
    if status == 200:
        assert body["messages"] and all(m["text"] or m["buttons"] for m in body["messages"]), body
    else:
        assert status == 503, (status, body)
        assert "kurz nicht verfügbar" in body["error"]["message"], body


def kill(pid: int) -> None:
    os.killpg(pid, signal.SIGKILL)


def until_answered(base: str, sender: str, text: str, timeout: float, seen: list[tuple[int, Any]]) -> Any:
    """Send ``text`` every second until it is answered (200); every reply meanwhile is checked."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = chat(base, sender, text)
        seen.append((status, body))
        assert_answered(status, body)
        if status == 200:
            return body
        time.sleep(1.0)
    raise AssertionError(f"no answer within {timeout:.0f} s: {seen[-3:]}")
