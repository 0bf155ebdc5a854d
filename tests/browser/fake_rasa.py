"""A stand-in for Rasa's REST channel with realistic answers, for the browser tests.

Run: ``python tests/browser/fake_rasa.py --port 5005``. It speaks the "Gateway -> Rasa"
contract (docs/dev/contracts.md) and keeps a per-sender list of received messages, which
tests can read at ``GET /test/received/{sender}`` (the real Rasa has no such route).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from typing import Any

from aiohttp import web

PLZ = {"08119020": "70734", "08111000": "70173", "08115001": "71134", "08421000": "89073",
       "08311000": "79098"}
BUTTONS = [
    {"title": "Welche Unterlagen brauche ich?", "payload": "/ask_documents"},
    {"title": "Anderer Wohnort", "payload": "/change_place"},
]


def answer(text: str, meta: dict[str, Any]) -> list[dict[str, Any]]:
    title, ags = meta.get("tenant_title", "Ihre Gemeinde"), meta.get("tenant_ags", "")
    lowered = text.lower()
    if text.startswith("/feedback_"):
        return [{"text": "Danke für Ihre Rückmeldung!"}]
    if text == "/ask_documents":
        return [{"text": "Für die Anmeldung Ihres Hundes brauchen Sie:\n"
                         "• Ihren Personalausweis\n• bei Listenhunden den Nachweis der Haftpflichtversicherung",
                 "buttons": [{"title": "Kann ich das online erledigen?", "payload": "/ask_online"}]}]
    if text == "/ask_online":
        return [{"text": "Ja, **online** über service-bw – der Link steht oben."}]
    if text == "/change_place":
        return [{"text": "In welchem Ort wohnen Sie?"}]
    if "hund" in lowered:
        url = f"https://www.service-bw.de/zufi/leistungen/130?plz={PLZ.get(ags, '')}&ags={ags}"
        return [{"text": f"Einen Hund melden Sie bei der **{title}** zur Hundesteuer an "
                         f"(zuständig: Steueramt).\nOnline geht das über service-bw: {url}",
                 "buttons": BUTTONS}]
    if "<" in text:
        return [{"text": f"Sie haben geschrieben: {text}\nDazu habe ich leider nichts gefunden."}]
    return [{"text": "Dazu habe ich leider nichts gefunden. Versuchen Sie es mit anderen Worten."}]


def make_app() -> web.Application:
    received: dict[str, list[dict[str, Any]]] = defaultdict(list)
    languages: dict[str, Any] = {}  # the last slot events per sender (not read by the fake answers)

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        sender, text, meta = body["sender"], body["message"], body.get("metadata") or {}
        received[sender].append({"message": text, "metadata": meta})
        return web.json_response([{"recipient_id": sender, **m} for m in answer(text, meta)])

    async def get_received(request: web.Request) -> web.Response:
        return web.json_response(received.get(request.match_info["sender"], []))

    async def tracker_events(request: web.Request) -> web.Response:
        # The gateway sets the slot "language" here (Rasa's HTTP API) when a conversation's language changes.
        languages[request.match_info["sender"]] = await request.json()
        return web.json_response({"sender_id": request.match_info["sender"]})

    async def root(request: web.Request) -> web.Response:
        return web.Response(text="Hello from fake Rasa")

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_post("/conversations/{sender}/tracker/events", tracker_events)
    app.router.add_get("/test/received/{sender}", get_received)
    app.router.add_get("/", root)
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(make_app(), host="127.0.0.1", port=args.port, print=None, access_log=None)
