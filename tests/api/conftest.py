"""API tests run the real gateway app (real domain core) against a FAKE Rasa / action server."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from api_helpers import KEY, RASA_JWT_SECRET, FakeUpstream, write_keys, write_tenants

from bot.gateway import Settings, create_app
from bot.gateway.detect import Detector
from bot.gateway.logs import PrivacyAccessLogger


@pytest.fixture
def upstream() -> FakeUpstream:
    return FakeUpstream()


@pytest.fixture
async def upstream_server(upstream: FakeUpstream):
    server = TestServer(upstream.app(), host="127.0.0.1")
    await server.start_server(access_log=None)
    yield server
    await server.close()


@pytest.fixture
def settings(tmp_path: Path, upstream_server: TestServer, core) -> Settings:
    base = str(upstream_server.make_url("")).rstrip("/")
    return Settings(
        rasa_url=base,
        tenants_path=write_tenants(tmp_path / "tenants.yml"),
        register=core.register,
        rasa_timeout=1.0,
        api_keys_path=write_keys(tmp_path / "api_keys.yml"),
        rasa_jwt_secret=RASA_JWT_SECRET,
        actions_health_url=base + "/health",
        language_detector=Detector(None),  # the script rule only (the model is in the gateway's environment)
    )


@pytest.fixture
async def client(settings: Settings):
    server = TestServer(create_app(settings))
    await server.start_server(access_log_class=PrivacyAccessLogger)
    async with TestClient(server) as test_client:
        yield test_client


@pytest.fixture
def auth() -> dict[str, str]:
    return {"X-API-Key": KEY}
