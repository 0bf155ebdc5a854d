"""Finding 10: security headers on every response (also errors, redirects, preflights), no versions."""

from __future__ import annotations

import pytest
from hostile_helpers import API_KEY, DEMO_ORIGIN, error_shape, raw_http

from bot.gateway.static import SECURITY_HEADERS

CASES = [
    ("GET", "/demo/", {}), ("GET", "/", {}), ("GET", "/widget.js", {}), ("GET", "/healthz", {}),
    ("GET", "/nirgends", {}), ("DELETE", "/chat/messages", {"Origin": DEMO_ORIGIN}),
    ("POST", "/chat/messages", {"Origin": "https://evil.example"}),
    ("OPTIONS", "/chat/messages", {"Origin": DEMO_ORIGIN, "Access-Control-Request-Method": "POST"}),
    ("GET", "/api/v1/places", {}), ("GET", "/api/v1/places?q=Ulm", {"X-API-Key": API_KEY}),
    ("GET", "/api/v1/docs", {}), ("GET", "/api/v1/openapi.json", {}),
]


@pytest.mark.parametrize("method,path,headers", CASES)
async def test_security_headers_everywhere(client, method, path, headers):
    resp = await client.request(method, path, headers=headers, allow_redirects=False)
    assert resp.status < 500
    for name in (*SECURITY_HEADERS, "Content-Security-Policy"):
        assert resp.headers.get(name), (name, method, path, resp.status)
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    server = resp.headers.get("Server", "")
    assert "aiohttp" not in server and "Python" not in server
    if resp.status >= 400:
        assert error_shape(await resp.read()), (method, path)


async def test_crlf_in_path_does_not_split_the_response(client):
    status, headers, body = await raw_http(
        client.port, b"GET /chat/%0D%0ASet-Cookie:%20x=1%0A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status == 404 and "set-cookie" not in headers and error_shape(body)
