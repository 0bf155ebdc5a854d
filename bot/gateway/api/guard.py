"""The API's front door: CORS for portal origins, API key (401), origin (403), rate limit (429).

A gateway middleware placed outside ``error_middleware`` that only acts on ``/api/v1/…``, so
every API answer — also the errors produced here — carries the CORS and security headers. The OpenAPI document and the
documentation page are public; everything else needs ``X-API-Key``.
"""

from __future__ import annotations

import logging
import time

from aiohttp import web

from bot.gateway.api.ratelimit import CLIENT_LIMITS_KEY, check_client
from bot.gateway.api.state import API_PREFIX, KEYS_KEY, LIMITER_KEY, PORTAL
from bot.gateway.errors import ApiError, Handler, error_response
from bot.gateway.tenants import normalize_origin

logger = logging.getLogger("bot.gateway.api")

PUBLIC_PATHS = frozenset({f"{API_PREFIX}/openapi.json", f"{API_PREFIX}/docs", f"{API_PREFIX}/docs.css"})
API_KEY_HEADER = "X-API-Key"


def _origin_refused() -> web.Response:
    return error_response(403, "origin_not_allowed",
                          "Diese Website ist für den API-Schlüssel nicht freigeschaltet.")


def _preflight(allowed: bool) -> web.Response:
    if not allowed:
        return _origin_refused()
    return web.Response(status=204, headers={
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": f"Content-Type, {API_KEY_HEADER}",
        "Access-Control-Max-Age": "600",
    })


def _operation(request: web.Request) -> str:
    """The route template ("/api/v1/services/{service_id}"): no ids or query texts in logs."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


async def _guarded(request: web.Request, handler: Handler) -> tuple[web.StreamResponse, str | None]:
    """Authenticate, check origin and rate limit, run the handler; returns the portal's origin if allowed."""
    registry = request.config_dict[KEYS_KEY]
    portal = registry.authenticate(request.headers.get(API_KEY_HEADER))
    origin = request.headers.get("Origin")
    if portal is None:
        shared = origin if registry.allows_origin(origin) else None
        try:  # wrong keys are limited per client, so guessing costs time
            await check_client(request, "badkey", request.app[CLIENT_LIMITS_KEY].bad_keys_per_minute)
        except ApiError as exc:
            return error_response(exc.status, exc.code, exc.message, exc.headers), shared
        return error_response(401, "unauthorized",
                              f"API-Schlüssel fehlt oder ist ungültig (Header {API_KEY_HEADER})."), shared
    cors_origin = None
    if origin is not None:
        normalized = normalize_origin(origin)
        if normalized is None or normalized not in portal.origins:
            return _origin_refused(), None
        cors_origin = origin
    wait = await request.config_dict[LIMITER_KEY].check(portal.id, portal.rate_limit)
    if wait:
        response = error_response(429, "rate_limited",
                                  f"Zu viele Anfragen. Bitte versuchen Sie es in {wait} Sekunden erneut.")
        response.headers["Retry-After"] = str(wait)
        logger.info("api portal=%s rate limited", portal.id)
        return response, cors_origin
    request[PORTAL] = portal
    started = time.monotonic()
    response = await handler(request)
    # Privacy: portal, route template, status and timing only — never texts, ids or addresses.
    logger.info("api portal=%s %s %s status=%s ms=%d", portal.id, request.method, _operation(request),
                response.status, (time.monotonic() - started) * 1000)
    return response, cors_origin


@web.middleware
async def api_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX + "/"):
        return await handler(request)
    origin = request.headers.get("Origin")
    registry = request.config_dict[KEYS_KEY]
    cors_origin: str | None
    if request.method == "OPTIONS" and origin and "Access-Control-Request-Method" in request.headers:
        allowed = registry.allows_origin(origin)
        response: web.StreamResponse = _preflight(allowed)
        cors_origin = origin if allowed else None
    elif request.path in PUBLIC_PATHS:
        response = await handler(request)
        cors_origin = origin if registry.allows_origin(origin) else None
    else:
        response, cors_origin = await _guarded(request, handler)
        response.headers["Vary"] = f"Origin, {API_KEY_HEADER}"
    if cors_origin:
        response.headers["Access-Control-Allow-Origin"] = cors_origin
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"
    response.headers.setdefault("Vary", "Origin")
    return response  # security headers (CSP etc.): bot.gateway.static.security_headers
