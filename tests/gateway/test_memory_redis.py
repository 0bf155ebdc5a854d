"""The conversation memory shared through the real local Redis (two instances = two gateway
processes), its fail-safe behaviour when Redis is down, and two gateway apps sharing one Redis."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from gateway_helpers import SENDER, FakeRasa, FakeRegister, post_chat, write_tenants

from bot.gateway import Settings, create_app
from bot.gateway.input_policy import NOT_CURRENT
from bot.gateway.memory import (
    MEMORY_KEY,
    TTL_SECONDS,
    InMemoryConversationMemory,
    RedisConversationMemory,
)

#: Its own db (rate-limit tests use db 2, Rasa's lock store db 1) and a unique prefix per test.
REDIS_URL = "redis://127.0.0.1:6379/3"
DOWN_URL = "redis://127.0.0.1:1/0"
CONVERSATION = "demo:08119020:" + SENDER


def answer(*payloads: str, text: str = "Noch etwas?") -> list[dict]:
    buttons = [{"title": p.strip("/"), "payload": p} for p in payloads]
    return [{"id": f"m-{uuid.uuid4().hex[:16]}", "text": text, "buttons": buttons, "custom": None}]




def stored(prefix: str) -> dict[str, tuple[int, list[bytes]]]:
    """Every key under ``prefix``: its TTL in seconds and its values."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        out = {}
        for key in client.scan_iter(f"{prefix}*"):
            name = key.decode()
            values = (sorted(client.smembers(key)) if client.type(key) == b"set"
                      else client.lrange(key, 0, -1))
            out[name] = (client.ttl(key), values)
        return out
    finally:
        client.close()


async def test_a_button_offered_through_one_process_is_known_to_the_other(prefix):
    first, second = RedisConversationMemory(REDIS_URL, prefix=prefix), RedisConversationMemory(REDIS_URL, prefix=prefix)
    try:
        delivered = answer("/affirm", "/deny")
        await first.remember(CONVERSATION, delivered)
        assert await second.offered(CONVERSATION) == {"/affirm", "/deny"}
        assert await second.knows_message(CONVERSATION, delivered[0]["id"])
        assert await second.offered("demo:08119020:other") == frozenset()  # conversations are separate
        assert not await second.knows_message("demo:08119020:other", delivered[0]["id"])

        later = answer("/ask_documents")  # the next answer replaces the offered buttons ...
        await second.remember(CONVERSATION, later)
        assert await first.offered(CONVERSATION) == {"/ask_documents"}
        assert await first.knows_message(CONVERSATION, delivered[0]["id"])  # ... ids accumulate
        await first.remember(CONVERSATION, answer(text="Gern geschehen."))  # no buttons at all
        assert await second.offered(CONVERSATION) == frozenset()
        assert not first._degraded and not second._degraded  # really through Redis
    finally:
        await first.close()
        await second.close()


async def test_stored_data_is_bounded_expires_and_holds_no_citizen_data(prefix):
    memory = RedisConversationMemory(REDIS_URL, prefix=prefix, ids_per_conversation=3)
    try:
        answers = [answer("/affirm") for _ in range(5)]
        for delivered in answers:
            await memory.remember(CONVERSATION, delivered)
        many = answer(*[f"/choose_{i}" for i in range(100)])
        await memory.remember(CONVERSATION, many)
        assert len(await memory.offered(CONVERSATION)) == 64
        assert not await memory.knows_message(CONVERSATION, answers[2][0]["id"])  # only the last 3 ids
        assert await memory.knows_message(CONVERSATION, answers[4][0]["id"])
    finally:
        await memory.close()
    keys = stored(prefix)
    assert len(keys) == 2 and all(SENDER not in key and "08119020" not in key for key in keys)
    for ttl, values in keys.values():
        assert 0 < ttl <= TTL_SECONDS
        assert all(v.startswith((b"/choose_", b"m-")) for v in values)  # payloads and ids only
        assert not any(b"Noch etwas" in v for v in values)


async def test_unreachable_redis_refuses_clicks_and_feedback(caplog):
    memory = RedisConversationMemory(DOWN_URL, timeout=0.2)
    delivered = answer("/affirm")
    with caplog.at_level(logging.INFO, logger="bot.gateway.memory"):
        await memory.remember(CONVERSATION, delivered)  # the answer is delivered anyway
        assert await memory.offered(CONVERSATION) == frozenset()
        assert not await memory.knows_message(CONVERSATION, delivered[0]["id"])
    await memory.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["shared conversation memory unavailable (ConnectionError); button clicks and "
                        "feedback are refused until it is back"]  # once per outage, no keys
    assert SENDER not in caplog.text


async def test_in_memory_default_and_redis_when_configured():
    assert isinstance(create_app(Settings())[MEMORY_KEY], InMemoryConversationMemory)
    app = create_app(Settings(redis_url=REDIS_URL))
    assert isinstance(app[MEMORY_KEY], RedisConversationMemory)
    assert app[MEMORY_KEY]._client is None  # no client before the first request


# --- two gateway processes (apps) sharing one Redis ------------------------------------------

async def gateway(settings: Settings, memory: RedisConversationMemory):
    app = create_app(settings)
    app[MEMORY_KEY] = memory  # the production memory, with this test's key prefix
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.fixture
def gateway_settings(tmp_path: Path, rasa_server: TestServer) -> Settings:
    return Settings(rasa_url=str(rasa_server.make_url("")).rstrip("/"), register=FakeRegister(),
                    tenants_path=write_tenants(tmp_path / "tenants.yml"), rasa_timeout=2.0,
                    redis_url=REDIS_URL)


async def test_two_gateways_accept_a_button_and_feedback_offered_by_the_other(
        gateway_settings: Settings, fake_rasa: FakeRasa, prefix):
    first = await gateway(gateway_settings, RedisConversationMemory(REDIS_URL, prefix=prefix))
    second = await gateway(gateway_settings, RedisConversationMemory(REDIS_URL, prefix=prefix))
    try:
        resp = await post_chat(first, {"sender_id": SENDER, "message": "Hallo", "ags": "08119020"})
        assert resp.status == 200
        rated = (await resp.json())["messages"][0]["id"]
        resp = await post_chat(second, {"sender_id": SENDER, "payload": "/affirm", "ags": "08119020"})
        assert resp.status == 200, await resp.text()
        assert fake_rasa.received[-1]["message"] == "/affirm"
        resp = await post_chat(first, {"sender_id": SENDER, "message_id": rated, "value": "up",
                                       "ags": "08119020"}, path="/chat/feedback")
        assert resp.status == 200 and fake_rasa.received[-1]["message"] == "/feedback_positive"
        resp = await post_chat(second, {"sender_id": "0" * 8 + SENDER[8:], "payload": "/affirm",
                                        "ags": "08119020"})  # another conversation was offered nothing
        assert resp.status == 400 and (await resp.json())["error"]["message"] == NOT_CURRENT
    finally:
        await first.close()
        await second.close()


async def test_gateway_without_redis_refuses_buttons_but_answers_typed_text(
        gateway_settings: Settings, fake_rasa: FakeRasa):
    client = await gateway(gateway_settings, RedisConversationMemory(DOWN_URL, timeout=0.2))
    try:
        resp = await post_chat(client, {"sender_id": SENDER, "message": "Hallo", "ags": "08119020"})
        assert resp.status == 200
        rated = (await resp.json())["messages"][0]["id"]
        resp = await post_chat(client, {"sender_id": SENDER, "payload": "/affirm", "ags": "08119020"})
        assert resp.status == 400 and (await resp.json())["error"]["message"] == NOT_CURRENT
        resp = await post_chat(client, {"sender_id": SENDER, "message_id": rated, "value": "up",
                                        "ags": "08119020"}, path="/chat/feedback")
        assert resp.status == 404
        assert [m["message"] for m in fake_rasa.received] == ["Hallo"]  # nothing else reached Rasa
    finally:
        await client.close()


async def test_two_gateways_share_the_per_client_chat_limit(gateway_settings: Settings, fake_rasa: FakeRasa, prefix):
    """One citizen's /chat budget is the same whichever gateway process answers (one salt, one Redis bucket)."""
    from dataclasses import replace

    from bot.gateway.api.ratelimit import CLIENT_LIMITS_KEY

    settings = replace(gateway_settings, client_salt=uuid.uuid4().hex)  # a fresh bucket for this run
    first = await gateway(settings, RedisConversationMemory(REDIS_URL, prefix=prefix))
    second = await gateway(settings, RedisConversationMemory(REDIS_URL, prefix=prefix))
    for client in (first, second):
        client.app[CLIENT_LIMITS_KEY] = replace(client.app[CLIENT_LIMITS_KEY], chat_per_minute=4)
    try:
        statuses = []
        for client in (first, first, first, second, second, second):
            resp = await post_chat(client, {"sender_id": SENDER, "message": "Hallo", "ags": "08119020"})
            statuses.append(resp.status)
        assert statuses[:4] == [200] * 4 and 429 in statuses[4:], statuses
    finally:
        await first.close()
        await second.close()
