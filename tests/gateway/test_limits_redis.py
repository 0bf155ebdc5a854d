"""Rate limits shared through the real local Redis (two limiter instances = two gateway processes)."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.gateway.limits import RedisRateLimiter, make_rate_limiter
from bot.gateway.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/2"




async def test_two_processes_share_one_budget(prefix):
    first, second = RedisRateLimiter(REDIS_URL, prefix=prefix), RedisRateLimiter(REDIS_URL, prefix=prefix)
    try:
        answers = [await (first if i % 2 else second).check("portal-a", 10) for i in range(10)]
        assert answers == [0] * 10
        # the shared bucket is empty
        assert await first.check("portal-a", 10) >= 1 and await second.check("portal-a", 10) >= 1
        assert await first.check("portal-b", 10) == 0  # keys are independent
        assert not first._degraded and not second._degraded  # really through Redis
        assert 1 <= await second.check("portal-a", 10) <= 6  # 10/min: one token every 6 s
    finally:
        await first.close()
        await second.close()
    assert first._client is None and second._client is None


async def test_unreachable_redis_falls_back_to_the_process(prefix, caplog):
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", prefix=prefix)
    assert [await limiter.check("k", 2) for _ in range(3)][:2] == [0, 0]
    assert await limiter.check("k", 2) >= 1
    await limiter.close()
    assert "shared rate limit unavailable (ConnectionError)" in caplog.text and "k" not in caplog.messages[0].split("(")[0]
    assert len(caplog.messages) == 1  # once per outage


@pytest.fixture
async def hanging_redis():
    """A TCP server on a free port that accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"redis://127.0.0.1:{port}/0"
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_hanging_redis_costs_one_timeout_then_the_process_limits_alone(hanging_redis, caplog):
    now = [0.0]
    limiter = RedisRateLimiter(hanging_redis, timeout=0.3, retry_seconds=5.0, clock=lambda: now[0])
    try:
        started = time.monotonic()
        assert await limiter.check("k", 2) == 0  # allowed by the in-process bucket
        assert 0.25 <= time.monotonic() - started < 1.5  # bounded by the timeout
        started = time.monotonic()
        assert [await limiter.check("k", 2) for _ in range(2)][0] == 0
        assert time.monotonic() - started < 0.1  # during the outage Redis is not asked again ...
        now[0] += 6.0
        started = time.monotonic()
        await limiter.check("k", 2)
        assert time.monotonic() - started >= 0.25  # ... until retry_seconds have passed
    finally:
        await limiter.close()
    assert caplog.messages == ["shared rate limit unavailable (TimeoutError); limiting per process"]


async def test_factory_picks_the_backend():
    from bot.gateway.api.ratelimit import RateLimiter

    assert isinstance(make_rate_limiter(Settings()), RateLimiter)
    shared = make_rate_limiter(Settings(redis_url=REDIS_URL))
    assert isinstance(shared, RedisRateLimiter)
    assert shared._client is None  # no client before the first check (created inside the loop)
