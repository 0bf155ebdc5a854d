"""What the gateway delivered per conversation: the button payloads of the last answer and the
ids of the last answers. :mod:`bot.gateway.input_policy` accepts a click or a feedback only for
what this conversation was really offered. Also the conversation's answer language, so that the
gateway sets Rasa's slot ``language`` only when it changes (:mod:`bot.gateway.language`).

Two backends behind one async interface (:class:`ConversationMemory`):

* :class:`InMemoryConversationMemory` (default): per process, LRU-bounded.
* :class:`RedisConversationMemory`, whenever the gateway has a Redis URL (production profile:
  several gateway processes share one port, so a button offered by one process may be clicked
  through another). It uses the asyncio client (``redis.asyncio``), so the event loop never
  blocks, with a short socket timeout on the loopback Redis. Stored per conversation, under
  ``bwbuergerservice:memory:<sha256 of the conversation key>``: a set of the payload strings the
  bot produced in its last answer, a list of the last message ids and the language tag (all
  bounded, all expire :data:`TTL_SECONDS` after the conversation's last answer). No citizen text
  and no plain sender id is stored.

**Fail safe:** if Redis is unreachable, nothing counts as offered or delivered — clicks get
the usual "nicht mehr aktuell" message and feedback "nicht (mehr) bekannt"; the language counts as
unknown, so the gateway sets the slot again (harmless, Rasa keeps the last value); typed text is
never affected. The outage is logged once, without keys.
The ``redis`` package is imported only when a Redis URL is configured.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import web

from bot.gateway import redis_async

logger = logging.getLogger("bot.gateway.memory")

KEY_PREFIX = "bwbuergerservice:memory:"
#: A conversation's memory expires 24 h after its last answer (renewed by every answer): a
#: button older than that is "nicht mehr aktuell", typing still works. Far below the 30-day
#: retention of conversations.
TTL_SECONDS = 24 * 60 * 60
IDS_PER_CONVERSATION = 30
#: More buttons than this in one answer are not remembered (the bot offers a handful).
MAX_PAYLOADS = 64
#: Longer payloads are never accepted anyway (``Settings.max_payload_chars`` is 300).
MAX_PAYLOAD_CHARS = 1000


class ConversationMemory(Protocol):
    """What the gateway delivered per conversation (async: a backend may be shared)."""

    async def offered(self, sender: str) -> frozenset[str]: ...

    async def knows_message(self, sender: str, message_id: str) -> bool: ...

    async def remember(self, sender: str, messages: list[dict[str, Any]]) -> None: ...

    async def language(self, sender: str) -> str | None: ...

    async def remember_language(self, sender: str, language: str) -> None: ...

    async def close(self) -> None: ...


def offered_in(messages: list[dict[str, Any]]) -> list[str]:
    """The button payloads of an answer, bounded in count and length."""
    payloads: list[str] = []
    for message in messages:
        for button in message.get("buttons") or ():
            payload = button.get("payload")
            if isinstance(payload, str) and len(payload) <= MAX_PAYLOAD_CHARS and payload not in payloads:
                payloads.append(payload)
                if len(payloads) == MAX_PAYLOADS:
                    return payloads
    return payloads


def ids_in(messages: list[dict[str, Any]]) -> list[str]:
    return [m["id"] for m in messages if isinstance(m.get("id"), str) and m["id"]]


#: A language tag is short ("de-LS"); anything longer is never stored.
MAX_LANGUAGE_CHARS = 16


@dataclass
class _Seen:
    payloads: frozenset[str] = frozenset()
    message_ids: deque[str] = field(default_factory=deque)
    language: str | None = None


class InMemoryConversationMemory:
    """Button payloads of the last answer and the last message ids, per conversation (LRU-bounded)."""

    def __init__(self, max_conversations: int = 10_000, ids_per_conversation: int = IDS_PER_CONVERSATION) -> None:
        self._max = max_conversations
        self._ids = ids_per_conversation
        self._data: OrderedDict[str, _Seen] = OrderedDict()

    async def offered(self, sender: str) -> frozenset[str]:
        seen = self._data.get(sender)
        return seen.payloads if seen else frozenset()

    async def knows_message(self, sender: str, message_id: str) -> bool:
        seen = self._data.get(sender)
        return seen is not None and message_id in seen.message_ids

    async def remember(self, sender: str, messages: list[dict[str, Any]]) -> None:
        seen = self._seen(sender)
        seen.payloads = frozenset(offered_in(messages))
        seen.message_ids.extend(ids_in(messages))

    async def language(self, sender: str) -> str | None:
        seen = self._data.get(sender)
        return seen.language if seen else None

    async def remember_language(self, sender: str, language: str) -> None:
        if len(language) <= MAX_LANGUAGE_CHARS:
            self._seen(sender).language = language

    def _seen(self, sender: str) -> _Seen:
        seen = self._data.get(sender) or _Seen(message_ids=deque(maxlen=self._ids))
        self._data[sender] = seen
        self._data.move_to_end(sender)
        while len(self._data) > self._max:
            self._data.popitem(last=False)
        return seen

    async def close(self) -> None:
        return None

    def __len__(self) -> int:
        return len(self._data)


class RedisConversationMemory:
    """The same memory in Redis, shared by every gateway process; refuses on Redis errors."""

    def __init__(self, url: str, prefix: str = KEY_PREFIX, timeout: float = 0.5,
                 ttl_seconds: int = TTL_SECONDS, ids_per_conversation: int = IDS_PER_CONVERSATION,
                 client: Any | None = None) -> None:
        self._url, self._timeout, self._client = url, timeout, client
        self._prefix, self._ttl, self._ids = prefix, int(ttl_seconds), ids_per_conversation
        self._degraded = False

    def _redis(self) -> Any:
        # Created on first use, inside the running event loop (bot/gateway/redis_async.py).
        if self._client is None:
            self._client = redis_async.connect(self._url, self._timeout)
        return self._client

    def _keys(self, sender: str) -> tuple[str, str, str]:
        digest = hashlib.sha256(sender.encode("utf-8")).hexdigest()
        return f"{self._prefix}{digest}:payloads", f"{self._prefix}{digest}:ids", f"{self._prefix}{digest}:lang"

    def _failed(self, exc: BaseException) -> None:
        if not self._degraded:
            logger.warning("shared conversation memory unavailable (%s); button clicks and feedback "
                           "are refused until it is back", type(exc).__name__)
            self._degraded = True

    def _ok(self) -> None:
        if self._degraded:
            logger.info("shared conversation memory available again")
            self._degraded = False

    async def offered(self, sender: str) -> frozenset[str]:
        try:
            members = await self._redis().smembers(self._keys(sender)[0])
        except Exception as exc:  # noqa: BLE001 - redis.RedisError, OSError, timeouts: fail safe
            self._failed(exc)
            return frozenset()
        self._ok()
        return frozenset(_text(m) for m in members)

    async def knows_message(self, sender: str, message_id: str) -> bool:
        try:
            ids = await self._redis().lrange(self._keys(sender)[1], 0, -1)
        except Exception as exc:  # noqa: BLE001 - fail safe: not known
            self._failed(exc)
            return False
        self._ok()
        return message_id in {_text(i) for i in ids}

    async def remember(self, sender: str, messages: list[dict[str, Any]]) -> None:
        payloads_key, ids_key, lang_key = self._keys(sender)
        payloads, ids = offered_in(messages), ids_in(messages)
        try:
            async with self._redis().pipeline(transaction=True) as pipe:  # MULTI/EXEC: atomic
                pipe.delete(payloads_key)
                if payloads:
                    pipe.sadd(payloads_key, *payloads)
                    pipe.expire(payloads_key, self._ttl)
                if ids:
                    pipe.rpush(ids_key, *ids)
                    pipe.ltrim(ids_key, -self._ids, -1)
                pipe.expire(ids_key, self._ttl)
                pipe.expire(lang_key, self._ttl)  # the language lives as long as the rest
                await pipe.execute()
        except Exception as exc:  # noqa: BLE001 - the answer is still delivered; its buttons are refused
            self._failed(exc)
            return
        self._ok()

    async def language(self, sender: str) -> str | None:
        try:
            value = await self._redis().get(self._keys(sender)[2])
        except Exception as exc:  # noqa: BLE001 - fail safe: unknown, the slot is set again
            self._failed(exc)
            return None
        self._ok()
        return _text(value) if value is not None else None

    async def remember_language(self, sender: str, language: str) -> None:
        if len(language) > MAX_LANGUAGE_CHARS:
            return
        try:
            await self._redis().set(self._keys(sender)[2], language, ex=self._ttl)
        except Exception as exc:  # noqa: BLE001 - unknown next time: the slot is set once more
            self._failed(exc)
            return
        self._ok()

    async def close(self) -> None:
        client, self._client = self._client, None
        await redis_async.close(client, "conversation memory")


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def make_memory(redis_url: str | None) -> InMemoryConversationMemory | RedisConversationMemory:
    """Per process, or shared through Redis when the gateway has a Redis URL."""
    return RedisConversationMemory(redis_url) if redis_url else InMemoryConversationMemory()


async def close_memory(app: web.Application) -> None:
    """``on_cleanup``: close the Redis connections of the app's memory."""
    await app[MEMORY_KEY].close()


MEMORY_KEY: web.AppKey[ConversationMemory] = web.AppKey("conversation_memory")
