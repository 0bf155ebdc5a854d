"""Where the console keeps state that every gateway process must see: sessions, the login rate
limit and the publish job.

Without a Redis URL (``make run``: one gateway process) everything lives in the process. With the
gateway's ``--redis-url`` (production profile: several gateway processes on one port) the same
interfaces are backed by Redis, so a clerk stays logged in whichever process answers, a logout
ends the session everywhere, the login limit counts every attempt and only one publish job runs.
The lockout after wrong passwords lives in the account file, which every process reads
(:mod:`bot.console.accounts`, updated under a file lock).

Keys (prefix ``BOT_STAFF_REDIS_PREFIX``, default ``bwbuergerservice:console:``) hold no citizen
data, no client address and no session token: sessions are stored under the SHA-256 of their
token, client addresses as the gateway's salted hash. If Redis fails, the console fails closed
(nobody counts as logged in, no publish starts) with a German message; citizens are not affected.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.gateway import redis_async

logger = logging.getLogger("bot.console")

DEFAULT_PREFIX = "bwbuergerservice:console:"


class SharedStateUnavailable(RuntimeError):
    """The shared store (Redis) did not answer; the console refuses instead of guessing."""


class RedisHandle:
    """One lazily created asyncio Redis client for the console's backends (never at import or app
    construction); logs an outage once and its end once, without keys."""

    def __init__(self, url: str, prefix: str = DEFAULT_PREFIX, timeout: float = 0.5, client: Any = None) -> None:
        self.url, self.prefix, self.timeout, self._client = url, prefix, timeout, client
        self._degraded = False

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = redis_async.connect(self.url, self.timeout)
        return self._client

    def key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def failed(self, exc: BaseException) -> SharedStateUnavailable:
        if not self._degraded:
            logger.warning("console: shared state (Redis) unavailable (%s); logins and publishing are refused",
                           type(exc).__name__)
            self._degraded = True
        return SharedStateUnavailable(type(exc).__name__)

    def ok(self) -> None:
        if self._degraded:
            logger.info("console: shared state (Redis) available again")
            self._degraded = False

    async def close(self) -> None:
        client, self._client = self._client, None
        await redis_async.close(client, "console state")


def text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8") if isinstance(value, bytes) else value
