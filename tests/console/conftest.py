"""Console tests run the real gateway app (fake register, two tenants) on a seeded SQLite tracker store."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gateway"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from console_helpers import PASSWORD, seed_with_rasa, write_tenants  # noqa: E402
from gateway_helpers import FakeRegister  # noqa: E402

from bot.console.accounts import AccountStore  # noqa: E402


@pytest.fixture(scope="session")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("console_store") / "tracker.db"
    asyncio.run(seed_with_rasa(dialect="sqlite", db=str(db)))
    return db


@pytest.fixture
def console_env(tmp_path: Path, store_db: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    paths = {"users": tmp_path / "staff_users.yml", "state": tmp_path / "state",
             "drafts": tmp_path / "drafts" / "review.yml", "tenants": write_tenants(tmp_path / "tenants.yml")}
    monkeypatch.setenv("BOT_STAFF_USERS", str(paths["users"]))
    monkeypatch.setenv("BOT_STAFF_STATE", str(paths["state"]))
    monkeypatch.setenv("BOT_STAFF_DRAFTS", str(paths["drafts"]))
    monkeypatch.setenv("BOT_TRACKER_STORE", f"sqlite:///{store_db}")
    monkeypatch.setenv("BOT_STAFF_INSECURE_COOKIE", "1")  # the test client speaks plain http
    users = AccountStore(paths["users"])
    users.add("anna", "redaktion", "fellbach", PASSWORD)
    users.add("uli", "redaktion", "ulm", PASSWORD)
    users.add("lena", "landesredaktion", None, PASSWORD)
    return paths


@pytest.fixture
async def client(console_env: dict[str, Path]):
    from bot.gateway import Settings, create_app

    settings = Settings(rasa_url="http://127.0.0.1:9", tenants_path=console_env["tenants"], register=FakeRegister())
    server = TestServer(create_app(settings))
    async with TestClient(server) as test_client:
        yield test_client
