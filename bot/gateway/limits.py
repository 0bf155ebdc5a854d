"""Rate limits shared by several gateway processes: a Redis token bucket behind the same async
interface as :class:`bot.gateway.api.ratelimit.RateLimiter` (``await check(key, per_minute)`` -> 0
when allowed, else the seconds to wait, >= 1).

One Lua script per check keeps the bucket atomic across processes; Redis' own clock is used, so
the processes' clocks do not matter. The check uses the asyncio client (never blocks the event
loop), created on first use (:mod:`bot.gateway.redis_async`) and closed at app cleanup; every
check is bounded by a short deadline. If Redis fails or does not answer in time, the process
falls back to its own in-memory bucket (logged once per outage, without keys) rather than refusing
every citizen, and tries Redis again only after ``retry_seconds`` (so an outage does not cost
every request the full timeout).
The ``redis`` package is imported only when a Redis URL is configured.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.gateway import redis_async
from bot.gateway.settings import Settings

if TYPE_CHECKING:
    from bot.gateway.api.ratelimit import Limiter, RateLimiter

logger = logging.getLogger("bot.gateway.limits")

KEY_PREFIX = "bwbuergerservice:ratelimit:"
_BUCKET = """
local capacity = tonumber(ARGV[1])
local rate = capacity / 60000.0
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(b[1]) or capacity
local updated = tonumber(b[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - updated) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.max(1, math.ceil((1 - tokens) / rate / 1000))
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
redis.call('PEXPIRE', KEYS[1], 61000)
return wait
"""


class RedisRateLimiter:
    """Token buckets in Redis (one hash per key), shared by every gateway process."""

    def __init__(self, url: str, prefix: str = KEY_PREFIX, timeout: float = 0.2,
                 retry_seconds: float = 5.0, client: Any | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._url, self._timeout, self._client = url, timeout, client
        self._script: Any | None = None
        self._prefix, self._retry_seconds, self._clock = prefix, retry_seconds, clock
        from bot.gateway.api.ratelimit import RateLimiter  # noqa: PLC0415 - bot.gateway.api imports us

        self._fallback = RateLimiter()
        self._degraded = False
        self._retry_at = 0.0

    def _bucket(self) -> Any:
        # Client and script are created on first use, inside the running event loop; registering
        # only computes the script's SHA (EVALSHA, falling back to EVAL once per connection).
        if self._client is None:
            self._client = redis_async.connect(self._url, self._timeout)
        if self._script is None:
            self._script = self._client.register_script(_BUCKET)
        return self._script

    async def check(self, key: str, per_minute: int) -> int:
        if self._degraded and self._clock() < self._retry_at:
            return await self._fallback.check(key, per_minute)
        try:
            script = self._bucket()
            # A hard deadline around the whole call (connect, SELECT, EVALSHA, EVAL on NOSCRIPT).
            wait = int(await asyncio.wait_for(
                script(keys=[self._prefix + key], args=[int(per_minute)]), timeout=self._timeout))
        except Exception as exc:  # noqa: BLE001 - redis.RedisError, OSError, timeouts: degrade, do not fail requests
            if not self._degraded:
                logger.warning("shared rate limit unavailable (%s); limiting per process", type(exc).__name__)
                self._degraded = True
            self._retry_at = self._clock() + self._retry_seconds
            return await self._fallback.check(key, per_minute)
        if self._degraded:
            logger.info("shared rate limit available again")
            self._degraded = False
        return wait

    async def close(self) -> None:
        client, self._client, self._script = self._client, None, None
        await redis_async.close(client, "shared rate limit")


def make_rate_limiter(settings: Settings) -> RateLimiter | RedisRateLimiter:
    """In-memory per process, or shared through Redis when ``settings.redis_url`` is set."""
    from bot.gateway.api.ratelimit import RateLimiter  # noqa: PLC0415 - bot.gateway.api imports us

    return RedisRateLimiter(settings.redis_url) if settings.redis_url else RateLimiter()


async def close_limiter(app: web.Application) -> None:
    """``on_cleanup``: close the Redis connections of the API's rate limiter."""
    from bot.gateway.api.state import LIMITER_KEY  # noqa: PLC0415 - bot.gateway.api imports us

    limiter: Limiter = app[LIMITER_KEY]
    await limiter.close()
