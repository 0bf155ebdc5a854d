"""Staff console under ``/staff/``: a separate unit with its own routes, middlewares, templates and CSS.

Mounted by the gateway with one line (``setup_console(app)`` in :func:`bot.gateway.app.create_app`).
It is never on the widget's CORS origins (the gateway's CORS middleware handles ``/chat/*`` only)
and every page except the login form needs a session. See docs/staff/konsole.md.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from bot.console.config import ConsoleConfig

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STATIC = Path(__file__).with_name("static")


async def _stylesheet(request: web.Request) -> web.StreamResponse:
    return web.Response(body=(STATIC / "console.css").read_bytes(), content_type="text/css", charset="utf-8",
                        headers={"Cache-Control": "no-cache"})


ROUTES = [
    ("GET", "/static/console.css", "_stylesheet"),
    ("GET", "/login", "views_auth.get_login"), ("POST", "/login", "views_auth.post_login"),
    ("POST", "/logout", "views_auth.post_logout"), ("GET", "/audit", "views_auth.get_audit"),
    ("GET", "/", "views_dashboard.get_dashboard"), ("GET", "/api/stats", "views_dashboard.get_stats_api"),
    ("GET", "/export/statistik.csv", "views_dashboard.get_stats_csv"),
    ("GET", "/export/opendata.csv", "views_dashboard.get_opendata_csv"),
    ("GET", "/publish", "views_publish.get_publish"), ("POST", "/publish", "views_publish.post_publish"),
    ("GET", "/inbox", "views_handoff.get_inbox"), ("POST", "/inbox/done", "views_handoff.post_done"),
    ("GET", "/local", "views_local.get_local"), ("POST", "/local/save", "views_local.post_local"),
    ("GET", "/review", "views_review.get_review"), ("POST", "/review/assign", "views_review.post_assign"),
]


def _handler(name: str) -> Handler:
    if name == "_stylesheet":
        return _stylesheet
    module, func = name.split(".")
    return getattr(importlib.import_module(f"bot.console.{module}"), func)


def _chain(handler: Handler, middlewares: list) -> Handler:
    """``handler`` behind the console's own middlewares (first = outermost), like a sub-app's."""
    for middleware in reversed(middlewares):
        handler = functools.partial(middleware, handler=handler)
    return handler


def setup_console(app: web.Application, config: ConsoleConfig | None = None) -> None:
    """Mount the console on the gateway app under ``/staff/``.

    The routes are added to the gateway's router with the console's middlewares wrapped around
    each handler (an aiohttp sub-app would be the natural unit, but prefix resolution of sub-apps
    fails with aiohttp 3.9.5 and the yarl version pinned by Rasa). The console's state lives
    under its own app keys.
    """
    from bot.console import security  # noqa: PLC0415
    from bot.console.accounts import AccountStore  # noqa: PLC0415
    from bot.console.refresh import Refresher  # noqa: PLC0415
    from bot.console.state import ACCOUNTS_KEY, CONFIG_KEY, RATE_KEY, SESSIONS_KEY, STATS_KEY  # noqa: PLC0415
    from bot.console.stats import Stats  # noqa: PLC0415
    from bot.console.views_publish import PUBLISH_KEY, TASKS_KEY  # noqa: PLC0415
    from bot.gateway.chat import SETTINGS_KEY  # noqa: PLC0415
    from bot.staff.flagged import fallback_threshold  # noqa: PLC0415

    config = config or ConsoleConfig()
    app[CONFIG_KEY] = config
    app[ACCOUNTS_KEY] = AccountStore(config.users_path)
    app[SESSIONS_KEY], app[RATE_KEY], app[PUBLISH_KEY] = _shared_state(app[SETTINGS_KEY].redis_url, config)
    app[TASKS_KEY] = set()
    app.on_cleanup.append(_close_shared_state)
    app[STATS_KEY] = Refresher(Stats(config.store_url, config.stats_db, fallback_threshold(), config.stats_ttl))
    from bot.console.handoff import Inbox  # noqa: PLC0415
    from bot.console.views_handoff import INBOX_KEY, post_handoff  # noqa: PLC0415

    app[INBOX_KEY] = Inbox(config.state_dir / "handoffs.db")
    app.router.add_post("/chat/handoff", post_handoff)  # citizen side: the gateway's tenant/origin/CORS checks
    middlewares = [security.headers, security.errors, security.auth, security.csrf]
    app.router.add_get("/staff", _to_console)
    for method, path, name in ROUTES:
        app.router.add_route(method, "/staff" + path, _chain(_handler(name), middlewares))


def _shared_state(redis_url: str | None, config: ConsoleConfig) -> tuple:
    """Sessions, login limit and publish job: in the process, or in the gateway's Redis (bot/console/shared.py)."""
    from bot.console.jobs import InMemoryPublishJobs, RedisPublishJobs  # noqa: PLC0415
    from bot.console.sessions import (  # noqa: PLC0415
        InMemoryLoginLimit,
        InMemorySessionStore,
        RedisLoginLimit,
        RedisSessionStore,
    )
    from bot.console.shared import RedisHandle  # noqa: PLC0415

    if not redis_url:
        return (InMemorySessionStore(config.session_idle, config.session_max),
                InMemoryLoginLimit(config.login_rate, config.login_window), InMemoryPublishJobs())
    redis = RedisHandle(redis_url, config.redis_prefix)
    return (RedisSessionStore(redis, config.session_idle, config.session_max),
            RedisLoginLimit(redis, config.login_rate, config.login_window), RedisPublishJobs(redis))


async def _close_shared_state(app: web.Application) -> None:
    from bot.console.views_publish import PUBLISH_KEY  # noqa: PLC0415

    jobs = app[PUBLISH_KEY]
    await jobs.close()
    redis = getattr(jobs, "redis", None)
    if redis is not None:
        await redis.close()


async def _to_console(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/staff/")
