"""``POST /chat/messages`` and ``POST /chat/feedback``: validation, tenant checks, CORS.

Only what a citizen may legitimately send reaches Rasa (policy: ``bot.gateway.input_policy``):
typed text has all leading "/" and whitespace removed (no direct intent triggering); a
"/intent{...}" payload is only accepted in the separate ``payload`` field, and only if it is a
button of the assistant's last answer in this conversation; feedback only for delivered answers.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from aiohttp import web

from bot.gateway.api.ratelimit import CLIENT_LIMITS_KEY, check_client
from bot.gateway.errors import ApiError, Handler, error_response, json_dumps
from bot.gateway.input_policy import (
    answer_language,
    offered_payload,
    read_json_object,
    typed_text,
    valid_ags,
    valid_id,
    valid_uuid,
)
from bot.gateway.language import DETECTOR_KEY, language_turn, remember_change
from bot.gateway.memory import MEMORY_KEY
from bot.gateway.relay import RELAY_KEY
from bot.gateway.settings import Settings
from bot.gateway.tenants import Tenant, TenantRegistry
from bot.gateway.turns import TURNS_KEY

logger = logging.getLogger("bot.gateway.chat")

TENANTS_KEY: web.AppKey[TenantRegistry] = web.AppKey("tenants")
SETTINGS_KEY: web.AppKey[Settings] = web.AppKey("settings")


FEEDBACK_INTENTS = {"up": "/feedback_positive", "down": "/feedback_negative"}


def tenant_for_request(request: web.Request) -> Tenant:
    """The tenant whose website sent this request (by ``Origin``), else 403."""
    tenant = request.app[TENANTS_KEY].for_origin(request.headers.get("Origin"))
    if tenant is None:
        raise ApiError(
            403,
            "origin_not_allowed",
            "Der Chat ist für diese Website nicht freigeschaltet. "
            "Bitte wenden Sie sich an Ihre Gemeindeverwaltung.",
        )
    return tenant


async def read_json(request: web.Request) -> dict[str, Any]:
    """The JSON object body (see :func:`bot.gateway.input_policy.read_json_object`)."""
    return await read_json_object(request, request.app[SETTINGS_KEY].max_body_bytes)


def validate_sender(value: Any) -> str:
    if not valid_uuid(value):
        raise ApiError(400, "invalid_sender_id", "Die Sitzungskennung (sender_id) ist ungültig.")
    return str(uuid.UUID(value))


def validate_ags(tenant: Tenant, value: Any) -> str:
    if not valid_ags(value):
        raise ApiError(400, "invalid_ags",
                       "Der Gemeindeschlüssel (AGS) muss aus 8 Ziffern bestehen und mit 08 beginnen.")
    if not tenant.may_claim(value):
        raise ApiError(403, "ags_not_allowed",
                       f"Diese Website darf den Chat nicht für die Gemeinde {value} anbieten.")
    return value


def clean_message(value: Any, max_chars: int) -> str:
    """Typed text (see :func:`bot.gateway.input_policy.typed_text`)."""
    return typed_text(value, max_chars)


def conversation_key(tenant: Tenant, ags: str, sender: str) -> str:
    """Rasa's sender id: the browser's id namespaced per tenant and Gemeinde (like ``api:<portal>:``).

    The same browser id under another tenant's site or another Gemeinde is another
    conversation, so a remembered place can never answer for a different Gemeinde's site.
    """
    return f"web:{tenant.id}:{ags}:{sender}"


def metadata_for(tenant: Tenant, ags: str, **extra: Any) -> dict[str, Any]:
    return {"tenant_ags": ags, "tenant_title": tenant.title_for(ags), **extra}


def _log(tenant: Tenant, ags: str, kind: str, started: float, count: int | None) -> None:
    # Privacy: tenant, AGS, kind and timing only — never texts, sender ids or IPs.
    logger.info("relay tenant=%s ags=%s kind=%s messages=%s ms=%d",
                tenant.id, ags, kind, count, (time.monotonic() - started) * 1000)


async def post_message(request: web.Request) -> web.Response:
    """Citizen text or an offered button payload -> Rasa -> ``{"messages": [...], "lang": "<tag>"}``.

    ``lang`` (optional, one of ``bot.languages.LANGUAGES``) is the language the citizen chose; without
    it, typed text clearly in another served language switches the conversation. When the language
    changes, the slot ``language`` is set in Rasa first; the response's ``lang`` is the conversation's
    answer language after this message (:mod:`bot.gateway.language`)."""
    started = time.monotonic()
    tenant = tenant_for_request(request)
    body = await read_json(request)
    settings = request.app[SETTINGS_KEY]
    sender = validate_sender(body.get("sender_id"))
    ags = validate_ags(tenant, body.get("ags"))
    sender = conversation_key(tenant, ags, sender)
    has_message, has_payload = body.get("message") is not None, body.get("payload") is not None
    if has_message == has_payload:
        raise ApiError(400, "invalid_message",
                       "Bitte senden Sie entweder eine Nachricht oder eine Auswahl.")
    memory = request.app[MEMORY_KEY]
    typed = None if has_payload else clean_message(body["message"], settings.max_message_chars)
    language = answer_language(body.get("lang"))
    async with request.app[TURNS_KEY].turn(sender):  # one message per conversation at a time
        if typed is None:  # checked in turn: the offered buttons are those of the previous answer
            text = offered_payload(body["payload"], await memory.offered(sender), settings.max_payload_chars)
            kind = "payload"
        else:
            text, kind = typed, "message"
        turn = await language_turn(memory, sender, language, typed, request.app[DETECTOR_KEY])
        messages = await request.app[RELAY_KEY].send(sender, text, metadata_for(tenant, ags), turn.change)
        await remember_change(memory, sender, turn.change)
        await memory.remember(sender, messages)
    _log(tenant, ags, kind, started, len(messages))
    return web.json_response({"messages": messages, "lang": turn.answered}, headers={"Cache-Control": "no-store"},
                             dumps=json_dumps)


async def post_feedback(request: web.Request) -> web.Response:
    """Thumbs up/down for an answer the gateway delivered in this conversation."""
    started = time.monotonic()
    tenant = tenant_for_request(request)
    body = await read_json(request)
    sender = validate_sender(body.get("sender_id"))
    ags = validate_ags(tenant, body.get("ags"))
    sender = conversation_key(tenant, ags, sender)
    message_id = body.get("message_id")
    if not valid_id(message_id):
        raise ApiError(400, "invalid_message_id", "Die Kennung der Antwort ist ungültig.")
    value = body.get("value")
    if not isinstance(value, str) or value not in FEEDBACK_INTENTS:
        raise ApiError(400, "invalid_feedback", "Die Bewertung muss 'up' oder 'down' sein.")
    memory = request.app[MEMORY_KEY]
    if not await memory.knows_message(sender, message_id):
        raise ApiError(404, "unknown_message",
                       "Diese Antwort ist nicht (mehr) bekannt. Ihre Bewertung wurde nicht gespeichert.")
    meta = metadata_for(tenant, ags, feedback_for=message_id)
    async with request.app[TURNS_KEY].turn(sender):
        messages = await request.app[RELAY_KEY].send(sender, FEEDBACK_INTENTS[value], meta)
    _log(tenant, ags, f"feedback_{value}", started, len(messages))
    return web.json_response({"ok": True, "messages": messages}, headers={"Cache-Control": "no-store"},
                             dumps=json_dumps)


@web.middleware
async def cors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """CORS and the per-client rate limit for ``/chat/*``: only tenant origins get
    ``Access-Control-Allow-Origin``."""
    if not request.path.startswith("/chat/"):
        return await handler(request)
    origin = request.headers.get("Origin")
    allowed = request.app[TENANTS_KEY].for_origin(origin) is not None
    if request.method == "OPTIONS":
        if not allowed:
            response: web.StreamResponse = error_response(
                403, "origin_not_allowed", "Der Chat ist für diese Website nicht freigeschaltet.")
        else:
            response = web.Response(status=204, headers={
                "Access-Control-Allow-Methods": "POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "600",
            })
    else:
        try:  # per client, before any parsing; the 429 keeps the CORS header so the widget can show it
            await check_client(request, "chat", request.app[CLIENT_LIMITS_KEY].chat_per_minute)
        except ApiError as exc:
            response = error_response(exc.status, exc.code, exc.message, exc.headers)
        else:
            response = await handler(request)
    if allowed and origin:
        response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Vary"] = "Origin"
    return response
