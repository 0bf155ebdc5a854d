"""Application keys of the API and the small helpers its handlers share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.gateway.errors import ApiError, json_dumps

if TYPE_CHECKING:
    from bot.core import Core
    from bot.gateway.api.keys import KeyRegistry, Portal
    from bot.gateway.api.ratelimit import Limiter
    from bot.gateway.api.status import DataInfo, Upstream

API_PREFIX = "/api/v1"

CORE_KEY: web.AppKey[Core | None] = web.AppKey("api_core")
DATA_INFO_KEY: web.AppKey[DataInfo] = web.AppKey("api_data_info")
KEYS_KEY: web.AppKey[KeyRegistry] = web.AppKey("api_keys")
LIMITER_KEY: web.AppKey[Limiter] = web.AppKey("api_rate_limiter")
UPSTREAM_KEY: web.AppKey[Upstream] = web.AppKey("api_upstream")
SPEC_KEY: web.AppKey[dict[str, Any]] = web.AppKey("api_spec")
DOCS_KEY: web.AppKey[str] = web.AppKey("api_docs_html")

#: Per-request key under which the guard stores the authenticated :class:`Portal`.
PORTAL = "api_portal"


def data_unavailable() -> ApiError:
    return ApiError(503, "data_unavailable", "Die Orts- und Leistungsdaten sind gerade nicht verfügbar. "
                    "Bitte versuchen Sie es später noch einmal.")


def portal_of(request: web.Request) -> Portal:
    return request[PORTAL]


def core_of(request: web.Request) -> Core:
    """The loaded domain core, or 503 ``data_unavailable``."""
    core = request.config_dict.get(CORE_KEY)
    if core is None:
        raise data_unavailable()
    return core


def json_ok(data: Any, status: int = 200, cache: str = "no-store") -> web.Response:
    return web.json_response(data, status=status, dumps=json_dumps, headers={"Cache-Control": cache})
