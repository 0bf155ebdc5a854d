"""``POST /api/v1/conversations/{conversation_id}/messages``: talk to the assistant as a portal.

The message goes through the same relay as the widget (Rasa's REST channel on loopback). The
Rasa sender id is namespaced per portal (``api:<portal>:<conversation_id>``), so two portals can
never read or steer each other's conversations. Citizens cannot trigger intents: a leading "/"
is removed unless the message is exactly a button payload the assistant offered in its last
answer of this conversation (the one policy for widget and API: ``bot.gateway.input_policy``).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.gateway.api.lookup import resolve_place
from bot.gateway.api.params import MAX_QUERY_CHARS, json_body
from bot.gateway.api.state import core_of, json_ok, portal_of
from bot.gateway.chat import SETTINGS_KEY
from bot.gateway.errors import ApiError
from bot.gateway.input_policy import answer_language, clean_text, text_or_offered, valid_id
from bot.gateway.language import DETECTOR_KEY, language_turn, remember_change
from bot.gateway.memory import MEMORY_KEY
from bot.gateway.relay import RELAY_KEY
from bot.gateway.tenants import register_title
from bot.gateway.turns import TURNS_KEY

if TYPE_CHECKING:
    from bot.core import Core

def conversation_id(request: web.Request) -> str:
    value = request.match_info["conversation_id"]
    if not valid_id(value):
        raise ApiError(400, "invalid_conversation_id",
                       "conversation_id darf nur Buchstaben, Ziffern, _ und - enthalten (höchstens 64 Zeichen).")
    return value


def place_metadata(core: Core, value: Any) -> dict[str, str]:
    """``place`` -> the Gemeinde context Rasa gets from a municipal website (``tenant_ags``)."""
    value = clean_text(value, MAX_QUERY_CHARS, code="invalid_place", what="'place'")
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
    memory = request.config_dict[MEMORY_KEY]
    metadata: dict[str, Any] = {"channel": "api", "portal": portal.id}
    language = answer_language(body.get("lang"))  # e.g. "de-LS": answers in Leichter Sprache
    if body.get("place") is not None:
        metadata.update(await asyncio.to_thread(place_metadata, core_of(request), body["place"]))
    async with request.config_dict[TURNS_KEY].turn(sender):  # one message per conversation at a time
        text = text_or_offered(body.get("message"), await memory.offered(sender), settings.max_message_chars,
                               settings.max_payload_chars)
        typed = None if text.startswith("/") else text  # an offered payload; typed text has no leading "/"
        turn = await language_turn(memory, sender, language, typed, request.config_dict[DETECTOR_KEY])
        messages = await request.config_dict[RELAY_KEY].send(sender, text, metadata, turn.change)
        await remember_change(memory, sender, turn.change)
        await memory.remember(sender, messages)
    return json_ok({"conversation_id": cid, "messages": [api_message(m) for m in messages], "lang": turn.answered})


def add_routes(app: web.Application, prefix: str) -> None:
    app.router.add_post(prefix + "/conversations/{conversation_id}/messages", post_message)
