"""Helpers for the hostile-input tests: a fake Rasa with per-conversation memory, RSS, raw HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from aiohttp import web

DEMO_ORIGIN = "http://127.0.0.1:8080"
ULM_ORIGIN = "https://www.ulm.de"
SENDER = "6f1c3c1e-8a57-4c8e-9f7a-2b7c1d9e0a11"
API_KEY = "test-key-hostile-0001"
CITIZEN_TEXT = "Ich heiße Erika Mustermann und wohne in der Lindenstraße 7"
GEMEINDEN = {"08119020": ("Fellbach, Stadt", "Fellbach"), "08111000": ("Stuttgart, Landeshauptstadt", "Stuttgart"),
             "08421000": ("Ulm, Universitätsstadt", "Ulm")}


class FakeRegister:
    def by_ags(self, ags: str) -> SimpleNamespace | None:
        if ags not in GEMEINDEN:
            return None
        name, short = GEMEINDEN[ags]
        return SimpleNamespace(ags=ags, name=name, short_name=short)


@dataclass
class MemoryRasa:
    """Like Rasa: one tracker per sender that remembers the first Gemeinde it was told about
    (the remembered place wins over the tenant's, as in ``actions.context.known_place``), and
    processes one message per sender at a time (``max_parallel`` records any overlap)."""

    delay: float = 0.0
    trackers: dict[str, list[str]] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    active: dict[str, int] = field(default_factory=dict)
    max_parallel: int = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        return app

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        sender, text, meta = body["sender"], body["message"], body.get("metadata") or {}
        self.received.append(body)
        self.active[sender] = self.active.get(sender, 0) + 1
        self.max_parallel = max(self.max_parallel, self.active[sender])
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            self.trackers.setdefault(sender, []).append(text)
            place = self.places.setdefault(sender, str(meta.get("tenant_title", "?")))
        finally:
            self.active[sender] -= 1
        if text.startswith("/feedback_"):
            return web.json_response([{"recipient_id": sender, "text": "Danke für Ihre Rückmeldung!"}])
        return web.json_response([
            {"recipient_id": sender, "text": f"Zuständig ist die {place}. Sie schrieben: {text}"},
            {"recipient_id": sender, "text": "Möchten Sie mehr wissen?",
             "buttons": [{"title": "Unterlagen", "payload": "/ask_documents"},
                         {"title": "Stuttgart", "payload": '/choose_place{"ags":"08111000"}'}]},
        ])


def write_config(tmp: Path) -> tuple[Path, Path]:
    import hashlib

    tenants = tmp / "tenants.yml"
    tenants.write_text(textwrap.dedent(f"""
        tenants:
          - id: demo
            title: Demo-Rathaus
            origins: ["{DEMO_ORIGIN}"]
            ags: [{{ags: "08119020", title: Stadt Fellbach}}, "08111000"]
          - id: ulm
            title: Stadt Ulm
            origins: ["{ULM_ORIGIN}"]
            ags: [{{ags: "08421000", title: Stadt Ulm}}, {{ags: "08119020", title: Stadt Fellbach}}]
    """), encoding="utf-8")
    keys = tmp / "api_keys.yml"
    digest = hashlib.sha256(API_KEY.encode()).hexdigest()
    keys.write_text(f'portals: [{{id: portal, sha256: "{digest}", origins: [], rate_limit: 100000}}]\n',
                    encoding="utf-8")
    return tenants, keys


def rss_mb() -> float:
    """Resident set size of this process (the gateway runs in it) in MB, from /proc."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def raw_http(port: int, data: bytes, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, return (status, headers, body) of the first response (status 0: none)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    except (asyncio.IncompleteReadError, ConnectionError):
        return 0, {}, b""
    finally:
        writer.close()
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    body = b""
    length = int(headers.get("content-length", "0") or 0)
    if length:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            body = await asyncio.wait_for(reader.readexactly(length), timeout)
    return status, headers, body


def error_shape(body: bytes) -> dict[str, str] | None:
    """The ``error`` object if ``body`` is exactly the gateway's JSON error shape."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict) and set(data) == {"error"} and isinstance(data["error"], dict) \
            and set(data["error"]) == {"code", "message"} and data["error"]["message"]:
        return data["error"]
    return None


async def posts_in_order(port: int, path: str, bodies: list[dict[str, Any]], headers: dict[str, str],
                         gap: float = 0.01) -> list[tuple[int, bytes]]:
    """Open one connection per body first, then write the requests ``gap`` seconds apart (a known
    arrival order, all in flight together); returns (status, raw answer) per body."""
    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in bodies]

    async def one(i: int, body: dict[str, Any]) -> tuple[int, bytes]:
        reader, writer = conns[i]
        await asyncio.sleep(i * gap)
        data = json.dumps(body).encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        writer.write(f"POST {path} HTTP/1.1\r\nHost: x\r\n{head}Content-Type: application/json\r\n"
                     f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data)
        answer = await asyncio.wait_for(reader.read(), 30)
        writer.close()
        return int(answer.split()[1]), answer

    return list(await asyncio.gather(*(one(i, b) for i, b in enumerate(bodies))))
