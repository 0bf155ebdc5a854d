"""Helpers for the gateway tests: fake Rasa upstream, fake Gemeinde register, tenant file."""

from __future__ import annotations

import asyncio
import json
import socket
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

DEMO_ORIGIN = "http://127.0.0.1:8080"
FELLBACH_ORIGIN = "https://www.fellbach.de"
SENDER = "6f1c3c1e-8a57-4c8e-9f7a-2b7c1d9e0a11"

GEMEINDEN = {
    "08119020": ("Fellbach, Stadt", "Fellbach"),
    "08111000": ("Stuttgart, Landeshauptstadt", "Stuttgart"),
    "08115001": ("Aidlingen", "Aidlingen"),
    "08421000": ("Ulm, Universitätsstadt", "Ulm"),
    "08311000": ("Freiburg im Breisgau, Stadt", "Freiburg im Breisgau"),
    "08125005": ("Bad Friedrichshall, Stadt", "Bad Friedrichshall"),
}


class FakeLanguageModel:
    """Stands in for py3langid's model (only in the gateway's environment): English or Turkish when the
    text has one of a few such words, else German, always sure."""

    ENGLISH = frozenset({"how", "do", "i", "get", "my", "the", "need", "what", "is", "where"})
    TURKISH = frozenset({"nasil", "nasıl", "nerede", "lazim", "istiyorum"})

    def classify(self, text: str) -> tuple[str, float]:
        words = set(text.lower().split())
        if words & self.TURKISH:
            return "tr", 0.99
        return ("en", 0.99) if words & self.ENGLISH else ("de", 0.99)


class FakeRegister:
    """Stands in for ``bot.core.get_core().register`` (only ``by_ags`` is used)."""

    def by_ags(self, ags: str) -> SimpleNamespace | None:
        if ags not in GEMEINDEN:
            return None
        name, short = GEMEINDEN[ags]
        return SimpleNamespace(ags=ags, name=name, short_name=short)


@dataclass
class FakeRasa:
    """Records what the gateway sends; ``mode`` picks the answer."""

    received: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    mode: str = "ok"  # ok | error500 | badjson | slow
    #: Tracker events set through Rasa's HTTP API: (conversation id, Authorization header, events).
    events: list[tuple[str, str | None, Any]] = field(default_factory=list)
    events_status: int = 200
    #: The language slot per conversation, as Rasa would hold it; the answer says which one it saw.
    languages: dict[str, str] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)  # conversations that have a session

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(f"{request.method} {request.path}")
        prefix, suffix = "/conversations/", "/tracker/events"
        if request.method == "POST" and request.path.startswith(prefix) and request.path.endswith(suffix):
            sender = request.path[len(prefix):-len(suffix)]
            body = await request.json()
            self.events.append((sender, request.headers.get("Authorization"), body))
            if self.events_status == 200 and sender not in self.known:
                # Rasa 3.6 stamps the events before it starts the session of a new conversation and then
                # reads only what follows the session start: a slot sent to a new conversation is lost.
                self.known.add(sender)
            elif self.events_status == 200:
                for event in body:
                    if event.get("event") == "slot" and event.get("name") == "language":
                        self.languages[sender] = event["value"]
            return web.json_response({"sender_id": sender}, status=self.events_status)
        if request.path != "/webhooks/rest/webhook" or request.method != "POST":
            return web.json_response({"error": "not the webhook"}, status=404)
        body = await request.json()
        self.received.append(body)
        self.known.add(body["sender"])
        if self.mode == "error500":
            return web.Response(status=500, text="boom")
        if self.mode == "badjson":
            return web.Response(text="<html>not json</html>", content_type="text/html")
        if self.mode == "slow":
            await asyncio.sleep(5)
        title = body.get("metadata", {}).get("tenant_title", "?")
        if body["sender"] in self.languages:
            return web.json_response([{"recipient_id": body["sender"],
                                       "text": f"[{self.languages[body['sender']]}] {body['message']}"}])
        return web.json_response([
            {"recipient_id": body["sender"], "text": f"Antwort für {title}: {body['message']}"},
            {"recipient_id": body["sender"], "text": "Noch etwas?",
             "buttons": [{"title": "Ja", "payload": "/affirm"}, {"title": "Nein", "payload": "/deny"}]},
            {"recipient_id": body["sender"], "image": "https://example.org/x.png"},
        ])


def write_tenants(path: Path) -> Path:
    path.write_text(textwrap.dedent(f"""
        tenants:
          - id: demo
            title: Demo-Rathaus
            origins: ["{DEMO_ORIGIN}", "http://localhost:8080"]
            ags:
              - {{ags: "08119020", title: Stadt Fellbach}}
              - "08111000"
              - "08421000"
          - id: fellbach
            title: Stadt Fellbach
            origins: ["{FELLBACH_ORIGIN}"]
            ags: ["08119020"]
    """), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def post_chat(client: TestClient, body: Any, *, origin: str | None = DEMO_ORIGIN,
                    path: str = "/chat/messages", raw: str | None = None,
                    content_type: str = "application/json"):
    headers = {"Content-Type": content_type}
    if origin:
        headers["Origin"] = origin
    data = raw if raw is not None else json.dumps(body)
    return await client.post(path, data=data, headers=headers)
