"""Finding 7: 50 messages at once on one conversation are all answered, in order, none lost."""

from __future__ import annotations

import asyncio

from hostile_helpers import API_KEY, DEMO_ORIGIN, SENDER, MemoryRasa, error_shape, posts_in_order

from bot.gateway.turns import REQUEST_DEADLINE, TURNS_KEY


async def chat(client, text: str, delay: float = 0.0):
    await asyncio.sleep(delay)
    resp = await client.post("/chat/messages", headers={"Origin": DEMO_ORIGIN},
                             json={"sender_id": SENDER, "ags": "08119020", "message": text})
    return resp.status, await resp.read(), resp.headers


async def test_fifty_at_once_all_answered_in_order(client, rasa: MemoryRasa):
    rasa.delay = 0.01
    texts = [f"Frage Nummer {i}" for i in range(50)]
    bodies = [{"sender_id": SENDER, "ags": "08119020", "message": t} for t in texts]
    results = await posts_in_order(client.port, "/chat/messages", bodies, {"Origin": DEMO_ORIGIN})
    assert [status for status, _ in results] == [200] * 50
    for text, (_, answer) in zip(texts, results, strict=True):
        assert text.encode() in answer  # each request got the answer to its own message
    assert rasa.max_parallel == 1  # Rasa never saw two messages of this conversation at once
    assert rasa.trackers[f"web:demo:08119020:{SENDER}"] == texts  # all in the tracker, in order
    assert len(client.app[TURNS_KEY]) == 0  # no per-conversation state left behind


async def test_api_conversation_is_serialised_too(client, rasa: MemoryRasa):
    rasa.delay = 0.01
    bodies = [{"message": f"Frage {i}"} for i in range(20)]
    results = await posts_in_order(client.port, "/api/v1/conversations/c-1/messages", bodies,
                                   {"X-API-Key": API_KEY})
    assert [status for status, _ in results] == [200] * 20
    assert rasa.max_parallel == 1
    assert rasa.trackers["api:portal:c-1"] == [f"Frage {i}" for i in range(20)]


async def test_full_queue_gets_429_and_long_wait_503_in_german(client, rasa: MemoryRasa):
    turns = client.app[TURNS_KEY]
    turns.max_pending, turns.max_wait = 2, 0.3
    rasa.delay = 0.5
    results = await asyncio.gather(*(chat(client, f"Nachricht {i}", i * 0.02) for i in range(3)))
    statuses = [status for status, _, _ in results]
    assert statuses == [200, 503, 429], statuses
    for _, body, headers in results[1:]:
        err = error_shape(body)
        assert err and "Bitte" in err["message"] and headers["Retry-After"].isdigit()
    assert rasa.trackers[f"web:demo:08119020:{SENDER}"] == ["Nachricht 0"]  # refused ones never half-sent
    rasa.delay = 0
    assert (await chat(client, "Jetzt wieder"))[0] == 200


def test_waiting_plus_rasa_stays_below_a_proxy_timeout(settings):
    from bot.gateway import create_app

    turns = create_app(settings)[TURNS_KEY]
    assert turns.max_wait + settings.rasa_timeout <= REQUEST_DEADLINE < 60
