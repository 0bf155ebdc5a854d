"""Relay to Rasa's REST channel on loopback.

The gateway only ever POSTs to ``{rasa_url}/webhooks/rest/webhook`` (see
docs/dev/contracts.md, "Gateway -> Rasa"); no request path or field chosen by the client
becomes part of the upstream URL, so Rasa's HTTP API stays unreachable from outside.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web

from bot.gateway.errors import UNREACHABLE_MESSAGE, ApiError
from bot.gateway.settings import Settings

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


class RasaRelay:
    """Owns the aiohttp client session (created on app startup, closed on cleanup)."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.webhook_url
        self.timeout = aiohttp.ClientTimeout(total=settings.rasa_timeout)
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

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """POST one user message to Rasa and return the normalized bot messages.

        Raises :class:`ApiError` 502 (unreachable / bad answer) or 504 (timeout).
        """
        if self._session is None:
            raise RuntimeError("relay not started")
        body = {"sender": sender, "message": text, "metadata": metadata}
        try:
            async with self._session.post(self.url, json=body) as resp:
                if resp.status != 200:
                    logger.warning("rasa answered HTTP %s", resp.status)
                    raise ApiError(502, "upstream_error", UNREACHABLE_MESSAGE)
                raw = await resp.json(content_type=None)
            return normalize_messages(raw)
        except asyncio.TimeoutError:
            logger.warning("rasa did not answer within %.0fs", self.timeout.total or 0)
            raise ApiError(504, "upstream_timeout", UNREACHABLE_MESSAGE) from None
        except aiohttp.ClientError as exc:
            logger.warning("rasa unreachable: %s", type(exc).__name__)
            raise ApiError(502, "upstream_unreachable", UNREACHABLE_MESSAGE) from None
        except (ValueError, json.JSONDecodeError):
            logger.warning("rasa answer is not valid JSON")
            raise ApiError(502, "upstream_error", UNREACHABLE_MESSAGE) from None


async def relay_ctx(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: the client session exists only while the app runs."""
    relay: RasaRelay = app[RELAY_KEY]
    await relay.start()
    yield
    await relay.close()
