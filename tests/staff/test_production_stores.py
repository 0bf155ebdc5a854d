"""The production profile (config/production/endpoints.yml) against the real local PostgreSQL and Redis.

Both services run for every session and in CI, so nothing here is skipped: if one is unreachable the
tests fail with a message saying which. Every test works in its own PostgreSQL schema
(``POSTGRESQL_SCHEMA``, honoured by Rasa and by ``bot review``) and its own Redis keys, and removes
them afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.staff.trackers import PRODUCTION_ENV_DEFAULTS

PROD = PROJECT_ROOT / "config" / "production" / "endpoints.yml"


def _reachable(host: str, port: int, what: str) -> None:
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        pytest.fail(f"{what} auf {host}:{port} nicht erreichbar ({exc}). Die Tests des Produktionsprofils "
                    f"brauchen den lokalen Dienst (er läuft in jeder Sitzung und in CI).", pytrace=False)


@pytest.fixture
def prod_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Production variables (defaults for unset ones) and a fresh PostgreSQL schema for this test."""
    import psycopg2

    env = {k: os.environ.get(k, v) for k, v in PRODUCTION_ENV_DEFAULTS.items()}
    _reachable(env["DB_HOST"], int(env["DB_PORT"]), "PostgreSQL")
    _reachable(env["REDIS_HOST"], int(env["REDIS_PORT"]), "Redis")
    schema = f"staff_test_{uuid.uuid4().hex[:12]}"
    conn = psycopg2.connect(host=env["DB_HOST"], port=env["DB_PORT"], dbname=env["DB_NAME"], user=env["DB_USER"],
                            password=env["DB_PASSWORD"] or None, connect_timeout=5)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE SCHEMA "{schema}"')
    for key, value in {**env, "POSTGRESQL_SCHEMA": schema}.items():
        monkeypatch.setenv(key, value)
    try:
        yield {**env, "schema": schema}
    finally:
        with conn.cursor() as cur:
            cur.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


def _unwrap(store: Any) -> Any:
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


def _tracker_store() -> Any:
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import read_endpoint_config

    return TrackerStore.create(read_endpoint_config(str(PROD), "tracker_store"), Domain.load(str(PROJECT_ROOT / "domain")))


def _events(sender: str, text: str, ts: float) -> list[Any]:
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    return [
        ActionExecuted("action_listen", timestamp=ts),
        UserUttered(text, {"name": "nlu_fallback", "confidence": 0.45}, [],
                    {"intent_ranking": [{"name": "nlu_fallback", "confidence": 0.45},
                                        {"name": "ask_fees", "confidence": 0.28}]}, timestamp=ts + 1),
        ActionExecuted("action_fallback", timestamp=ts + 2),
        BotUttered("Das habe ich leider nicht verstanden.", timestamp=ts + 3),
        SlotSet("service_id", "personalausweis", timestamp=ts + 4),
        ActionExecuted("action_listen", timestamp=ts + 5),
    ]


def test_tracker_store_is_postgresql_and_round_trips(prod_env: dict[str, str]) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    store = _tracker_store()
    sql = _unwrap(store)
    assert isinstance(sql, SQLTrackerStore) and sql.engine.dialect.name == "postgresql"
    sender = f"prod-{uuid.uuid4().hex[:8]}"

    async def round_trip() -> DialogueStateTracker | None:
        tracker = DialogueStateTracker.from_events(sender, _events(sender, "Perso verloren", time.time()))
        await store.save(tracker)
        return await store.retrieve(sender)

    try:
        loaded = asyncio.run(round_trip())
        assert loaded is not None and loaded.get_slot("service_id") == "personalausweis"
        assert [e.as_dict()["event"] for e in loaded.events] == ["action", "user", "action", "bot", "slot", "action"]
        with sql.engine.connect() as conn:  # the rows are in this run's schema, not in public
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        assert schema == prod_env["schema"]
    finally:
        sql.engine.dispose()


def test_cached_store_on_postgresql_sees_what_another_replica_writes(prod_env: dict[str, str]) -> None:
    """Two Rasa replicas share the database: the cache of one must never hide the other's writes."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import SlotSet

    from bot.launcher.tracker_cache import CachedSQLTrackerStore

    store = _tracker_store()
    cached = _unwrap(store)
    assert isinstance(cached, CachedSQLTrackerStore)
    other = SQLTrackerStore(cached.domain, host=prod_env["DB_HOST"], port=prod_env["DB_PORT"], dialect="postgresql",
                            db=prod_env["DB_NAME"], username=prod_env["DB_USER"])
    sender = f"prod-{uuid.uuid4().hex[:8]}"
    from rasa.shared.core.trackers import DialogueStateTracker

    async def scenario() -> tuple[str | None, str | None, int]:
        await store.save(DialogueStateTracker.from_events(sender, _events(sender, "Hund anmelden", time.time())))
        mine = await store.retrieve(sender)  # from the cache
        mine.update(SlotSet("service_id", "hundesteuer"))
        await store.save(mine)
        theirs = await other.retrieve(sender)
        theirs.update(SlotSet("service_id", "reisepass"))
        await other.save(theirs)
        seen = await store.retrieve(sender)
        return mine.get_slot("service_id"), seen.get_slot("service_id"), len(seen.events)

    try:
        mine, seen, count = asyncio.run(scenario())
        assert (mine, seen, count) == ("hundesteuer", "reisepass", 8)
        assert cached.hits == 1 and cached.misses == 1
    finally:
        cached.engine.dispose()
        other.engine.dispose()


def test_redis_lock_store_serialises_a_conversation(prod_env: dict[str, str]) -> None:
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.utils.endpoints import read_endpoint_config

    lock_store = LockStore.create(read_endpoint_config(str(PROD), "lock_store"))
    assert isinstance(lock_store, RedisLockStore)
    conversation = f"prod-lock-{uuid.uuid4().hex[:8]}"
    key = lock_store.key_prefix + conversation
    order: list[str] = []

    async def hold(name: str, seconds: float) -> None:
        async with lock_store.lock(conversation, wait_time_in_seconds=0.05):
            order.append(f"{name}+")
            assert lock_store.red.exists(key)
            await asyncio.sleep(seconds)
            order.append(f"{name}-")

    async def both() -> None:
        first = asyncio.create_task(hold("a", 0.4))
        await asyncio.sleep(0.1)  # "a" holds the lock, "b" has to wait for it
        await asyncio.gather(first, hold("b", 0.0))

    try:
        asyncio.run(both())
        assert order == ["a+", "a-", "b+", "b-"]
        assert not lock_store.red.exists(key)  # released locks leave nothing behind
    finally:
        lock_store.red.delete(key)
        lock_store.red.close()


def test_bot_review_and_purge_on_postgresql(prod_env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    store = _tracker_store()
    now = time.time()
    seeded = {
        "prod-a": ("Mein Name ist Erika Mustermann, was kostet ein Anwohnerparkausweis? Tel 0711 123456", now - 3600),
        "prod-b": ("mein name ist max muster was kostet ein anwohnerparkausweis", now - 1800),
        "prod-old": ("Hundesteuer Mühlacker wie viel", now - 40 * 86400),
    }

    async def seed() -> None:
        for sender, (text, ts) in seeded.items():
            await store.save(DialogueStateTracker.from_events(sender, _events(sender, text, ts)))

    try:
        asyncio.run(seed())
    finally:
        _unwrap(store).engine.dispose()
    assert main(["review", "--endpoints", str(PROD), "--since", "60d", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    examples = {g["example"]: g for g in result["groups"]}
    assert result["messages"] == 3 and len(examples) == 2
    parking = examples["Mein Name ist [NAME], was kostet ein Anwohnerparkausweis? Tel [TELEFON]"]
    assert parking["count"] == 2 and parking["reasons"] == {"fallback": 2} and parking["intent_guess"] == "ask_fees"
    assert "Erika" not in json.dumps(result) and "max muster" not in json.dumps(result)

    assert main(["purge", "--endpoints", str(PROD), "--dry-run"]) == 0  # 30 days by default
    assert "aus 1 Gesprächen" in capsys.readouterr().out
    assert main(["purge", "--endpoints", str(PROD)]) == 0
    capsys.readouterr()
    assert main(["review", "--endpoints", str(PROD), "--since", "60d", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["messages"] == 2
