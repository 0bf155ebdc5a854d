"""GET /api/v1/health and /api/v1/version against a FAKE Rasa (``/status``) and action server."""

from __future__ import annotations

from api_helpers import MODEL_ID, FakeUpstream

import bot


async def test_health_ok(client, auth, upstream: FakeUpstream):
    resp = await client.get("/api/v1/health", headers=auth)
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "no-store"
    assert await resp.json() == {"status": "ok", "checks": {
        "rasa": {"status": "ok", "model_id": MODEL_ID}, "actions": {"status": "ok"}, "data": {"status": "ok"}}}
    assert sorted(upstream.requests) == ["GET /health", "GET /status"]


async def test_health_503_with_details(client, auth, upstream: FakeUpstream):
    upstream.actions_up = False
    resp = await client.get("/api/v1/health", headers=auth)
    assert resp.status == 503
    data = await resp.json()
    assert data["status"] == "unavailable"
    assert data["checks"]["actions"] == {"status": "unavailable"} and data["checks"]["rasa"]["status"] == "ok"
    assert data["error"] == {"code": "unhealthy", "message": "Nicht verfügbar: actions."}
    upstream.rasa_up = False
    data = await (await client.get("/api/v1/health", headers=auth)).json()
    assert data["checks"]["rasa"] == {"status": "unavailable", "model_id": None}


async def test_health_when_upstream_unreachable(client, auth, upstream_server):
    await upstream_server.close()
    resp = await client.get("/api/v1/health", headers=auth)
    assert resp.status == 503
    checks = (await resp.json())["checks"]
    assert checks["rasa"]["status"] == checks["actions"]["status"] == "unavailable"
    assert checks["data"]["status"] == "ok"


async def test_version(client, auth):
    resp = await client.get("/api/v1/version", headers=auth)
    assert resp.status == 200
    assert await resp.json() == {
        "version": bot.__version__, "api_version": "v1", "model_id": MODEL_ID,
        "model_file": "20261121-053536-shabby-borzoi.tar.gz",  # the file name only, no server paths
        "data_stand": {"services": "2026-12-01", "responsibility": "2026-12-01"},
    }


async def test_version_without_rasa(client, auth, upstream: FakeUpstream):
    upstream.rasa_up = False
    data = await (await client.get("/api/v1/version", headers=auth)).json()
    assert data["model_id"] is None and data["model_file"] is None and data["data_stand"]["services"]


async def test_without_token_only_reachability(client, auth, upstream: FakeUpstream):
    from bot.gateway.api.state import UPSTREAM_KEY

    client.server.app[UPSTREAM_KEY].secret = None
    data = await (await client.get("/api/v1/health", headers=auth)).json()
    assert data["checks"]["rasa"] == {"status": "ok", "model_id": None}
    assert "GET /" in upstream.requests and "GET /status" not in upstream.requests


async def test_token_never_leaks(client, auth, caplog):
    for path in ("/api/v1/health", "/api/v1/version"):
        body = await (await client.get(path, headers=auth)).text()
        assert "fake-rasa-jwt-secret" not in body and "/health" not in body and "127.0.0.1" not in body
    assert "fake-rasa-jwt-secret" not in caplog.text


async def test_rasa_token_only_in_the_authorization_header(client, auth, upstream: FakeUpstream):
    """The fake Rasa refuses ``?token=`` and accepts only a valid JWT: a served model id proves it."""
    data = await (await client.get("/api/v1/version", headers=auth)).json()
    assert data["model_id"] == MODEL_ID
