"""API keys (401), portal origins and CORS (403), rate limit (429), error shape, key file, demo key."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer
from api_helpers import KEY, LIMITED_KEY, OTHER_KEY, PORTAL_ORIGIN, error_of, sha

from bot.gateway import create_app
from bot.gateway.api import app as api_app
from bot.gateway.api.keys import ApiKeyConfigError, hash_key, parse_keys
from bot.gateway.api.keys import main as keys_main
from bot.gateway.api.ratelimit import RateLimiter

SECURED = [("GET", "/api/v1/places?q=Ulm"), ("GET", "/api/v1/services?q=Perso"),
           ("GET", "/api/v1/services/personalausweis"), ("GET", "/api/v1/services/personalausweis/office?place=Ulm"),
           ("POST", "/api/v1/conversations/c1/messages"), ("GET", "/api/v1/health"), ("GET", "/api/v1/version"),
           ("GET", "/api/v1/nope")]


@pytest.mark.parametrize("method,path", SECURED)
@pytest.mark.parametrize("key", [None, "", "wrong", KEY + " ", KEY.upper(), "k" * 300, "ä"])
async def test_missing_or_wrong_key_is_401(client, upstream, method, path, key):
    headers = {"Content-Type": "application/json"} | ({} if key is None else {"X-API-Key": key})
    data = json.dumps({"message": "Hallo"}) if method == "POST" else None
    resp = await client.request(method, path, headers=headers, data=data)
    err = await error_of(resp, 401)
    assert err["code"] == "unauthorized" and "X-API-Key" in err["message"]
    assert upstream.received == []


async def test_each_key_works(client):
    for key in (KEY, LIMITED_KEY, OTHER_KEY):
        assert (await client.get("/api/v1/places?q=Ulm", headers={"X-API-Key": key})).status == 200


async def test_public_documents_need_no_key(client):
    spec = await client.get("/api/v1/openapi.json")
    assert spec.status == 200 and (await spec.json())["openapi"].startswith("3.")
    docs = await client.get("/api/v1/docs")
    assert docs.status == 200 and docs.content_type == "text/html"
    css = await client.get("/api/v1/docs.css")
    assert css.status == 200 and css.content_type == "text/css"


async def test_unknown_path_and_method_in_error_shape(client, auth):
    assert (await error_of(await client.get("/api/v1/nope", headers=auth), 404))["code"] == "not_found"
    resp = await client.delete("/api/v1/places", headers=auth)
    assert (await error_of(resp, 405))["code"] == "method_not_allowed"
    assert "GET" in resp.headers["Allow"]


# -- CORS -----------------------------------------------------------------------------------------
async def test_portal_origin_gets_cors_headers(client, auth):
    resp = await client.get("/api/v1/places?q=Ulm", headers={**auth, "Origin": PORTAL_ORIGIN})
    assert resp.status == 200
    assert resp.headers["Access-Control-Allow-Origin"] == PORTAL_ORIGIN
    assert "Retry-After" in resp.headers["Access-Control-Expose-Headers"]
    assert resp.headers["Vary"] == "Origin, X-API-Key"


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "https://portal.example.de.evil.example"])
async def test_foreign_origin_refused(client, auth, origin):
    resp = await client.get("/api/v1/places?q=Ulm", headers={**auth, "Origin": origin})
    assert (await error_of(resp, 403))["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in resp.headers


async def test_key_without_origins_is_server_to_server_only(client):
    resp = await client.get("/api/v1/places?q=Ulm", headers={"X-API-Key": OTHER_KEY, "Origin": PORTAL_ORIGIN})
    assert resp.status == 403


async def test_401_readable_by_configured_origin(client):
    resp = await client.get("/api/v1/places?q=Ulm", headers={"Origin": PORTAL_ORIGIN})
    assert resp.status == 401 and resp.headers["Access-Control-Allow-Origin"] == PORTAL_ORIGIN
    resp = await client.get("/api/v1/places?q=Ulm", headers={"Origin": "https://evil.example"})
    assert resp.status == 401 and "Access-Control-Allow-Origin" not in resp.headers


async def test_preflight(client):
    resp = await client.options("/api/v1/conversations/c1/messages", headers={
        "Origin": PORTAL_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key"})
    assert resp.status == 204
    assert resp.headers["Access-Control-Allow-Origin"] == PORTAL_ORIGIN
    assert "X-API-Key" in resp.headers["Access-Control-Allow-Headers"]
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    resp = await client.options("/api/v1/places", headers={"Origin": "https://evil.example",
                                                           "Access-Control-Request-Method": "GET"})
    assert (await error_of(resp, 403))["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in resp.headers


async def test_widget_cors_untouched(client):
    resp = await client.get("/healthz")
    assert resp.status == 200 and "Access-Control-Allow-Origin" not in resp.headers


# -- rate limit -----------------------------------------------------------------------------------
async def test_rate_limit_per_key(client):
    limited = {"X-API-Key": LIMITED_KEY}
    for _ in range(3):
        assert (await client.get("/api/v1/places?q=Ulm", headers=limited)).status == 200
    resp = await client.get("/api/v1/places?q=Ulm", headers=limited)
    err = await error_of(resp, 429)
    assert err["code"] == "rate_limited"
    assert int(resp.headers["Retry-After"]) >= 1
    # Other portals are not affected.
    assert (await client.get("/api/v1/places?q=Ulm", headers={"X-API-Key": KEY})).status == 200


async def test_token_bucket_refills():
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert [await limiter.check("a", 60) for _ in range(60)] == [0] * 60
    assert await limiter.check("a", 60) == 1
    now[0] += 1.0
    assert await limiter.check("a", 60) == 0 and await limiter.check("a", 60) == 1
    assert await limiter.check("b", 60) == 0
    slow = RateLimiter(clock=lambda: now[0])
    assert await slow.check("s", 2) == 0 and await slow.check("s", 2) == 0
    assert await slow.check("s", 2) == 30


# -- key file -------------------------------------------------------------------------------------
def portal(**overrides):
    return {"portals": [{"id": "p1", "sha256": "a" * 64, "origins": ["https://x.de"], "rate_limit": 60, **overrides}]}


@pytest.mark.parametrize("overrides,fragment", [
    ({"sha256": "geheimer-schluessel"}, "SHA-256"),
    ({"sha256": None}, "SHA-256"),
    ({"id": "Bad Id"}, "Portal-ID"),
    ({"origins": ["x.de"]}, "Origin"),
    ({"origins": "https://x.de"}, "Liste"),
    ({"rate_limit": 0}, "rate_limit"),
    ({"rate_limit": "60"}, "rate_limit"),
])
def test_invalid_key_file(overrides, fragment):
    with pytest.raises(ApiKeyConfigError, match=fragment):
        parse_keys(portal(**overrides))


def test_duplicate_ids_and_hashes_refused():
    data = portal()
    data["portals"].append({**data["portals"][0]})
    with pytest.raises(ApiKeyConfigError, match="doppelte"):
        parse_keys(data)
    data["portals"][1]["id"] = "p2"
    with pytest.raises(ApiKeyConfigError, match="doppelt"):
        parse_keys(data)
    with pytest.raises(ApiKeyConfigError, match="portals"):
        parse_keys({"keys": []})


def test_example_key_file_is_valid():
    example = Path(__file__).resolve().parents[2] / "config" / "api_keys.example.yml"
    registry = parse_keys(yaml.safe_load(example.read_text(encoding="utf-8")))
    assert len(registry) >= 1 and all(p.rate_limit >= 1 for p in registry.portals)


async def test_bad_key_file_fails_startup(tmp_path, settings):
    bad = tmp_path / "bad.yml"
    bad.write_text("portals: [{id: x, sha256: klartext}]", encoding="utf-8")
    settings.api_keys_path = bad
    server = TestServer(create_app(settings))
    with pytest.raises(ApiKeyConfigError):
        await server.start_server()
    await server.close()


async def test_demo_key_printed_once_and_only_hashed(tmp_path, settings, capsys):
    settings.api_keys_path = tmp_path / "missing.yml"
    settings.demo_api_key = True
    app = create_app(settings)
    server = TestServer(app)
    await server.start_server()
    try:
        out = capsys.readouterr().out
        key = out.strip().rsplit(" ", 1)[-1]
        assert key.startswith("bwk_") and out.count(key) == 1
        registry = app[api_app.KEYS_KEY]
        assert registry.authenticate(key) is not None
        assert key not in repr(vars(registry)) and hash_key(key) in repr(vars(registry))
    finally:
        await server.close()
    assert not (tmp_path / "missing.yml").exists()


async def test_without_key_file_everything_is_401(tmp_path, settings):
    settings.api_keys_path = tmp_path / "missing.yml"
    async with TestClient(TestServer(create_app(settings))) as client:
        assert (await client.get("/api/v1/version", headers={"X-API-Key": KEY})).status == 401


def test_new_key_command(capsys):
    assert keys_main(["new-key", "mein-portal"]) == 0
    out = capsys.readouterr().out
    key = out.splitlines()[1].removeprefix("# ")
    assert hashlib.sha256(key.encode()).hexdigest() in out and sha(key) in out
    assert parse_keys(yaml.safe_load("portals:\n" + "\n".join(out.splitlines()[2:]))).authenticate(key)
    assert keys_main(["new-key", "Bad Id"]) == 2


# -- data unavailable -----------------------------------------------------------------------------
async def test_data_unavailable_is_503(settings, monkeypatch):
    def broken():
        raise RuntimeError("no data")

    monkeypatch.setattr(api_app, "load_core", broken)
    auth = {"X-API-Key": KEY}
    async with TestClient(TestServer(create_app(settings))) as client:
        for path in ("/api/v1/places?q=Ulm", "/api/v1/services?q=Perso", "/api/v1/services/personalausweis",
                     "/api/v1/services/x/office?place=Ulm"):
            assert (await error_of(await client.get(path, headers=auth), 503))["code"] == "data_unavailable"
        resp = await client.post("/api/v1/conversations/c1/messages", json={"message": "Hallo", "place": "Ulm"},
                                 headers=auth)
        assert (await error_of(resp, 503))["code"] == "data_unavailable"
        assert (await (await client.get("/api/v1/version", headers=auth)).json())["data_stand"] == {
            "services": None, "responsibility": None}
        health = await client.get("/api/v1/health", headers=auth)
        assert health.status == 503 and (await health.json())["checks"]["data"] == {"status": "unavailable"}
