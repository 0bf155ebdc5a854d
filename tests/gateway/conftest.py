"""Gateway tests run the real app against a FAKE Rasa upstream (a tiny aiohttp app)."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from gateway_helpers import FakeRasa, FakeRegister, write_tenants

from bot.gateway import Settings, create_app
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
    )


@pytest.fixture
async def client(settings: Settings):
    # Same access logger as `python -m bot.gateway` (no IPs, no query strings).
    server = TestServer(create_app(settings))
    await server.start_server(access_log_class=PrivacyAccessLogger)
    async with TestClient(server) as test_client:
        yield test_client


