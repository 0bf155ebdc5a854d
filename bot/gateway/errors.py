"""JSON error shape ``{"error": {"code", "message"}}`` and the middleware that enforces it.

Every failure leaves the gateway as this shape with a German message a citizen can read;
stack traces never reach the client (nor the log, which gets the exception type only).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

logger = logging.getLogger("bot.gateway")

UNREACHABLE_MESSAGE = (
    "Der Chat ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal."
)

#: JSON with real umlauts (``ensure_ascii=False``); aiohttp encodes the body as UTF-8.
json_dumps = functools.partial(json.dumps, ensure_ascii=False)

_GENERIC: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Die Anfrage ist ungültig."),
    403: ("forbidden", "Zugriff verweigert."),
    404: ("not_found", "Diese Adresse gibt es nicht."),
    405: ("method_not_allowed", "Diese Methode ist hier nicht erlaubt."),
    408: ("request_timeout", "Die Anfrage hat zu lange gedauert."),
    413: ("too_large", "Die Anfrage ist zu groß."),
    414: ("uri_too_long", "Die Adresse ist zu lang."),
    415: ("unsupported_media_type", "Bitte senden Sie JSON (Content-Type: application/json)."),
    429: ("rate_limited", "Zu viele Anfragen. Bitte versuchen Sie es gleich noch einmal."),
    431: ("headers_too_large", "Die Kopfzeilen der Anfrage sind zu groß."),
    500: ("internal_error", "Es ist ein interner Fehler aufgetreten."),
    504: ("upstream_timeout", UNREACHABLE_MESSAGE),
}


class ApiError(Exception):
    """An error with an HTTP status, a stable machine code and a German message."""

    def __init__(self, status: int, code: str, message: str,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def error_response(status: int, code: str, message: str,
                   headers: Mapping[str, str] | None = None) -> web.Response:
    """The one JSON error shape of the gateway."""
    return web.json_response(
        {"error": {"code": code, "message": message}},
        status=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
        dumps=json_dumps,
    )


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn :class:`ApiError`, aiohttp's HTTP errors and crashes into the JSON shape."""
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message, exc.headers)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code, message = _GENERIC.get(exc.status, ("http_error", "Die Anfrage ist fehlgeschlagen."))
        resp = error_response(exc.status, code, message)
        for name in ("Allow", "Retry-After"):
            if name in exc.headers:
                resp.headers[name] = exc.headers[name]
        return resp
    except asyncio.TimeoutError:
        code, message = _GENERIC[504]
        return error_response(504, code, message)
    except Exception as exc:  # noqa: BLE001 - last line of defence, never leak a trace
        # Only the type and the route template: messages and paths may hold request data.
        logger.error("unhandled error on %s %s: %s", request.method, route_of(request), type(exc).__name__)
        code, message = _GENERIC[500]
        return error_response(500, code, message)


def route_of(request: web.BaseRequest) -> str:
    """The matched route template ("/api/v1/services/{service_id}"), never the decoded path."""
    try:
        match_info = request.match_info  # type: ignore[attr-defined]
    except (AttributeError, AssertionError):  # a request that never reached routing (parser error)
        match_info = None
    route = getattr(match_info, "route", None)
    resource = getattr(route, "resource", None)
    return resource.canonical if resource is not None else "unmatched"
