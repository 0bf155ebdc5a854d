"""Rate limits: token buckets per portal (API key), per client on ``/chat/*`` and for wrong keys.

Each key may make ``per_minute`` requests per minute, in bursts of up to ``per_minute``. The
buckets live in this process only (bounded: the least recently used are dropped); several
gateway processes need a shared backend with the same :class:`Limiter` interface (e.g. Redis,
keyed the same way, with one configured ``ClientLimits.salt``).

Clients are identified by their address, hashed with a salt (no IPs in memory dumps or in
a shared store). For a connection from a trusted proxy (``trusted_proxies``, loopback by
default), the last address in ``X-Forwarded-For`` not added by a trusted proxy is used.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from aiohttp import web

from bot.gateway.errors import ApiError


class Limiter(Protocol):
    """``await check(key, per_minute)`` -> 0 when allowed, else the seconds to wait (>= 1).

    Async because a backend may be shared (Redis, :mod:`bot.gateway.limits`): the gateway never
    blocks its event loop on a limit check.
    """

    async def check(self, key: str, per_minute: int) -> int: ...

    async def close(self) -> None: ...


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """In-memory token buckets, at most ``max_keys`` of them."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    async def check(self, key: str, per_minute: int) -> int:
        now = self._clock()
        capacity, rate = float(per_minute), per_minute / 60.0
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(capacity, now)
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
        self._buckets.move_to_end(key)
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0
        return max(1, math.ceil((1.0 - bucket.tokens) / rate))

    async def close(self) -> None:
        return None

    def __len__(self) -> int:
        return len(self._buckets)


@dataclass(frozen=True)
class ClientLimits:
    """Per-client limits of the public surface (requests per minute, burst of the same size)."""

    #: ``POST /chat/*`` per client address (a citizen types far fewer; NAT shares addresses).
    chat_per_minute: int = 60
    #: Requests with a missing or wrong API key per client address.
    bad_keys_per_minute: int = 30
    #: Reverse proxies whose ``X-Forwarded-For`` is believed. Loopback by default: only a local
    #: process (nginx on the same host) can connect from there, and without it every citizen
    #: would share the proxy's bucket. Add the address of a proxy on another host.
    trusted_proxies: frozenset[str] = frozenset({"127.0.0.1", "::1"})
    salt: str = field(default_factory=lambda: secrets.token_hex(16))


def client_key(request: web.Request, limits: ClientLimits) -> str:
    """A salted hash of the client's address (never the address itself)."""
    address = request.remote or "unknown"
    if address in limits.trusted_proxies:
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
        while hops and hops[-1] in limits.trusted_proxies:
            hops.pop()
        if hops:
            address = hops[-1][:64]
    return hashlib.sha256(f"{limits.salt}:{address}".encode()).hexdigest()[:24]


def too_many(wait: int) -> ApiError:
    return ApiError(429, "rate_limited",
                    f"Zu viele Anfragen. Bitte versuchen Sie es in {wait} Sekunden erneut.",
                    {"Retry-After": str(wait)})


async def check_client(request: web.Request, kind: str, per_minute: int) -> None:
    """Raise 429 (with ``Retry-After``) when this client used up its ``kind`` budget."""
    limits = request.app[CLIENT_LIMITS_KEY]
    wait = await request.app[CLIENT_LIMITER_KEY].check(f"{kind}:{client_key(request, limits)}", per_minute)
    if wait:
        raise too_many(wait)


CLIENT_LIMITS_KEY: web.AppKey[ClientLimits] = web.AppKey("client_limits")
CLIENT_LIMITER_KEY: web.AppKey[Limiter] = web.AppKey("client_limiter")
