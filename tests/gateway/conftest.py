"""Gateway tests run the real app against a FAKE Rasa upstream (a tiny aiohttp app)."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from gateway_helpers import FakeLanguageModel, FakeRasa, FakeRegister, write_tenants

from bot.gateway import Settings, create_app
from bot.gateway.detect import Detector
from bot.gateway.logs import PrivacyAccessLogger


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
async def rasa_server(fake_rasa: FakeRasa):
    server = TestServer(fake_rasa.app(), host="127.0.0.1")
    await server.start_server(access_log=None)
    yield server
    await server.close()


@pytest.fixture
def settings(tmp_path: Path, rasa_server: TestServer) -> Settings:
    return Settings(
        rasa_url=str(rasa_server.make_url("")).rstrip("/"),
        tenants_path=write_tenants(tmp_path / "tenants.yml"),
        register=FakeRegister(),
        rasa_timeout=2.0,
        language_detector=Detector(FakeLanguageModel),
    )


@pytest.fixture
async def client(settings: Settings):
    # Same access logger as `python -m bot.gateway` (no IPs, no query strings).
    server = TestServer(create_app(settings))
    await server.start_server(access_log_class=PrivacyAccessLogger)
    async with TestClient(server) as test_client:
        yield test_client


@pytest.fixture
def prefix(request: pytest.FixtureRequest):
    """A Redis key prefix of this test alone (the real local Redis, db of the test module's REDIS_URL);
    its keys are deleted afterwards."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError as exc:
        pytest.fail(f"Redis auf 127.0.0.1:6379 nicht erreichbar ({exc}); er läuft in jeder Sitzung und in CI.")
    value = f"test-{uuid.uuid4().hex}:"
    yield value
    import redis

    client = redis.Redis.from_url(request.module.REDIS_URL)
    for key in client.scan_iter(f"{value}*"):
        client.delete(key)
    client.close()
