"""The shared (Redis) portal limit never blocks the gateway's event loop: with a Redis that accepts
connections and never answers, other requests on the same app are answered meanwhile, the API
request itself is served after the timeout (per-process limit), and cleanup closes the client."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.gateway import Settings, create_app
from bot.gateway.api.state import LIMITER_KEY
from bot.gateway.limits import RedisRateLimiter

TIMEOUT = 1.5  # long, so that a blocked loop would clearly delay /healthz


@pytest.fixture
async def hanging_redis():
    """A TCP server on a free port that accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    yield f"redis://127.0.0.1:{server.sockets[0].getsockname()[1]}/0", held
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_hanging_redis_does_not_block_other_requests(settings: Settings, auth, hanging_redis):
    url, held = hanging_redis
    app = create_app(settings)
    limiter = app[LIMITER_KEY] = RedisRateLimiter(url, timeout=TIMEOUT)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        api = asyncio.create_task(client.get("/api/v1/places?q=Ulm", headers=auth))
        while not held:  # the limiter has connected and waits for Redis' answer
            await asyncio.sleep(0.01)
        started = time.monotonic()
        health = await client.get("/healthz")
        assert health.status == 200 and time.monotonic() - started < 0.5
        assert not api.done()  # still waiting for Redis, without holding anyone else
        resp = await api
        assert resp.status == 200  # after the timeout, limited per process
        assert time.monotonic() - started < TIMEOUT + 1.0
        assert limiter._degraded
    assert limiter._client is None  # closed at app cleanup
