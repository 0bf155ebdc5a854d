"""App factory: ``create_app(settings)`` wires tenants, relay, static files and middlewares."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.console import setup_console
from bot.gateway.api import api_guard, setup_api
from bot.gateway.api.ratelimit import CLIENT_LIMITER_KEY, CLIENT_LIMITS_KEY, ClientLimits
from bot.gateway.chat import (
    SETTINGS_KEY,
    TENANTS_KEY,
    cors_middleware,
    post_feedback,
    post_message,
)
from bot.gateway.detect import Detector
from bot.gateway.errors import error_middleware
from bot.gateway.input_policy import SERVER_HANDLER_ARGS
from bot.gateway.language import DETECTOR_KEY
from bot.gateway.limits import make_rate_limiter
from bot.gateway.memory import MEMORY_KEY, close_memory, make_memory
from bot.gateway.quality import add_quality_routes
from bot.gateway.relay import RELAY_KEY, RasaRelay, relay_ctx
from bot.gateway.settings import RegisterLike, Settings
from bot.gateway.static import add_static_routes, security_headers
from bot.gateway.tenants import load_tenants
from bot.gateway.turns import TURNS_KEY, turns_for

logger = logging.getLogger("bot.gateway")


def load_register(settings: Settings) -> RegisterLike | None:
    """The injected register, else ``bot.core``'s — imported here, at startup, on purpose.

    The domain core loads data files; importing it lazily keeps ``import bot.gateway``
    cheap and lets the gateway run (with AGS format checks only) where it is unavailable.
    """
    if settings.register is not None:
        return settings.register
    try:
        from bot.core import get_core  # noqa: PLC0415 - lazy by design

        return get_core().register
    except Exception as exc:  # noqa: BLE001 - ImportError, missing data dir, ...
        if settings.require_register:
            raise
        logger.warning("Gemeinde register unavailable (%s); AGS values are only format-checked",
                       type(exc).__name__)
        return None


async def _load_tenants(app: web.Application) -> None:
    settings = app[SETTINGS_KEY]
    registry = load_tenants(settings.tenants_path, load_register(settings))
    app[TENANTS_KEY] = registry
    logger.info("loaded %d tenants from %s", len(registry), settings.tenants_path)


def create_app(settings: Settings | None = None) -> web.Application:
    """Build the gateway application. No network client is created before startup."""
    settings = settings or Settings()
    app = web.Application(
        # error_middleware twice: innermost, so API/CORS headers wrap every error; outermost as
        # the last line of defence for anything the other middlewares raise.
        middlewares=[error_middleware, cors_middleware, api_guard, error_middleware],
        client_max_size=settings.max_body_bytes,
        # Never inflate compressed request bodies in the HTTP parser (unbounded in aiohttp < 3.13.3).
        handler_args=SERVER_HANDLER_ARGS,
    )
    app.on_response_prepare.append(security_headers)
    app[SETTINGS_KEY] = settings
    app[RELAY_KEY] = RasaRelay(settings)
    app[MEMORY_KEY] = make_memory(settings.redis_url)  # shared through Redis when configured
    app[TURNS_KEY] = turns_for(settings.rasa_timeout)
    # The language of messages without lang: the model loads on the first such message, not here.
    app[DETECTOR_KEY] = (settings.language_detector or Detector()) if settings.detect_language else None
    # /chat/* and wrong keys per client: per process, or shared through Redis with one salt for all processes
    limits = ClientLimits(salt=settings.client_salt) if settings.client_salt else ClientLimits()
    app[CLIENT_LIMITS_KEY], app[CLIENT_LIMITER_KEY] = limits, make_rate_limiter(settings)
    app.on_startup.append(_load_tenants)
    app.cleanup_ctx.append(relay_ctx)
    app.on_cleanup.append(close_memory)
    app.on_cleanup.append(_close_client_limiter)
    app.router.add_post("/chat/messages", post_message)
    app.router.add_post("/chat/feedback", post_feedback)
    add_static_routes(app)
    add_quality_routes(app)  # public /qualitaet page (bot/gateway/quality.py)
    setup_api(app, settings)  # /api/v1 (bot/gateway/api/)
    setup_console(app)  # /staff/ (bot/console/, own middlewares)
    return app


async def _close_client_limiter(app: web.Application) -> None:
    await app[CLIENT_LIMITER_KEY].close()
