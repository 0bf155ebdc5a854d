"""``POST /api/v1/conversations/{conversation_id}/messages``: talk to the assistant as a portal.

The message goes through the same relay as the widget (Rasa's REST channel on loopback). The
Rasa sender id is namespaced per portal (``api:<portal>:<conversation_id>``), so two portals can
never read or steer each other's conversations. Citizens cannot trigger intents: a leading "/"
is removed unless the message is exactly a button payload the assistant offered in its last
answer of this conversation (remembered in memory, per process).
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.gateway.api.lookup import resolve_place
from bot.gateway.api.params import MAX_QUERY_CHARS, json_body
from bot.gateway.api.state import OFFERED_KEY, core_of, json_ok, portal_of
from bot.gateway.chat import PAYLOAD_RE, SETTINGS_KEY
from bot.gateway.errors import ApiError
from bot.gateway.relay import RELAY_KEY
from bot.gateway.tenants import register_title

if TYPE_CHECKING:
    from bot.core import Core

CONVERSATION_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# C0/C1 control characters except tab and newline.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LEADING_RE = re.compile(r"^[\s/]+")


class OfferedPayloads:
    """The button payloads of the last answer per conversation (bounded, least recently used out)."""

    def __init__(self, max_conversations: int = 10_000) -> None:
        self._max = max_conversations
        self._data: OrderedDict[str, frozenset[str]] = OrderedDict()

    def get(self, sender: str) -> frozenset[str]:
        return self._data.get(sender, frozenset())

    def remember(self, sender: str, payloads: frozenset[str]) -> None:
        self._data[sender] = payloads
        self._data.move_to_end(sender)
        while len(self._data) > self._max:
            self._data.popitem(last=False)


def conversation_id(request: web.Request) -> str:
    value = request.match_info["conversation_id"]
    if not CONVERSATION_ID_RE.match(value):
        raise ApiError(400, "invalid_conversation_id",
                       "conversation_id darf nur Buchstaben, Ziffern, _ und - enthalten (höchstens 64 Zeichen).")
    return value


def clean_text(value: Any, max_chars: int, offered: frozenset[str], max_payload_chars: int) -> str:
    """An offered payload unchanged; otherwise text without control characters and leading "/"."""
    if not isinstance(value, str):
        raise ApiError(400, "invalid_message", "'message' muss Text sein.")
    if len(value) > max_chars:
        raise ApiError(413, "message_too_long", f"Die Nachricht ist zu lang (höchstens {max_chars} Zeichen).")
    stripped = value.strip()
    if stripped in offered and len(stripped) <= max_payload_chars and PAYLOAD_RE.match(stripped):
        return stripped
    text = _LEADING_RE.sub("", _CONTROL_RE.sub("", value)).strip()
    if not text:
        raise ApiError(400, "empty_message", "Bitte geben Sie eine Nachricht ein.")
    return text


def place_metadata(core: Core, value: Any) -> dict[str, str]:
    """``place`` -> the Gemeinde context Rasa gets from a municipal website (``tenant_ags``)."""
    if not isinstance(value, str):
        raise ApiError(400, "invalid_place", "'place' muss Text sein.")
    if len(value) > MAX_QUERY_CHARS:
        raise ApiError(413, "query_too_long", f"'place' ist zu lang (höchstens {MAX_QUERY_CHARS} Zeichen).")
    if not value.strip():
        raise ApiError(400, "empty_place", "'place' ist leer.")
    result = resolve_place(core, value)
    gemeinde = result.unique
    if not result.in_bw or gemeinde is None:
        what = "liegt nicht in Baden-Württemberg" if result.in_bw is False else "ist nicht eindeutig"
        raise ApiError(400, "place_not_unique",
                       f"Der Ort {what}. Bitte geben Sie die PLZ oder den Gemeindeschlüssel (AGS) an.")
    return {"tenant_ags": gemeinde.ags, "tenant_title": register_title(gemeinde) or gemeinde.name}


def api_message(message: dict[str, Any]) -> dict[str, Any]:
    return {"text": message["text"], "buttons": message["buttons"], "data": message["custom"]}


async def post_message(request: web.Request) -> web.Response:
    cid = conversation_id(request)
    body = await json_body(request)
    portal = portal_of(request)
    settings = request.config_dict[SETTINGS_KEY]
    sender = f"api:{portal.id}:{cid}"
    offered = request.config_dict[OFFERED_KEY]
    text = clean_text(body.get("message"), settings.max_message_chars, offered.get(sender),
                      settings.max_payload_chars)
    metadata: dict[str, Any] = {"channel": "api", "portal": portal.id}
    if body.get("place") is not None:
        metadata.update(await asyncio.to_thread(place_metadata, core_of(request), body["place"]))
    messages = await request.config_dict[RELAY_KEY].send(sender, text, metadata)
    offered.remember(sender, frozenset(b["payload"] for m in messages for b in m["buttons"]))
    return json_ok({"conversation_id": cid, "messages": [api_message(m) for m in messages]})


def add_routes(app: web.Application, prefix: str) -> None:
    app.router.add_post(prefix + "/conversations/{conversation_id}/messages", post_message)
