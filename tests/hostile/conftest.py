"""Hostile-input tests: the real gateway app (in this process) against a fake Rasa with memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hostile_helpers import FakeRegister, MemoryRasa, write_config

from bot.gateway import Settings, create_app
from bot.gateway.logs import PrivacyAccessLogger


@pytest.fixture
def rasa() -> MemoryRasa:
    return MemoryRasa()


@pytest.fixture
async def rasa_server(rasa: MemoryRasa):
    server = TestServer(rasa.app(), host="127.0.0.1")
    await server.start_server(access_log=None)
    yield server
    await server.close()


@pytest.fixture
def settings(tmp_path: Path, rasa_server: TestServer) -> Settings:
    tenants, keys = write_config(tmp_path)
    return Settings(rasa_url=str(rasa_server.make_url("")).rstrip("/"), tenants_path=tenants,
                    register=FakeRegister(), rasa_timeout=3.0, api_keys_path=keys)


@pytest.fixture
async def client(settings: Settings):
    # As `python -m bot.gateway` serves it: the privacy access logger.
    server = TestServer(create_app(settings), host="127.0.0.1")
    await server.start_server(access_log_class=PrivacyAccessLogger)
    async with TestClient(server) as test_client:
        yield test_client
