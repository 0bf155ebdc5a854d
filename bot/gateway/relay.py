"""Relay to Rasa's REST channel on loopback (one or several replicas).

The gateway POSTs messages to ``{rasa_url}/webhooks/rest/webhook`` (see docs/dev/contracts.md,
"Gateway -> Rasa") and, when a conversation's language changes, one fixed slot event to
``{rasa_url}/conversations/<sender>/tracker/events`` with the JWT (:mod:`bot.gateway.language`).
The sender is the gateway's own namespaced key of validated parts and the value a checked language
tag; no other request path or field chosen by the client becomes part of an upstream request, so
Rasa's HTTP API stays unreachable from outside.
With several replicas each conversation is routed by consistent hashing of its sender id and
fails over to the next replica when its own is down. The citizen never gets an empty answer:
either Rasa's messages, a German "keine Antwort" message, or 503 "kurz nicht verfügbar".
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

from bot.gateway.errors import UNREACHABLE_MESSAGE, ApiError
from bot.gateway.language import LanguageChange
from bot.gateway.settings import WEBHOOK_PATH, Settings
from bot.languages import slot_event
from bot.rasa_jwt import auth_header

logger = logging.getLogger("bot.gateway.relay")

RELAY_KEY: web.AppKey[RasaRelay] = web.AppKey("rasa_relay")


def message_id(text: str, buttons: list[dict[str, str]]) -> str:
    """Stable id of a bot answer, recomputable from the tracker's bot event.

    Rasa does not give bot messages an id. Hashing the content lets feedback
    (``feedback_for``) be joined to the answer it rates when reading the tracker.
    """
    digest = hashlib.sha256()
    digest.update(text.encode("utf-8"))
    for button in buttons:
        digest.update(b"\x00" + button["payload"].encode("utf-8"))
    return "m-" + digest.hexdigest()[:16]


def normalize_messages(raw: Any) -> list[dict[str, Any]]:
    """Rasa's list of bot messages -> the widget's ``{id, text, buttons, custom}`` list."""
    if not isinstance(raw, list):
        raise ValueError("Rasa answer is not a list")
    messages: list[dict[str, Any]] = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        text = item.get("text") if isinstance(item.get("text"), str) else ""
        buttons = [
            {"title": str(b["title"]), "payload": str(b["payload"])}
            for b in item.get("buttons") or []
            if isinstance(b, dict) and b.get("title") and b.get("payload")
        ]
        custom = item.get("custom") if isinstance(item.get("custom"), dict) else None
        if not text and not buttons and custom is None:
            continue  # images, attachments etc. are not rendered by the widget
        if not text and not buttons and messages and messages[-1]["custom"] is None:
            messages[-1]["custom"] = custom  # the data behind an answer travels with the answer
            continue
        messages.append(
            {"id": message_id(text, buttons), "text": text, "buttons": buttons, "custom": custom}
        )
    return messages


#: Rasa or its action server is restarting (supervised) or a replica failed over: try again soon.
UNAVAILABLE_MESSAGE = ("Der Assistent ist kurz nicht verfügbar. Bitte versuchen Sie es in einer Minute "
                       "noch einmal.")
#: Rasa answered with nothing at all (no rule fired): never show the citizen an empty reply.
NO_ANSWER_TEXT = ("Darauf habe ich gerade keine Antwort. Bitte formulieren Sie Ihre Frage anders "
                  "oder nennen Sie die Leistung, die Sie suchen.")
#: Seconds a replica that refused a connection is tried only after the healthy ones.
DOWN_SECONDS = 5.0


def unavailable() -> ApiError:
    return ApiError(503, "temporarily_unavailable", UNAVAILABLE_MESSAGE)


def no_answer() -> list[dict[str, Any]]:
    return [{"id": message_id(NO_ANSWER_TEXT, []), "text": NO_ANSWER_TEXT, "buttons": [], "custom": None}]


@dataclass
class Replica:
    """One Rasa server (with its own action server) the gateway may relay to."""

    rasa_url: str
    actions_health_url: str
    down_until: float = 0.0

    @property
    def webhook_url(self) -> str:
        return self.rasa_url + WEBHOOK_PATH

    def events_url(self, sender: str) -> str:
        """Rasa's HTTP API for a conversation's tracker events (only the slot ``language`` is ever sent)."""
        return f"{self.rasa_url}/conversations/{quote(sender, safe=':')}/tracker/events?include_events=NONE"


def rendezvous_order(sender: str, replicas: list[Replica]) -> list[Replica]:
    """Replicas by highest-random-weight hash of (replica, sender): consistent hashing.

    Every gateway process computes the same order, so one conversation always goes to the same
    replica while it is up (the OSS RedisLockStore alone does not serialise a conversation across
    Rasa instances, rasa#11256); if it dies, only its conversations move, to the next in order.
    """
    def weight(replica: Replica) -> bytes:
        return hashlib.sha256(f"{replica.rasa_url}\x00{sender}".encode()).digest()

    return sorted(replicas, key=weight, reverse=True)


class RasaRelay:
    """Owns the aiohttp client session (created on app startup, closed on cleanup)."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.replicas = [Replica(url, health) for url, health in settings.replicas]
        self.url = self.replicas[0].webhook_url
        self.timeout = aiohttp.ClientTimeout(total=settings.rasa_timeout)
        self._probe_timeout = aiohttp.ClientTimeout(total=2.0)
        self._clock = clock
        self._jwt_secret = settings.rasa_jwt_secret
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            timeout=self.timeout,
            connector=aiohttp.TCPConnector(limit=100),
            # Never forward proxies from the environment: Rasa is on loopback.
            trust_env=False,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def route(self, sender: str) -> list[Replica]:
        """The replicas to try for ``sender``: hash order, replicas marked down last."""
        now = self._clock()
        order = rendezvous_order(sender, self.replicas)
        return [r for r in order if r.down_until <= now] + [r for r in order if r.down_until > now]

    async def _actions_up(self, replica: Replica) -> bool:
        assert self._session is not None
        try:
            async with self._session.get(replica.actions_health_url, timeout=self._probe_timeout) as resp:
                return resp.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False

    async def _post(self, replica: Replica, body: dict[str, Any]) -> Any:
        assert self._session is not None
        for attempt in (1, 2):
            try:
                async with self._session.post(replica.webhook_url, json=body) as resp:
                    if resp.status != 200:
                        logger.warning("rasa answered HTTP %s", resp.status)
                        raise ApiError(502, "upstream_error", UNREACHABLE_MESSAGE)
                    return await resp.json(content_type=None)
            except aiohttp.ServerDisconnectedError:
                if attempt == 2:  # a pooled connection of a restarted Rasa: one fresh try
                    raise
        raise AssertionError("unreachable")

    async def _set_language(self, replica: Replica, sender: str, change: LanguageChange) -> None:
        """Set the slot ``language`` on ``replica``; a refusal is logged and the message still goes out
        (in the conversation's previous language; ``change.applied`` stays False, so the next message
        tries again). Connection errors propagate: the replica is down."""
        assert self._session is not None
        change.applied = False
        for _ in range(change.requests):  # twice for a conversation Rasa may not know yet (bot.gateway.language)
            headers = auth_header(self._jwt_secret) if self._jwt_secret else {}
            async with self._session.post(replica.events_url(sender), json=[slot_event(change.value)],
                                          headers=headers) as resp:
                await resp.read()
                if resp.status != 200:
                    logger.warning("rasa refused the language slot (HTTP %s)", resp.status)
                    return
        change.applied = True

    async def send(self, sender: str, text: str, metadata: dict[str, Any],
                   language: LanguageChange | None = None) -> list[dict[str, Any]]:
        """POST one user message to the sender's replica and return the normalized bot messages.

        With ``language``, the slot ``language`` is set first on the same replica (so the answer
        to this message is already in it). A replica that refuses the connection (dead,
        restarting) or whose action server is down is skipped for the next one in hash order;
        the other replica continues the conversation from the shared tracker store. Raises
        :class:`ApiError` 503 (all down, German "kurz nicht verfügbar"), 502 (bad answer) or
        504 (timeout). Never returns an empty list.
        """
        if self._session is None:
            raise RuntimeError("relay not started")
        body = {"sender": sender, "message": text, "metadata": metadata}
        for replica in self.route(sender):
            try:
                if language is not None:
                    await self._set_language(replica, sender, language)
                raw = await self._post(replica, body)
                messages = normalize_messages(raw)
            except asyncio.TimeoutError:
                logger.warning("rasa did not answer within %.0fs", self.timeout.total or 0)
                raise ApiError(504, "upstream_timeout", UNREACHABLE_MESSAGE) from None
            except aiohttp.ClientError as exc:
                logger.warning("rasa replica %d unreachable: %s", self.replicas.index(replica),
                               type(exc).__name__)
                replica.down_until = self._clock() + DOWN_SECONDS
                continue
            except (ValueError, json.JSONDecodeError):
                logger.warning("rasa answer is not valid JSON")
                raise ApiError(502, "upstream_error", UNREACHABLE_MESSAGE) from None
            if messages:
                replica.down_until = 0.0
                return messages
            if await self._actions_up(replica):
                logger.warning("rasa answered nothing")
                return no_answer()
            logger.warning("action server of rasa replica %d unreachable", self.replicas.index(replica))
            replica.down_until = self._clock() + DOWN_SECONDS
        raise unavailable()


async def relay_ctx(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: the client session exists only while the app runs."""
    relay: RasaRelay = app[RELAY_KEY]
    await relay.start()
    yield
    await relay.close()
