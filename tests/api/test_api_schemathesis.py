"""Schemathesis against the running API: no 5xx, every status code and body as the OpenAPI document says.

The gateway (real domain core, fake Rasa) listens on a free loopback port; schemathesis loads
``/api/v1/openapi.json`` from it and sends valid and invalid requests to every operation, with
the settings of ``schemathesis.toml`` beside this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from api_helpers import KEY, RASA_JWT_SECRET, write_keys, write_tenants
from live_server import LiveServer
from schemathesis.config import SchemathesisConfig

from bot.gateway import Settings
from bot.gateway.api.ratelimit import CLIENT_LIMITS_KEY, ClientLimits

CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory, core) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("api-live")

    def make_settings(upstream: str) -> Settings:
        return Settings(rasa_url=upstream, tenants_path=write_tenants(workdir / "tenants.yml"),
                        register=core.register, rasa_timeout=5.0,
                        api_keys_path=write_keys(workdir / "api_keys.yml"),
                        rasa_jwt_secret=RASA_JWT_SECRET, actions_health_url=upstream + "/health")

    def configure(app) -> None:
        # Schemathesis sends hundreds of keyless requests from one address within a minute; the
        # limit on wrong keys (429 after bad_keys_per_minute) is tested in tests/hostile.
        app[CLIENT_LIMITS_KEY] = ClientLimits(bad_keys_per_minute=100_000)

    server = LiveServer(make_settings, configure)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def api_schema(live_api: LiveServer):
    config = SchemathesisConfig.from_path(CONFIG)
    config.projects.default.update(headers={"X-API-Key": KEY})
    return schemathesis.openapi.from_url(f"{live_api.base_url}/api/v1/openapi.json", config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_conforms_to_openapi(case) -> None:
    case.call_and_validate()
