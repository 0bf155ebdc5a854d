"""Finding 7: 50 messages at once on one conversation are all answered, in order, none lost."""

from __future__ import annotations

import asyncio
import json

from hostile_helpers import API_KEY, DEMO_ORIGIN, SENDER, MemoryRasa, error_shape

from bot.gateway.turns import REQUEST_DEADLINE, TURNS_KEY


async def chat(client, text: str, delay: float = 0.0):
    await asyncio.sleep(delay)
    resp = await client.post("/chat/messages", headers={"Origin": DEMO_ORIGIN},
                             json={"sender_id": SENDER, "ags": "08119020", "message": text})
    return resp.status, await resp.read(), resp.headers


async def test_fifty_at_once_all_answered_in_order(client, rasa: MemoryRasa):
    """50 connections opened first, then the 50 requests written a few ms apart (a known arrival order)."""
    rasa.delay = 0.01
    texts = [f"Frage Nummer {i}" for i in range(50)]
    conns = [await asyncio.open_connection("127.0.0.1", client.port) for _ in texts]

    async def one(i: int, text: str) -> tuple[int, bytes]:
        reader, writer = conns[i]
        await asyncio.sleep(i * 0.005)
        body = json.dumps({"sender_id": SENDER, "ags": "08119020", "message": text}).encode()
        writer.write(f"POST /chat/messages HTTP/1.1\r\nHost: x\r\nOrigin: {DEMO_ORIGIN}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                     "Connection: close\r\n\r\n".encode() + body)
        answer = await asyncio.wait_for(reader.read(), 30)
        writer.close()
        return int(answer.split()[1]), answer

    results = await asyncio.gather(*(one(i, t) for i, t in enumerate(texts)))
    assert [status for status, _ in results] == [200] * 50
    for text, (_, answer) in zip(texts, results, strict=True):
        assert text.encode() in answer  # each request got the answer to its own message
    assert rasa.max_parallel == 1  # Rasa never saw two messages of this conversation at once
    assert rasa.trackers[f"web:demo:08119020:{SENDER}"] == texts  # all in the tracker, in order
    assert len(client.app[TURNS_KEY]) == 0  # no per-conversation state left behind


async def test_api_conversation_is_serialised_too(client, rasa: MemoryRasa):
    rasa.delay = 0.01

    async def api(i: int):
        await asyncio.sleep(i * 0.003)
        resp = await client.post("/api/v1/conversations/c-1/messages", json={"message": f"Frage {i}"},
                                 headers={"X-API-Key": API_KEY})
        return resp.status

    assert await asyncio.gather(*(api(i) for i in range(20))) == [200] * 20
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
