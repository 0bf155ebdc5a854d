"""The relay with several Rasa replicas: consistent routing, failover, never an empty answer."""

from __future__ import annotations

import uuid

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from gateway_helpers import FakeRasa

from bot.gateway.errors import ApiError
from bot.gateway.relay import NO_ANSWER_TEXT, UNAVAILABLE_MESSAGE, RasaRelay, Replica, rendezvous_order
from bot.gateway.settings import Settings


class Upstream(FakeRasa):
    """A fake Rasa replica with its action server's /health; ``empty`` = Rasa answers ``[]``."""

    actions_up: bool = True
    empty: bool = False

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/health", self.health)
        app.router.add_route("*", "/{tail:.*}", self.reply)
        return app

    async def health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"}, status=200 if self.actions_up else 500)

    async def reply(self, request: web.Request) -> web.Response:
        if self.empty:
            self.received.append(await request.json())
            return web.json_response([])
        return await self.handle(request)


@pytest.fixture
async def replicas():
    ups = [Upstream(), Upstream(), Upstream()]
    servers = [TestServer(u.app(), host="127.0.0.1") for u in ups]
    for server in servers:
        await server.start_server(access_log=None)
    yield ups, servers
    for server in servers:
        await server.close()


@pytest.fixture
async def relay(replicas):
    _ups, servers = replicas
    urls = tuple(str(s.make_url("")).rstrip("/") for s in servers)
    relay = RasaRelay(Settings(rasa_urls=urls, actions_health_urls=tuple(u + "/health" for u in urls),
                               rasa_timeout=2.0))
    await relay.start()
    yield relay
    await relay.close()


def test_rendezvous_is_stable_and_spreads_conversations():
    replicas = [Replica(f"http://127.0.0.1:{5005 + i}", "") for i in range(3)]
    senders = [str(uuid.uuid4()) for _ in range(600)]
    first = {s: rendezvous_order(s, replicas)[0].rasa_url for s in senders}
    assert first == {s: rendezvous_order(s, list(reversed(replicas)))[0].rasa_url for s in senders}
    counts = {r.rasa_url: list(first.values()).count(r.rasa_url) for r in replicas}
    assert min(counts.values()) > 120, counts  # roughly a third each
    # Removing one replica moves only its own conversations.
    survivors = replicas[:2]
    moved = [s for s in senders if first[s] != rendezvous_order(s, survivors)[0].rasa_url]
    assert all(first[s] == replicas[2].rasa_url for s in moved)


async def test_one_conversation_always_reaches_the_same_replica(relay, replicas):
    ups, _ = replicas
    sender = str(uuid.uuid4())
    for i in range(5):
        assert await relay.send(sender, f"Nachricht {i}", {})
    assert sorted(len(u.received) for u in ups) == [0, 0, 5]


async def test_dead_replica_fails_over_to_the_next(relay, replicas):
    ups, servers = replicas
    sender = str(uuid.uuid4())
    await relay.send(sender, "erste", {})
    home = next(i for i, u in enumerate(ups) if u.received)
    home_url = str(servers[home].make_url("")).rstrip("/")
    await servers[home].close()
    messages = await relay.send(sender, "zweite", {})
    assert messages and messages[0]["text"].endswith("zweite")
    second = relay.route(sender)[0]
    assert second.rasa_url != home_url
    assert sum(len(u.received) for u in ups) == 2


async def test_action_server_down_moves_on_then_says_unavailable(relay, replicas):
    ups, _ = replicas
    for u in ups:
        u.empty, u.actions_up = True, False
    ups[2].empty, ups[2].actions_up = False, True
    sender = str(uuid.uuid4())
    messages = await relay.send(sender, "Hallo", {})
    assert messages[0]["text"].startswith("Antwort")  # answered by the replica whose actions run
    ups[2].empty, ups[2].actions_up = True, False
    with pytest.raises(ApiError) as err:
        await relay.send(str(uuid.uuid4()), "Hallo", {})
    assert err.value.status == 503 and err.value.message == UNAVAILABLE_MESSAGE
    assert "kurz nicht verfügbar" in UNAVAILABLE_MESSAGE


async def test_empty_answer_becomes_a_german_message(relay, replicas):
    ups, _ = replicas
    for u in ups:
        u.empty = True
    messages = await relay.send(str(uuid.uuid4()), "Hallo", {})
    assert [m["text"] for m in messages] == [NO_ANSWER_TEXT] and "keine Antwort" in NO_ANSWER_TEXT
    assert sum(len(u.received) for u in ups) == 1  # not resent: the tracker already has the message


async def test_all_replicas_down_is_503_in_german(relay, replicas):
    _, servers = replicas
    for server in servers:
        await server.close()
    with pytest.raises(ApiError) as err:
        await relay.send(str(uuid.uuid4()), "Hallo", {})
    assert err.value.status == 503 and err.value.code == "temporarily_unavailable"
