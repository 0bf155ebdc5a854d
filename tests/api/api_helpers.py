"""Helpers for the API tests: a FAKE Rasa + action server upstream, API key files, assertions."""

from __future__ import annotations

import asyncio
import hashlib
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

PORTAL_ORIGIN = "https://portal.example.de"
KEY = "test-key-portal-0001"
LIMITED_KEY = "test-key-limited-0002"
OTHER_KEY = "test-key-other-0003"
RASA_JWT_SECRET = "fake-rasa-jwt-secret"
MODEL_ID = "0c6a5e2b4f1d4d2c9b8a7f6e5d4c3b2a"
MODEL_FILE = "/srv/bot/models/20261121-053536-shabby-borzoi.tar.gz"
SERVICE_DATA = {
    "service": {"id": "personalausweis", "name": "Personalausweis beantragen", "servicebw_id": "2020",
                "online": "nein", "documents": ["Passfoto"], "source": "service-bw.de", "stand": "2026-11-21"},
    "office": None,
    "place": {"ags": "08119020", "name": "Fellbach", "kreis": "Rems-Murr-Kreis"},
}


def valid_jwt(header: str) -> bool:
    """``Bearer <HS256 JWT signed with RASA_JWT_SECRET>`` with Rasa's admin role, not expired."""
    import base64
    import hmac
    import json
    import time

    if not header.startswith("Bearer "):
        return False
    try:
        head, payload, signature = header[7:].split(".")
        expected = hmac.new(RASA_JWT_SECRET.encode(), f"{head}.{payload}".encode(), hashlib.sha256).digest()
        sig = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return False
    return hmac.compare_digest(sig, expected) and claims["user"]["role"] == "admin" and claims["exp"] > time.time()


def sha(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def write_keys(path: Path, portal_limit: int = 100_000) -> Path:
    path.write_text(textwrap.dedent(f"""
        portals:
          - id: portal
            title: Testportal
            sha256: "{sha(KEY)}"
            origins: ["{PORTAL_ORIGIN}"]
            rate_limit: {portal_limit}
          - id: limited
            sha256: ["{sha(LIMITED_KEY)}"]
            rate_limit: 3
          - id: other
            sha256: "{sha(OTHER_KEY)}"
            origins: []
            rate_limit: 100000
    """), encoding="utf-8")
    return path


def write_tenants(path: Path) -> Path:
    path.write_text('tenants: [{id: demo, title: Demo, origins: ["http://127.0.0.1:8080"], ags: ["08119020"]}]\n',
                    encoding="utf-8")
    return path


@dataclass
class FakeUpstream:
    """Rasa's REST webhook and ``/status`` plus the action server's ``/health`` on one fake server.

    ``mode``: ok | error500 | badjson | slow (webhook); ``rasa_up`` / ``actions_up`` for the checks.
    """

    received: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    mode: str = "ok"
    rasa_up: bool = True
    actions_up: bool = True
    #: Slot events set through Rasa's HTTP API: (conversation id, events), only with a valid JWT.
    events: list[tuple[str, Any]] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_post("/conversations/{cid}/tracker/events", self.tracker_events)
        app.router.add_get("/status", self.status)
        app.router.add_get("/", self.root)
        app.router.add_get("/health", self.health)
        return app

    async def webhook(self, request: web.Request) -> web.Response:
        self.requests.append("POST /webhooks/rest/webhook")
        body = await request.json()
        self.received.append(body)
        if self.mode == "error500":
            return web.Response(status=500, text="boom")
        if self.mode == "badjson":
            return web.Response(text="<html>not json</html>", content_type="text/html")
        if self.mode == "slow":
            await asyncio.sleep(5)
        sender, text = body["sender"], body["message"]
        return web.json_response(self.answer(sender, text))

    def answer(self, sender: str, text: str) -> list[dict[str, Any]]:
        if text == "/ask_documents":
            return [{"recipient_id": sender, "text": "Sie brauchen ein Passfoto."}]
        return [
            {"recipient_id": sender, "text": f"Echo: {text}",
             "buttons": [{"title": "Welche Unterlagen?", "payload": "/ask_documents"},
                         {"title": "Fellbach", "payload": '/inform_place{"place": "08119020"}'}]},
            {"recipient_id": sender, "custom": SERVICE_DATA},
            {"recipient_id": sender, "image": "https://example.org/x.png"},
        ]

    async def tracker_events(self, request: web.Request) -> web.Response:
        self.requests.append("POST /conversations/{cid}/tracker/events")
        if "token" in request.query or not valid_jwt(request.headers.get("Authorization", "")):
            return web.json_response({"status": "failure", "reason": "NotAuthenticated"}, status=401)
        self.events.append((request.match_info["cid"], await request.json()))
        return web.json_response({"sender_id": request.match_info["cid"]})

    async def status(self, request: web.Request) -> web.Response:
        self.requests.append("GET /status")
        if not self.rasa_up:
            return web.Response(status=500, text="down")
        if "token" in request.query or not valid_jwt(request.headers.get("Authorization", "")):
            return web.json_response({"status": "failure", "reason": "NotAuthenticated"}, status=401)
        return web.json_response({"model_id": MODEL_ID, "model_file": MODEL_FILE, "num_active_training_jobs": 0})

    async def root(self, request: web.Request) -> web.Response:
        self.requests.append("GET /")
        if not self.rasa_up:
            return web.Response(status=500, text="down")
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def health(self, request: web.Request) -> web.Response:
        self.requests.append("GET /health")
        if not self.actions_up:
            return web.Response(status=500, text="down")
        return web.json_response({"status": "ok"})


async def error_of(resp: Any, status: int | None = None) -> dict[str, str]:
    """The ``{"error": {"code", "message"}}`` body (exactly that shape), optionally checking the status."""
    if status is not None:
        assert resp.status == status, (resp.status, await resp.text())
    assert resp.content_type == "application/json"
    body = await resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"]
    return body["error"]
