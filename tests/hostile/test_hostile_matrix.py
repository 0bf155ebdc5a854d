"""Generated hostile inputs (paths x methods x bodies x headers x encodings) against the real app.

Every answer: no 5xx, the JSON error shape on every 4xx, security headers, a German answer on
every 200 from the chat; afterwards the gateway's RSS is bounded and a normal citizen message
is answered. Plus raw-protocol cases (broken request lines and headers) that aiohttp's parser
rejects before the app runs: those must be a 4xx too. A summary is printed.
"""

from __future__ import annotations

import gzip
import itertools
import json
from collections import Counter
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hostile_helpers import API_KEY, DEMO_ORIGIN, SENDER, FakeRegister, error_shape, raw_http, rss_mb, write_config

from bot.gateway import Settings, create_app
from bot.gateway.api.ratelimit import CLIENT_LIMITS_KEY, ClientLimits
from bot.gateway.logs import PrivacyAccessLogger
from bot.gateway.static import SECURITY_HEADERS

CHAT, FEEDBACK, API = "/chat/messages", "/chat/feedback", "/api/v1/conversations/c-1/messages"
BODY_PATHS = [CHAT, FEEDBACK, API]
OTHER_PATHS = [
    "/api/v1/places?q=Ulm", "/api/v1/services?q=Hund&place=Ulm&limit=1%0A", "/api/v1/services/personalausweis%0A",
    "/api/v1/services/personalausweis/office?place=%ED%A0%80", "/healthz", "/demo/?ags=08119020%0A&title=%3Cscript%3E",
    "/widget.js", "/nirgends", "/chat/%0d%0aSet-Cookie:x=1", "/api/v1/conversations/%F0%9F%98%80/messages",
    "/api/v1/conversations/" + "a" * 65 + "/messages", "/chat//messages", "/chat/messages/", "/api/v1/openapi.json",
    "/api/v1/places?q=" + "%C3%B6" * 300, "/../../etc/passwd",
]
METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD"]


def j(obj: object) -> bytes:
    return json.dumps(obj).encode()


def chat(**fields: object) -> bytes:
    return j({"sender_id": SENDER, "ags": "08119020", "message": "Hund anmelden", **fields})


def raw_chat(message_json: str) -> bytes:  # for escapes json.dumps would not produce (lone surrogates)
    return (f'{{"sender_id": "{SENDER}", "ags": "08119020", "message": {message_json}}}').encode()


BOMB = gzip.compress(b"0" * 50_000_000, 9)
BODIES: dict[str, bytes] = {
    "chat": chat(), "feedback": j({"sender_id": SENDER, "ags": "08119020", "message_id": "m-0123456789abcdef",
                                   "value": "up"}),
    "api": j({"message": "Ich brauche einen Personalausweis", "place": "70734"}),
    "umlauts-1000": chat(message="ö" * 1000), "umlauts-1001": chat(message="ö" * 1001),
    "restart": chat(message="/restart"), "slash-space-restart": chat(message="/ /restart"),
    "intent-entities": chat(message='/ask_documents{"service":"personalausweis"}'),
    "payload-restart": j({"sender_id": SENDER, "ags": "08119020", "payload": "/restart"}),
    "payload-newline": j({"sender_id": SENDER, "ags": "08119020", "payload": "/affirm\n"}),
    "feedback-list": j({"sender_id": SENDER, "ags": "08119020", "message_id": "m-1", "value": ["up"]}),
    "feedback-dict-id": j({"sender_id": SENDER, "ags": "08119020", "message_id": {"a": 1}, "value": "up"}),
    "surrogate": raw_chat('"\\ud800"'), "surrogates-text": raw_chat('"Hund \\udfff\\ud800 anmelden"'),
    "bidi-nul-crlf": chat(message="\u202eHund\x00\r\nanmelden\ufeff"), "emoji": chat(message="🐕 anmelden 👍🏽"),
    "place-surrogate": b'{"message": "Hund", "place": "\\ud800"}', "place-long": j({"message": "x", "place": "p" * 201}),
    "place-list": j({"message": "x", "place": ["Ulm"]}),
    "sender-newline": chat(sender_id=SENDER + "\n"), "sender-upper": chat(sender_id=SENDER.upper()),
    "sender-huge": chat(sender_id="a" * 10_000), "ags-newline": chat(ags="08119020\n"),
    "ags-arabic-digits": chat(ags="08١١٩٠٢٠"), "ags-int": chat(ags=8119020),
    "nested-arrays": b"[" * 10_000, "nested-objects": b'{"a":' * 2000 + b"1" + b"}" * 2000,
    "nested-in-string": chat(message="[" * 900), "empty": b"", "null": b"null", "list": b"[]",
    "string": b'"text"', "huge-number": b"1e999999", "nan": b'{"message": NaN}', "bom": "\ufeff".encode() + chat(),
    "latin1-bytes": b"\xff\xfe", "cesu": b'{"message": "\xed\xa0\x80"}', "huge": chat(message="x" * 40_000),
    "dup-keys": b'{"message": "a", "message": "/restart", "sender_id": "%s", "ags": "08119020"}' % SENDER.encode(),
    "gzip-valid": gzip.compress(chat()), "gzip-bomb": BOMB,
}
HEADER_VARIANTS: dict[str, dict[str, str]] = {
    "json": {"Content-Type": "application/json"},
    "charset-bogus": {"Content-Type": "application/json; charset=bogus"},
    "charset-utf16": {"Content-Type": "application/json; charset=utf-16"},
    "text-plain": {"Content-Type": "text/plain"},
    "no-type": {},
    "gzip": {"Content-Type": "application/json", "Content-Encoding": "gzip"},
    "br-identity": {"Content-Type": "application/json", "Content-Encoding": "br, identity"},
    "foreign-origin": {"Content-Type": "application/json", "Origin": "https://evil.example", "X-API-Key": "falsch"},
}
RAW_CASES: dict[str, bytes] = {
    "bad-request-line": b"GET\x00/ HTTP/1.1\r\n\r\n", "bad-method": b"G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
    "bad-version": b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", "bad-header": b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
    "huge-header": b"GET / HTTP/1.1\r\nX-A: " + b"a" * 20_000 + b"\r\n\r\n",
    "huge-url": b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\n\r\n",
    "crlf-path": b"GET /chat/\rSet-Cookie: x HTTP/1.1\r\n\r\n",
    "bad-length": b"POST /chat/messages HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    "two-lengths": b"POST /chat/messages HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "bad-chunk": b"POST /chat/messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "chunked-and-length": b"POST /chat/messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
    "utf8-in-header": "GET / HTTP/1.1\r\nX-Name: Müller\r\n\r\n".encode(),
}


def cases() -> list[tuple[str, str, str, bytes, dict[str, str]]]:
    out = []
    for path, (bname, body), (hname, headers) in itertools.product(BODY_PATHS, BODIES.items(), HEADER_VARIANTS.items()):
        if "bomb" in bname and hname not in ("gzip", "json"):
            continue  # a few bombs suffice; they are tested 30 times in test_hostile_bodies
        base = {"Origin": DEMO_ORIGIN} if path.startswith("/chat/") else {"X-API-Key": API_KEY}
        out.append((f"POST {path} {bname} {hname}", "POST", path, body, {**base, **headers}))
    for path, method, auth in itertools.product(BODY_PATHS + OTHER_PATHS, METHODS, ("auth", "none")):
        headers = {"Origin": DEMO_ORIGIN, "X-API-Key": API_KEY} if auth == "auth" else {}
        if method == "OPTIONS":
            headers["Access-Control-Request-Method"] = "POST"
        out.append((f"{method} {path} {auth}", method, path, BODIES["chat"], {"Content-Type": "application/json",
                                                                            **headers}))
    return out


@pytest.fixture
async def matrix_client(tmp_path: Path, rasa_server):
    tenants, keys = write_config(tmp_path)
    settings = Settings(rasa_url=str(rasa_server.make_url("")).rstrip("/"), tenants_path=tenants,
                        register=FakeRegister(), rasa_timeout=3.0, api_keys_path=keys)
    app = create_app(settings)
    # The matrix sends ~1000 requests from one address: limits are tested in test_hostile_ratelimit.
    app[CLIENT_LIMITS_KEY] = ClientLimits(chat_per_minute=1_000_000, bad_keys_per_minute=1_000_000)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server(access_log_class=PrivacyAccessLogger)
    async with TestClient(server) as test_client:
        yield test_client


async def test_hostile_matrix(matrix_client, rasa, capsys):
    client = matrix_client
    generated = cases()
    assert len(generated) >= 600
    statuses: Counter[int] = Counter()
    warm = await client.post(CHAT, data=chat(), headers={"Origin": DEMO_ORIGIN, "Content-Type": "application/json"})
    assert warm.status == 200
    before = rss_mb()
    for name, method, path, body, headers in generated:
        resp = await client.request(method, path, data=body, headers=headers, allow_redirects=False,
                                    skip_auto_headers=("Content-Type",))
        data = await resp.read()
        statuses[resp.status] += 1
        assert resp.status < 500, (name, resp.status, data[:300])
        for header in (*SECURITY_HEADERS, "Content-Security-Policy"):
            assert header in resp.headers, (name, header)
        assert "aiohttp" not in resp.headers.get("Server", ""), name
        if resp.status >= 400 and method != "HEAD":
            assert error_shape(data), (name, resp.status, data[:300])
        if resp.status == 200 and path == CHAT:
            texts = [m["text"] for m in json.loads(data)["messages"]]
            assert texts and "Zuständig ist die" in texts[0], (name, texts)
    after = rss_mb()
    raw_statuses: Counter[int] = Counter()
    for name, data in RAW_CASES.items():
        status, _, body = await raw_http(client.port, data)
        raw_statuses[status] += 1
        if name == "utf8-in-header":  # legal obs-text: served normally (a redirect to /demo/)
            assert status == 302, status
        else:  # refused by the HTTP parser (0: it closed the connection without an answer)
            assert 400 <= status < 500 or status == 0, (name, status, body[:200])
        assert b"Traceback" not in body
    normal = await client.post(CHAT, json={"sender_id": "0b5bfb0e-1e1e-4c1a-9d5b-7d9f8a6e5c4d",
                                           "ags": "08119020", "message": "Ich möchte meinen Hund anmelden"},
                               headers={"Origin": DEMO_ORIGIN})
    assert normal.status == 200
    assert "Zuständig ist die Stadt Fellbach" in (await normal.json())["messages"][0]["text"]
    with capsys.disabled():  # the summary shows in the normal (captured, -q) test output
        print(f"\nhostile matrix: {len(generated)} generated cases, statuses {dict(sorted(statuses.items()))}; "
              f"{len(RAW_CASES)} raw-protocol cases, statuses {dict(sorted(raw_statuses.items()))}; "
              f"RSS {before:.0f} -> {after:.0f} MB; normal message afterwards: {normal.status}")
    assert after - before < 60, (before, after)
