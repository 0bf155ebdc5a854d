"""Rate limits shared through the real local Redis (two limiter instances = two gateway processes)."""

from __future__ import annotations

import socket
import uuid

import pytest

from bot.gateway.limits import RedisRateLimiter, make_rate_limiter
from bot.gateway.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/2"


@pytest.fixture
def prefix():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError as exc:
        pytest.fail(f"Redis auf 127.0.0.1:6379 nicht erreichbar ({exc}); er läuft in jeder Sitzung und in CI.")
    value = f"test-{uuid.uuid4().hex}:"
    yield value
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{value}*"):
        client.delete(key)
    client.close()


def test_two_processes_share_one_budget(prefix):
    first, second = RedisRateLimiter(REDIS_URL, prefix=prefix), RedisRateLimiter(REDIS_URL, prefix=prefix)
    answers = [(first if i % 2 else second).check("portal-a", 10) for i in range(10)]
    assert answers == [0] * 10
    assert first.check("portal-a", 10) >= 1 and second.check("portal-a", 10) >= 1  # the shared bucket is empty
    assert first.check("portal-b", 10) == 0  # keys are independent
    assert not first._degraded and not second._degraded  # really through Redis
    assert 1 <= second.check("portal-a", 10) <= 6  # 10/min: one token every 6 s


def test_unreachable_redis_falls_back_to_the_process(prefix, caplog):
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", prefix=prefix)
    assert [limiter.check("k", 2) for _ in range(3)][:2] == [0, 0]
    assert limiter.check("k", 2) >= 1
    assert "shared rate limit unavailable (ConnectionError)" in caplog.text and "k" not in caplog.messages[0].split("(")[0]


def test_factory_picks_the_backend():
    from bot.gateway.api.ratelimit import RateLimiter

    assert isinstance(make_rate_limiter(Settings()), RateLimiter)
    assert isinstance(make_rate_limiter(Settings(redis_url=REDIS_URL)), RedisRateLimiter)
