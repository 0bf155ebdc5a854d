"""Findings 2 and 8: compressed, mis-declared and absurd bodies get a clear 4xx, never a 500."""

from __future__ import annotations

import gzip
import json

import pytest
from hostile_helpers import API_KEY, DEMO_ORIGIN, SENDER, error_shape, raw_http, rss_mb

CHAT = {"sender_id": SENDER, "message": "Ich möchte meinen Hund anmelden", "ags": "08119020"}


def request(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode("latin-1") + b"\r\n" + body


async def test_gzip_bombs_do_not_hold_memory(client, capsys):
    """30 x 48.6 kB of gzip (50 MB of zeros each): refused, and the gateway's RSS stays flat."""
    bomb = gzip.compress(b"0" * 50_000_000, 9)
    assert len(bomb) < 60_000
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip", "Origin": DEMO_ORIGIN}
    before = rss_mb()
    statuses = []
    for path in ["/chat/messages", "/api/v1/places", "/healthz"] * 10:
        status, _, body = await raw_http(client.port, request(path, bomb, headers))
        statuses.append(status)
        assert 400 <= status < 500 and error_shape(body), (path, status, body[:200])
    after = rss_mb()
    with capsys.disabled():
        print(f"\ngzip bombs: 30 requests, statuses {sorted(set(statuses))}, RSS {before:.0f} -> {after:.0f} MB")
    assert after - before < 40, (before, after)
    resp = await client.post("/chat/messages", json=CHAT, headers={"Origin": DEMO_ORIGIN})
    assert resp.status == 200


@pytest.mark.parametrize("path,extra", [("/chat/messages", {"Origin": DEMO_ORIGIN}),
                                        ("/api/v1/conversations/c1/messages", {"X-API-Key": API_KEY})],
                         ids=["chat", "api"])
@pytest.mark.parametrize("content_type,encoding,body,status,code", [
    ("application/json; charset=bogus", None, json.dumps(CHAT).encode(), 415, "unsupported_charset"),
    ("application/json; charset=latin-1", None, json.dumps(CHAT).encode(), 415, "unsupported_charset"),
    ("application/json; charset=UTF-8", None, b"[" * 10_000, (400, 413), ("invalid_json", "too_large")),
    ("application/json", None, b"[" * 8_000, 400, "invalid_json"),
    ("application/json", None, b'{"a":' * 1000 + b"1" + b"}" * 1000, 400, "invalid_json"),
    ("application/json", "gzip", json.dumps(CHAT).encode(), 415, "unsupported_encoding"),
    ("application/json", "br", json.dumps(CHAT).encode(), 415, "unsupported_encoding"),
    ("application/json", "gzip", gzip.compress(json.dumps(CHAT).encode()), 415, "unsupported_encoding"),
    ("application/json", None, b"\xed\xa0\x80", 400, "invalid_json"),  # CESU surrogate bytes
], ids=["bogus-charset", "latin1", "nested-10k", "nested-8k", "nested-objects", "gzip-plain", "br",
        "gzip-real", "cesu"])
async def test_bad_bodies(client, path, extra, content_type, encoding, body, status, code):
    headers = {"Content-Type": content_type, **extra}
    if encoding:
        headers["Content-Encoding"] = encoding
    resp = await client.post(path, data=body, headers=headers)
    statuses, codes = (status, code) if isinstance(status, tuple) else ((status,), (code,))
    assert resp.status in statuses, await resp.text()
    assert (error_shape(await resp.read()) or {}).get("code") in codes


async def test_feedback_value_list_and_surrogate_place(client):
    resp = await client.post("/chat/feedback", headers={"Origin": DEMO_ORIGIN}, json={
        "sender_id": SENDER, "message_id": "m-0123456789abcdef", "value": ["up"], "ags": "08119020"})
    assert resp.status == 400 and error_shape(await resp.read())
    raw = '{"message": "Hund anmelden", "place": "\\ud800"}'
    resp = await client.post("/api/v1/conversations/c1/messages", data=raw,
                             headers={"Content-Type": "application/json", "X-API-Key": API_KEY})
    assert resp.status == 400 and (error_shape(await resp.read()) or {}).get("code") == "empty_place"


@pytest.mark.parametrize("field,value", [("ags", "08119020\n"), ("sender_id", SENDER + "\n"),
                                         ("ags", "08١١٩٠٢٠")])
async def test_trailing_newline_and_unicode_digits_fail_id_checks(client, field, value):
    resp = await client.post("/chat/messages", json={**CHAT, field: value}, headers={"Origin": DEMO_ORIGIN})
    assert resp.status == 400 and error_shape(await resp.read())


async def test_lone_surrogate_in_message_is_cleaned(client, rasa):
    raw = f'{{"sender_id": "{SENDER}", "ags": "08119020", "message": "Hund\\ud800 anmelden"}}'
    resp = await client.post("/chat/messages", data=raw,
                             headers={"Content-Type": "application/json", "Origin": DEMO_ORIGIN})
    assert resp.status == 200
    assert rasa.received[-1]["message"] == "Hund anmelden"
    resp = await client.post("/chat/messages", data=raw.replace("Hund\\ud800 anmelden", "\\udfff"),
                             headers={"Content-Type": "application/json", "Origin": DEMO_ORIGIN})
    assert resp.status == 400 and (error_shape(await resp.read()) or {}).get("code") == "empty_message"
