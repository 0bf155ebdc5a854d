"""Places and services: the ``bot place`` / ``bot lookup`` shapes over HTTP, plus full records and offices."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.gateway.api.params import language_param, limit_param, optional_text, required_text
from bot.gateway.api.state import core_of, json_ok
from bot.gateway.errors import ApiError

if TYPE_CHECKING:
    from bot.core import Core
    from bot.places import PlaceResult

_SERVICE_ID_RE = re.compile(r"[a-z0-9_-]{1,64}", re.ASCII)
PLACE_LIMIT_DEFAULT = 10
SERVICE_LIMIT_DEFAULT = 5
#: Cache for answers that only depend on the data (and so change with a new release only).
DATA_CACHE = "private, max-age=300"


def place_not_found(text: str) -> ApiError:
    shown = " ".join(text.split())[:80]
    return ApiError(404, "place_not_found", f"Ort nicht gefunden: {shown}")


def resolve_place(core: Core, text: str) -> PlaceResult:
    """``core.place`` with 404 ``place_not_found`` when nothing is recognised (like ``bot place``)."""
    result = core.place(text)
    if result.in_bw is None:
        raise place_not_found(text)
    return result


def place_dict(result: PlaceResult, limit: int = 20) -> dict[str, Any]:
    out = result.to_dict()
    out["candidates"] = out["candidates"][:limit]
    return out


def service_or_404(core: Core, service_id: str):
    service = core.catalogue.get(service_id) if _SERVICE_ID_RE.fullmatch(service_id) else None
    if service is None:
        raise ApiError(404, "service_not_found", f"Leistung nicht gefunden: {service_id[:64]}")
    return service


async def get_places(request: web.Request) -> web.Response:
    q = required_text(request, "q")
    limit = limit_param(request, PLACE_LIMIT_DEFAULT)
    core = core_of(request)
    result = await asyncio.to_thread(resolve_place, core, q)
    return json_ok(place_dict(result, limit), cache=DATA_CACHE)


def _lookup(core: Core, q: str, place: str | None, limit: int, language: str | None = None) -> dict[str, Any]:
    if place is not None:
        resolve_place(core, place)
    out = core.lookup(q, place, limit).to_dict()
    if out["place"] is not None:
        out["place"]["candidates"] = out["place"]["candidates"][:20]
    if language is not None:  # the texts in that language beside each hit (standard German where none)
        core.add_texts(out["services"], language)
    return out


async def search_services(request: web.Request) -> web.Response:
    q = required_text(request, "q")
    place = optional_text(request, "place")
    limit = limit_param(request, SERVICE_LIMIT_DEFAULT)
    language = language_param(request)
    core = core_of(request)
    return json_ok(await asyncio.to_thread(_lookup, core, q, place, limit, language), cache=DATA_CACHE)


async def get_service(request: web.Request) -> web.Response:
    language = language_param(request)
    core = core_of(request)
    service = service_or_404(core, request.match_info["service_id"])
    record = service.to_dict()
    if language is not None:
        record["texts"] = core.texts(service, language).to_dict()
    return json_ok(record, cache=DATA_CACHE)


def _office(core: Core, service_id: str, place: str) -> dict[str, Any]:
    service = service_or_404(core, service_id)
    result = resolve_place(core, place)
    office = core.office(service, result) if result.in_bw else None
    return {"service": service.summary(), "place": place_dict(result),
            "office": office.to_dict() if office else None}


async def get_service_office(request: web.Request) -> web.Response:
    place = required_text(request, "place")
    core = core_of(request)
    data = await asyncio.to_thread(_office, core, request.match_info["service_id"], place)
    return json_ok(data, cache=DATA_CACHE)


def add_routes(app: web.Application, prefix: str) -> None:
    app.router.add_get(prefix + "/places", get_places)
    app.router.add_get(prefix + "/services", search_services)
    app.router.add_get(prefix + "/services/{service_id}", get_service)
    app.router.add_get(prefix + "/services/{service_id}/office", get_service_office)
