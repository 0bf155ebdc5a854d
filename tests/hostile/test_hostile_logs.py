"""Finding 3: no citizen text, sender/conversation id or IP in any gateway log line; no forged lines."""

from __future__ import annotations

import io
import logging
import re

from hostile_helpers import API_KEY, CITIZEN_TEXT, DEMO_ORIGIN, SENDER, raw_http

from bot.gateway.logs import configure_logging, safe_line
from bot.gateway.relay import RELAY_KEY

CID = "vorgang-geheim-4711"
SECRETS = ("Mustermann", "Lindenstra", "Erika", SENDER, CID, "203.0.113.9", "forged", "Traceback")


async def test_gateway_logs_hold_no_personal_data(client, monkeypatch):
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging(logging.DEBUG, stream)
    try:
        chat = {"sender_id": SENDER, "ags": "08119020", "message": CITIZEN_TEXT}
        assert (await client.post("/chat/messages", json=chat, headers={"Origin": DEMO_ORIGIN})).status == 200
        surrogate = f'{{"sender_id": "{SENDER}", "ags": "08119020", "message": "Erika \\ud800 Mustermann"}}'
        await client.post("/chat/messages", data=surrogate, headers={"Origin": DEMO_ORIGIN,
                                                                     "Content-Type": "application/json"})
        await client.post(f"/api/v1/conversations/{CID}/messages", json={"message": CITIZEN_TEXT},
                          headers={"X-API-Key": API_KEY, "X-Forwarded-For": "203.0.113.9"})
        await client.post(f"/api/v1/conversations/{CID}/messages", json={"message": "x", "place": "\ud800"},
                          headers={"X-API-Key": API_KEY})
        await client.get("/api/v1/places", params={"q": CITIZEN_TEXT}, headers={"X-API-Key": API_KEY})
        await client.get(f"/chat/{SENDER}%0A2026-12-01 00:00:00,000 INFO forged: Mustermann")
        await raw_http(client.port, f"GET /x{CID} HTTP/1.1\r\nHost: x\r\nBad Header Mustermann\r\n\r\n".encode())
        await raw_http(client.port, b"MUSTERMANN\x00 /forged HTTP/1.1\r\n\r\n")

        async def boom(sender, text, metadata, language=None):  # an exception whose locals and message hold the text
            secret = text  # noqa: F841 - a local variable a traceback would show
            raise RuntimeError(f"kaputt bei {text} von {sender}")

        monkeypatch.setattr(client.app[RELAY_KEY], "send", boom)
        assert (await client.post("/chat/messages", json=chat, headers={"Origin": DEMO_ORIGIN})).status == 500
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    log = stream.getvalue()

    lines = log.splitlines()
    assert len(lines) >= 8, log
    for line in lines:
        assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO|WARNING|ERROR) ", line), line
        for secret in SECRETS:
            assert secret.lower() not in line.lower(), (secret, line)
        assert len(line) < 1200
    assert "POST /chat/messages 200" in log
    assert "POST /api/v1/conversations/{conversation_id}/messages 200" in log
    assert "GET /api/v1/places 404" in log  # the citizen text is no place
    assert "unmatched 404" in log
    assert "unhandled error on POST /chat/messages: RuntimeError" in log


def test_safe_line_escapes_and_bounds():
    assert safe_line("a\r\nb\x00c\u2028") == "a\\x0d\\x0ab\\x00c\\x2028"
    assert safe_line(f"sender {SENDER} from 198.51.100.4") == "sender <id> from <ip>"
    assert len(safe_line("x" * 50_000)) <= 1001
