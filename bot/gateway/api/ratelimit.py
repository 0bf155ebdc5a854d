"""Per-key rate limit: an in-memory token bucket per portal.

Each portal may make ``rate_limit`` requests per minute, in bursts of up to ``rate_limit``.
The buckets live in this process only: a deployment with several gateway instances needs a
shared store (e.g. Redis) to enforce one limit across them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """``check(key, per_minute)`` -> 0 when allowed, else the seconds to wait (>= 1)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def check(self, key: str, per_minute: int) -> int:
        now = self._clock()
        capacity, rate = float(per_minute), per_minute / 60.0
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(capacity, now)
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0
        return max(1, math.ceil((1.0 - bucket.tokens) / rate))
