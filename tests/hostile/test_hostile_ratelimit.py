"""Finding 6: /chat/* is rate-limited per client; wrong API keys are limited too."""

from __future__ import annotations

import asyncio
import math
import time

from hostile_helpers import API_KEY, DEMO_ORIGIN, SENDER, error_shape

from bot.gateway.api.ratelimit import CLIENT_LIMITS_KEY, ClientLimits, RateLimiter, client_key


async def test_chat_burst_is_limited_with_retry_after(client, rasa):
    per_minute = client.app[CLIENT_LIMITS_KEY].chat_per_minute
    senders = [f"{SENDER[:-4]}{i:04d}" for i in range(300)]  # 300 conversations from one client

    async def one(sender: str):
        resp = await client.post("/chat/messages", headers={"Origin": DEMO_ORIGIN},
                                 json={"sender_id": sender, "ags": "08119020", "message": "Hund anmelden"})
        return resp.status, await resp.read(), resp.headers

    started = time.monotonic()
    results = await asyncio.gather(*(one(s) for s in senders))
    refilled = math.ceil((time.monotonic() - started) * per_minute / 60)  # the bucket refills meanwhile
    statuses = [status for status, _, _ in results]
    assert per_minute <= statuses.count(200) <= per_minute + refilled
    assert statuses.count(200) + statuses.count(429) == 300
    for status, body, headers in results:
        if status == 429:
            err = error_shape(body)
            assert err and err["code"] == "rate_limited" and "Sekunden" in err["message"]
            assert int(headers["Retry-After"]) >= 1
            assert headers["Access-Control-Allow-Origin"] == DEMO_ORIGIN  # the widget can show it
    assert len(rasa.received) == statuses.count(200)


async def test_wrong_api_keys_are_limited_but_not_the_right_one(client):
    per_minute = client.app[CLIENT_LIMITS_KEY].bad_keys_per_minute
    statuses = []
    for i in range(per_minute + 5):
        resp = await client.get("/api/v1/places", params={"q": "Ulm"}, headers={"X-API-Key": f"guess-{i}"})
        statuses.append(resp.status)
        assert error_shape(await resp.read())
    assert statuses == [401] * per_minute + [429] * 5
    assert "Retry-After" in resp.headers
    good = await client.get("/api/v1/places", params={"q": "Ulm"}, headers={"X-API-Key": API_KEY})
    assert good.status in (200, 503)  # 503 only if the domain data is unavailable


def test_client_key_hashes_and_trusts_only_configured_proxies():
    from aiohttp.test_utils import make_mocked_request

    limits = ClientLimits(trusted_proxies=frozenset({"127.0.0.1"}), salt="s")
    untrusted = ClientLimits(trusted_proxies=frozenset(), salt="s")

    def req(xff: str):
        request = make_mocked_request("POST", "/chat/messages", headers={"X-Forwarded-For": xff})
        request._transport_peername = ("127.0.0.1", 1)  # noqa: SLF001 - the proxy's address
        return request

    a, b = req("203.0.113.7"), req("198.51.100.9, 203.0.113.7")
    assert client_key(a, limits) == client_key(b, limits)  # the last hop before the proxy counts
    assert client_key(a, limits) != client_key(req("198.51.100.1"), limits)
    assert client_key(a, untrusted) == client_key(req("198.51.100.1"), untrusted)  # header ignored
    assert "203.0.113.7" not in client_key(a, limits)
    assert "127.0.0.1" in ClientLimits().trusted_proxies  # nginx on the same host works by default


async def test_limiter_memory_is_bounded():
    limiter = RateLimiter(max_keys=100)
    for i in range(1000):
        await limiter.check(f"chat:{i}", 60)
    assert len(limiter) == 100
