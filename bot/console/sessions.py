"""Server-side sessions with idle and absolute expiry and a CSRF token each, and the login rate limit.

The cookie holds only a random token (Path=/staff, HttpOnly, SameSite=Strict, Secure unless
configured off for http://localhost). Two backends each behind one async interface
(:mod:`bot.console.shared`): in the process (default; a gateway restart logs everybody out) or in
Redis, shared by every gateway process, where a session is a hash under the SHA-256 of its token
that expires after the idle time (renewed by every request, never beyond the maximum age).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass, field
from typing import Protocol

from bot.console.shared import RedisHandle, text

COOKIE = "bw_staff"
PRE_COOKIE = "bw_staff_login"  # CSRF token of the login form (before there is a session)


@dataclass
class Session:
    user: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    created: float = field(default_factory=time.time)
    seen: float = field(default_factory=time.time)


class SessionStore(Protocol):
    async def create(self, user: str) -> tuple[str, Session]: ...

    async def get(self, token: str | None) -> Session | None: ...

    async def drop(self, token: str | None) -> None: ...


class LoginLimit(Protocol):
    async def allow(self, key: str) -> bool: ...


class InMemorySessionStore:
    def __init__(self, idle: float, maximum: float) -> None:
        self.idle, self.maximum = idle, maximum
        self._sessions: dict[str, Session] = {}

    def _expired(self, session: Session, now: float) -> bool:
        return now - session.seen > self.idle or now - session.created > self.maximum

    async def create(self, user: str) -> tuple[str, Session]:
        now = time.time()
        for old in [t for t, s in self._sessions.items() if self._expired(s, now)]:
            self._sessions.pop(old, None)
        token, session = secrets.token_urlsafe(32), Session(user)
        self._sessions[token] = session
        return token, session

    async def get(self, token: str | None) -> Session | None:
        session = self._sessions.get(token) if token else None
        now = time.time()
        if session is None:
            return None
        if self._expired(session, now):
            self._sessions.pop(token or "", None)
            return None
        session.seen = now
        return session

    async def drop(self, token: str | None) -> None:
        if token:
            self._sessions.pop(token, None)


class RedisSessionStore:
    """Sessions in Redis; a Redis error counts as "not logged in" (get) or refuses the login (create)."""

    def __init__(self, redis: RedisHandle, idle: float, maximum: float) -> None:
        self.redis, self.idle, self.maximum = redis, idle, maximum

    def _key(self, token: str) -> str:
        return self.redis.key("session", hashlib.sha256(token.encode()).hexdigest())

    async def create(self, user: str) -> tuple[str, Session]:
        token, session = secrets.token_urlsafe(32), Session(user)
        try:
            async with self.redis.client.pipeline(transaction=True) as pipe:
                pipe.hset(self._key(token), mapping={"user": user, "csrf": session.csrf, "created": repr(session.created)})
                pipe.pexpire(self._key(token), math.ceil(1000 * min(self.idle, self.maximum)))
                await pipe.execute()
        except Exception as exc:  # noqa: BLE001 - redis.RedisError, OSError, timeouts
            raise self.redis.failed(exc) from None
        self.redis.ok()
        return token, session

    async def get(self, token: str | None) -> Session | None:
        if not token or len(token) > 128:
            return None
        key, now = self._key(token), time.time()
        try:
            data = {text(k): text(v) for k, v in (await self.redis.client.hgetall(key)).items()}
            if not data.get("user"):
                self.redis.ok()
                return None
            created = float(data.get("created") or 0)
            left = self.maximum - (now - created)
            if left <= 0:
                await self.redis.client.delete(key)
                return None
            await self.redis.client.pexpire(key, max(1, math.ceil(1000 * min(self.idle, left))))
        except ValueError:
            return None
        except Exception as exc:  # noqa: BLE001 - fail closed: not logged in
            self.redis.failed(exc)
            return None
        self.redis.ok()
        return Session(data["user"], csrf=data.get("csrf", ""), created=created, seen=now)

    async def drop(self, token: str | None) -> None:
        if not token:
            return
        try:
            await self.redis.client.delete(self._key(token))
        except Exception as exc:  # noqa: BLE001 - the logout must not stay silently half done
            raise self.redis.failed(exc) from None


class InMemoryLoginLimit:
    """At most ``limit`` login attempts per key (hashed client address) per ``window`` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[str, list[float]] = {}

    async def allow(self, key: str) -> bool:
        now = time.time()
        hits = [t for t in self._hits.get(key, []) if now - t < self.window]
        if len(self._hits) > 10_000:  # bounded memory
            self._hits.clear()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        self._hits[key] = hits
        return allowed


_COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class RedisLoginLimit:
    """The same limit counted in Redis for every gateway process (a fixed window per key). If Redis
    fails, each process limits on its own (a login stays possible, and still limited)."""

    def __init__(self, redis: RedisHandle, limit: int, window: float) -> None:
        self.redis, self.limit, self.window = redis, limit, window
        self._fallback = InMemoryLoginLimit(limit, window)
        self._script = None

    async def allow(self, key: str) -> bool:
        try:
            if self._script is None:
                self._script = self.redis.client.register_script(_COUNT)
            count = int(await self._script(keys=[self.redis.key("login", key)], args=[math.ceil(self.window)]))
        except Exception as exc:  # noqa: BLE001 - degrade to the process's own limit
            self._script = None
            self.redis.failed(exc)
            return await self._fallback.allow(key)
        self.redis.ok()
        return count <= self.limit
