"""The ``/api/v1`` routes and what they load at startup (registered by :func:`setup_api`).

The routes live on the gateway app itself: aiohttp 3.9's sub-applications resolve through
``request.url``, which the pinned yarl cannot build from a ``host:port`` Host header.
Nothing is read at import time. On startup the API keys are loaded (or a local demo key is
generated), the domain core is loaded once in a worker thread and the documentation page is
rendered from the OpenAPI document.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from aiohttp import web

from bot.gateway.api import conversations, lookup, status
from bot.gateway.api.keys import KeyRegistry, demo_registry, load_keys
from bot.gateway.api.spec import CSS_PATH, load_spec, render_docs
from bot.gateway.api.state import (
    API_PREFIX,
    CORE_KEY,
    DATA_INFO_KEY,
    DOCS_KEY,
    KEYS_KEY,
    LIMITER_KEY,
    SPEC_KEY,
    UPSTREAM_KEY,
    json_ok,
)
from bot.gateway.chat import SETTINGS_KEY
from bot.gateway.limits import close_limiter, make_rate_limiter
from bot.gateway.settings import Settings

if TYPE_CHECKING:
    from bot.core import Core

logger = logging.getLogger("bot.gateway.api")


@functools.lru_cache(maxsize=4)
def _rules_stand(path: Path) -> str | None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    rules = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506 - a safe loader
    return str(rules["stand"]) if isinstance(rules, dict) and rules.get("stand") else None


def load_core() -> tuple[Core, status.DataInfo]:
    """The domain core and the Stand of its data (blocking: run in a worker thread)."""
    from bot.config import catalogue_dir  # noqa: PLC0415 - lazy: keeps `import bot.gateway` cheap
    from bot.core import get_core  # noqa: PLC0415

    core = get_core()
    services = max((s.stand for s in core.catalogue.curated if s.stand), default=None)
    responsibility = (_rules_stand(catalogue_dir() / "responsibility.yml")
                      or core.responsibility.longtail_meta.get("stand") or None)
    return core, status.DataInfo(services, str(responsibility) if responsibility else None)


def load_registry(settings: Settings) -> KeyRegistry:
    path = settings.api_keys_path
    if path.is_file():
        registry = load_keys(path)
        logger.info("API: %d portal keys from %s", len(registry), path.name)
        return registry
    if settings.demo_api_key:
        origins = [f"http://127.0.0.1:{settings.port}", f"http://localhost:{settings.port}"]
        registry, key = demo_registry(origins)
        print(f"API (/api/v1): lokaler Demo-Schlüssel für diesen Start (nicht gespeichert): {key}", flush=True)
        return registry
    logger.warning("API: no key file %s; every /api/v1 request except the docs gets 401", path.name)
    return KeyRegistry()


async def _startup(app: web.Application) -> None:
    settings = app[SETTINGS_KEY]
    app[KEYS_KEY] = load_registry(settings)
    try:
        app[CORE_KEY], app[DATA_INFO_KEY] = await asyncio.to_thread(load_core)
    except Exception as exc:  # noqa: BLE001 - missing data dir, broken catalogue, ...
        logger.warning("API: place and service data unavailable (%s); data endpoints answer 503",
                       type(exc).__name__)
        app[CORE_KEY], app[DATA_INFO_KEY] = None, status.DataInfo()
    spec = load_spec()
    app[SPEC_KEY] = spec
    app[DOCS_KEY] = render_docs(spec)


async def get_openapi(request: web.Request) -> web.Response:
    return json_ok(request.config_dict[SPEC_KEY], cache="public, max-age=300")


async def get_docs(request: web.Request) -> web.Response:
    return web.Response(text=request.config_dict[DOCS_KEY], content_type="text/html", charset="utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


async def get_docs_css(request: web.Request) -> web.Response:
    return web.Response(body=CSS_PATH.read_bytes(), content_type="text/css", charset="utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


def setup_api(app: web.Application, settings: Settings) -> None:
    """Registration hook for :func:`bot.gateway.create_app` (which also lists :func:`api_guard`)."""
    app[LIMITER_KEY] = make_rate_limiter(settings)  # per process, or shared through Redis
    app.on_cleanup.append(close_limiter)
    app[UPSTREAM_KEY] = status.Upstream(settings)
    app.on_startup.append(_startup)
    app.cleanup_ctx.append(status.upstream_ctx)
    lookup.add_routes(app, API_PREFIX)
    conversations.add_routes(app, API_PREFIX)
    status.add_routes(app, API_PREFIX)
    app.router.add_get(f"{API_PREFIX}/openapi.json", get_openapi)
    app.router.add_get(f"{API_PREFIX}/docs", get_docs)
    app.router.add_get(f"{API_PREFIX}/docs.css", get_docs_css)
