"""The asyncio Redis client the gateway's shared backends use (conversation memory, rate limits).

Created lazily, on first use inside the running event loop (no network client at import or
app-construction time), with a short connect and socket timeout and no retries: Redis runs on the
loopback, and a backend that cannot answer at once degrades instead of holding the request.
The ``redis`` package is imported only here, i.e. only when a Redis URL is configured.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("bot.gateway.redis")


def connect(url: str, timeout: float) -> Any:
    """A ``redis.asyncio.Redis`` for ``url``; connections are opened lazily by its pool."""
    import redis.asyncio  # noqa: PLC0415 - only where a shared backend is configured
    from redis.asyncio.retry import Retry  # noqa: PLC0415
    from redis.backoff import NoBackoff  # noqa: PLC0415

    return redis.asyncio.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                        retry=Retry(NoBackoff(), 0))


async def close(client: Any | None, what: str) -> None:
    """Close ``client`` (if any) at app cleanup; errors are only logged (shutting down anyway)."""
    if client is None:
        return
    closer = getattr(client, "aclose", None) or client.close  # redis >= 5 / redis 4.x
    try:
        await closer()
    except Exception as exc:  # noqa: BLE001
        logger.debug("closing the %s failed (%s)", what, type(exc).__name__)
