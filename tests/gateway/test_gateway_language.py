"""The answer language: ``lang`` is validated, and the slot ``language`` is set in Rasa (tracker events,
JWT) before the message is relayed, on the same replica, and only when the conversation's language
changes; the gateway's memory of it is shared through Redis."""

from __future__ import annotations

import base64
import json
import logging
import uuid
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from gateway_helpers import SENDER, FakeRasa, FakeRegister, post_chat, write_tenants

from bot.gateway import Settings, create_app
from bot.gateway.language import LanguageChange
from bot.gateway.memory import MEMORY_KEY, TTL_SECONDS, InMemoryConversationMemory, RedisConversationMemory
from bot.gateway.relay import RasaRelay

REDIS_URL = "redis://127.0.0.1:6379/3"
DOWN_URL = "redis://127.0.0.1:1/0"
KEY = f"web:demo:08119020:{SENDER}"
EVENTS = f"POST /conversations/{KEY}/tracker/events"
WEBHOOK = "POST /webhooks/rest/webhook"
SECRET = "test-secret-für-rasa"


def msg(text: str = "Ich brauche einen Personalausweis", **extra) -> dict:
    return {"sender_id": SENDER, "message": text, "ags": "08119020", **extra}


async def texts(resp) -> list[str]:
    assert resp.status == 200, await resp.text()
    return [m["text"] for m in (await resp.json())["messages"]]


async def test_a_new_language_is_set_before_the_message_and_only_when_it_changes(client, fake_rasa: FakeRasa):
    assert await texts(await post_chat(client, msg(lang="de-LS"))) == ["[de-LS] Ich brauche einen Personalausweis"]
    # The slot first, so the answer is already in Leichter Sprache; twice for a conversation the gateway
    # does not know (Rasa loses a slot sent before the conversation's first session starts).
    assert fake_rasa.requests == [EVENTS, EVENTS, WEBHOOK]
    assert fake_rasa.events[-1] == (KEY, None, [{"event": "slot", "name": "language", "value": "de-LS"}])
    await post_chat(client, msg("Was kostet das?", lang="de-LS"))
    await post_chat(client, msg("Und wo?"))  # no lang: the conversation keeps its language
    assert fake_rasa.requests[3:] == [WEBHOOK, WEBHOOK]
    assert await texts(await post_chat(client, msg("Geht das online?", lang="de"))) == ["[de] Geht das online?"]
    assert fake_rasa.requests[5:] == [EVENTS, WEBHOOK]  # a known conversation: one request
    assert [e[2][0]["value"] for e in fake_rasa.events] == ["de-LS", "de-LS", "de"]


async def test_a_button_click_carries_the_language_too(client, fake_rasa: FakeRasa):
    await post_chat(client, msg())  # answered with buttons (no language set yet)
    resp = await post_chat(client, {"sender_id": SENDER, "payload": "/affirm", "ags": "08119020", "lang": "de-ls"})
    assert await texts(resp) == ["[de-LS] /affirm"]  # case-insensitive, sent as the canonical tag
    assert fake_rasa.events[-1][2][0]["value"] == "de-LS"


@pytest.mark.parametrize("lang", ["fr", "ru", "", "de_LS", 5, ["de"], {"lang": "de"}, "de-LS" * 50])
async def test_an_unknown_language_is_refused_in_german(client, fake_rasa: FakeRasa, lang):
    resp = await post_chat(client, msg(lang=lang))
    assert resp.status == 400
    body = await resp.json()
    assert set(body) == {"error"} and body["error"]["code"] == "invalid_lang"
    assert body["error"]["message"] == ("Diese Sprache (lang) gibt es nicht. Möglich sind: de (Deutsch), "
                                        "de-LS (Leichte Sprache), en (Englisch), tr (Türkisch), uk (Ukrainisch).")
    assert fake_rasa.requests == []


async def test_a_refused_slot_still_answers_and_is_tried_again(client, fake_rasa: FakeRasa, caplog):
    fake_rasa.events_status = 401
    with caplog.at_level(logging.WARNING, logger="bot.gateway.relay"):
        assert await texts(await post_chat(client, msg(lang="de-LS")))  # the citizen gets the answer anyway
    assert "rasa refused the language slot (HTTP 401)" in caplog.text and SENDER not in caplog.text
    fake_rasa.events_status = 200
    assert await texts(await post_chat(client, msg("Was kostet das?", lang="de-LS"))) == ["[de-LS] Was kostet das?"]
    assert fake_rasa.requests == [EVENTS, WEBHOOK, EVENTS, EVENTS, WEBHOOK]


async def test_the_slot_is_set_with_the_jwt(tmp_path: Path, rasa_server: TestServer, fake_rasa: FakeRasa):
    settings = Settings(rasa_url=str(rasa_server.make_url("")).rstrip("/"), register=FakeRegister(),
                        tenants_path=write_tenants(tmp_path / "tenants.yml"), rasa_jwt_secret=SECRET)
    async with TestClient(TestServer(create_app(settings))) as client:
        assert (await post_chat(client, msg(lang="de-LS"))).status == 200
    header = fake_rasa.events[0][1]
    assert header.startswith("Bearer ") and SECRET not in header
    payload = header.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["user"]["role"] == "admin" and claims["exp"] > claims["iat"]
    assert all("token=" not in r for r in fake_rasa.requests)  # never in the URL


# --- the replica the message goes to -----------------------------------------------------------

async def test_the_slot_is_set_on_the_replica_that_gets_the_message():
    ups = [FakeRasa(), FakeRasa(), FakeRasa()]
    for up in ups[1:]:  # one tracker store behind all replicas (PostgreSQL in production)
        up.known, up.languages = ups[0].known, ups[0].languages
    servers = [TestServer(u.app(), host="127.0.0.1") for u in ups]
    for server in servers:
        await server.start_server(access_log=None)
    urls = tuple(str(s.make_url("")).rstrip("/") for s in servers)
    relay = RasaRelay(Settings(rasa_urls=urls, actions_health_urls=tuple(u + "/health" for u in urls)))
    await relay.start()
    try:
        sender = f"web:demo:08119020:{uuid.uuid4()}"
        change = LanguageChange("de-LS", new=True)
        answer = await relay.send(sender, "Hallo", {}, change)
        assert change.applied and answer[0]["text"] == "[de-LS] Hallo"
        (home,) = [u for u in ups if u.received]
        assert [e[0] for e in home.events] == [sender, sender] and sum(len(u.events) for u in ups) == 2
        await servers[ups.index(home)].close()  # its replica dies: the next one gets slot and message
        change = LanguageChange("de")
        answer = await relay.send(sender, "Hallo", {}, change)
        (other,) = [u for u in ups if u is not home and u.received]
        assert change.applied and other.events[0][2][0]["value"] == "de" and answer[0]["text"] == "[de] Hallo"
    finally:
        await relay.close()
        for server in servers:
            await server.close()


# --- the gateway's memory of the language ------------------------------------------------------

async def test_in_memory_language_per_conversation():
    memory = InMemoryConversationMemory(max_conversations=2)
    assert await memory.language("a") is None
    await memory.remember_language("a", "de-LS")
    await memory.remember("a", [])  # an answer keeps it
    assert await memory.language("a") == "de-LS" and await memory.language("b") is None
    await memory.remember_language("b", "de")
    await memory.remember_language("c", "de")  # bounded: the oldest conversation is forgotten
    assert await memory.language("a") is None


async def test_redis_shares_the_language_between_gateway_processes(prefix):
    first, second = RedisConversationMemory(REDIS_URL, prefix=prefix), RedisConversationMemory(REDIS_URL, prefix=prefix)
    try:
        await first.remember_language(KEY, "de-LS")
        assert await second.language(KEY) == "de-LS" and await second.language(KEY + "x") is None
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        (key,) = list(client.scan_iter(f"{prefix}*"))
        assert SENDER.encode() not in key and 0 < client.ttl(key) <= TTL_SECONDS
        client.close()
    finally:
        await first.close()
        await second.close()


async def test_two_gateways_set_the_slot_once(tmp_path: Path, rasa_server: TestServer, fake_rasa: FakeRasa, prefix):
    settings = Settings(rasa_url=str(rasa_server.make_url("")).rstrip("/"), register=FakeRegister(),
                        tenants_path=write_tenants(tmp_path / "tenants.yml"), redis_url=REDIS_URL)
    clients = []
    for _ in range(2):
        app = create_app(settings)
        app[MEMORY_KEY] = RedisConversationMemory(REDIS_URL, prefix=prefix)
        clients.append(TestClient(TestServer(app, host="127.0.0.1")))
        await clients[-1].start_server()
    try:
        await post_chat(clients[0], msg(lang="de-LS"))
        await post_chat(clients[1], msg("Was kostet das?", lang="de-LS"))  # the other process knows it
        assert fake_rasa.requests == [EVENTS, EVENTS, WEBHOOK, WEBHOOK]
    finally:
        for client in clients:
            await client.close()


async def test_without_redis_the_slot_is_set_with_every_message(tmp_path: Path, rasa_server: TestServer,
                                                               fake_rasa: FakeRasa):
    """Fail safe: the language counts as unknown, so the slot is set again (Rasa keeps the right value)."""
    settings = Settings(rasa_url=str(rasa_server.make_url("")).rstrip("/"), register=FakeRegister(),
                        tenants_path=write_tenants(tmp_path / "tenants.yml"), redis_url=DOWN_URL)
    app = create_app(settings)
    app[MEMORY_KEY] = RedisConversationMemory(DOWN_URL, timeout=0.2)
    async with TestClient(TestServer(app)) as client:
        for text in ("Hallo", "Was kostet das?"):
            assert await texts(await post_chat(client, msg(text, lang="de-LS"))) == [f"[de-LS] {text}"]
    assert fake_rasa.requests == [EVENTS, EVENTS, WEBHOOK] * 2
