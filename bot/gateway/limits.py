"""Rate limits shared by several gateway processes: a Redis token bucket behind the same
interface as :class:`bot.gateway.api.ratelimit.RateLimiter` (``check(key, per_minute)`` -> 0 when
allowed, else the seconds to wait, >= 1).

One Lua script per check keeps the bucket atomic across processes; Redis' own clock is used, so
the processes' clocks do not matter. The check is synchronous (as the interface is) on a loopback
Redis with a 200 ms socket timeout. If Redis is unreachable, the process falls back to its own
in-memory bucket (logged once per outage, without keys) rather than refusing every citizen.
The ``redis`` package is imported only when a Redis URL is configured.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.gateway.settings import Settings

if TYPE_CHECKING:
    from bot.gateway.api.ratelimit import RateLimiter

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
                 client: Any | None = None) -> None:
        if client is None:
            import redis  # noqa: PLC0415 - only where shared limits are configured

            client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self._redis = client
        self._script = client.register_script(_BUCKET)
        self._prefix = prefix
        from bot.gateway.api.ratelimit import RateLimiter  # noqa: PLC0415 - bot.gateway.api imports us

        self._fallback = RateLimiter()
        self._degraded = False

    def check(self, key: str, per_minute: int) -> int:
        try:
            wait = int(self._script(keys=[self._prefix + key], args=[int(per_minute)]))
        except Exception as exc:  # noqa: BLE001 - redis.RedisError, OSError: degrade, do not fail requests
            if not self._degraded:
                logger.warning("shared rate limit unavailable (%s); limiting per process", type(exc).__name__)
                self._degraded = True
            return self._fallback.check(key, per_minute)
        if self._degraded:
            logger.info("shared rate limit available again")
            self._degraded = False
        return wait


def make_rate_limiter(settings: Settings) -> RateLimiter | RedisRateLimiter:
    """In-memory per process, or shared through Redis when ``settings.redis_url`` is set."""
    from bot.gateway.api.ratelimit import RateLimiter  # noqa: PLC0415 - bot.gateway.api imports us

    return RedisRateLimiter(settings.redis_url) if settings.redis_url else RateLimiter()
