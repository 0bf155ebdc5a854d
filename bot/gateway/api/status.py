"""``GET /api/v1/health`` and ``GET /api/v1/version``: Rasa, the action server and the data.

Rasa's HTTP API is reached on loopback with a short-lived JWT in the ``Authorization`` header
(signed with ``RASA_JWT_SECRET``; never a token in the URL); the gateway only ever calls
``{rasa_url}/status`` (or ``{rasa_url}/`` without a secret) and the action servers' health URLs.
Neither URL nor token ever appears in an answer or a log line. With several replicas, Rasa and
the actions count as up while at least one replica serves (the relay fails over); the check
says how many are up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import aiohttp
from aiohttp import web

import bot
from bot.gateway.api.state import CORE_KEY, DATA_INFO_KEY, UPSTREAM_KEY, json_ok
from bot.gateway.settings import Settings
from bot.rasa_jwt import auth_header

logger = logging.getLogger("bot.gateway.api")

OK, DOWN = "ok", "unavailable"


@dataclass(frozen=True)
class DataInfo:
    """Stand dates of the loaded data (computed once at startup)."""

    services: str | None = None
    responsibility: str | None = None


@dataclass(frozen=True)
class RasaStatus:
    up: bool
    model_id: str | None = None
    model_file: str | None = None
    replicas_up: int = 0
    replicas: int = 1


class Upstream:
    """Owns a small client session for the status checks (created on startup)."""

    def __init__(self, settings: Settings, timeout: float = 3.0) -> None:
        self.replicas = settings.replicas
        self.secret = settings.rasa_jwt_secret
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=self.timeout, trust_env=False)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _get(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        if self._session is None:
            raise RuntimeError("upstream checks not started")
        async with self._session.get(url, headers=headers) as resp:
            if resp.content_type == "application/json":
                return resp.status, await resp.json()
            await resp.read()
            return resp.status, None

    async def _rasa_one(self, rasa_url: str) -> RasaStatus:
        try:
            if not self.secret:  # reachability only; the model id needs the token
                status, _ = await self._get(rasa_url + "/")
                return RasaStatus(status == 200)
            status, data = await self._get(rasa_url + "/status", auth_header(self.secret))
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            logger.warning("rasa status check failed: %s", type(exc).__name__)
            return RasaStatus(False)
        if status != 200 or not isinstance(data, dict):
            logger.warning("rasa status answered HTTP %s", status)
            return RasaStatus(False)
        model_id = data.get("model_id")
        model_file = data.get("model_file")
        return RasaStatus(
            bool(model_id or model_file),
            str(model_id) if model_id else None,
            PurePath(str(model_file)).name if model_file else None,
        )

    async def rasa(self) -> RasaStatus:
        """Up while any replica serves; model id and file of the first serving replica."""
        results = await asyncio.gather(*(self._rasa_one(url) for url, _ in self.replicas))
        serving = [r for r in results if r.up]
        first = serving[0] if serving else RasaStatus(False)
        return RasaStatus(first.up, first.model_id, first.model_file, len(serving), len(results))

    async def _actions_one(self, url: str) -> bool:
        try:
            status, _ = await self._get(url)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            logger.warning("action server health check failed: %s", type(exc).__name__)
            return False
        return status == 200

    async def actions(self) -> int:
        """How many action servers answer (0 = none)."""
        results = await asyncio.gather(*(self._actions_one(url) for _, url in self.replicas))
        return sum(results)


async def upstream_ctx(app: web.Application) -> AsyncIterator[None]:
    upstream = app[UPSTREAM_KEY]
    await upstream.start()
    yield
    await upstream.close()


async def get_health(request: web.Request) -> web.Response:
    upstream = request.config_dict[UPSTREAM_KEY]
    rasa, actions = await asyncio.gather(upstream.rasa(), upstream.actions())
    data_ok = request.config_dict.get(CORE_KEY) is not None
    total = len(upstream.replicas)
    checks: dict[str, dict[str, Any]] = {
        "rasa": {"status": OK if rasa.up else DOWN, "model_id": rasa.model_id},
        "actions": {"status": OK if actions else DOWN},
        "data": {"status": OK if data_ok else DOWN},
    }
    if total > 1:  # production profile: how many replicas serve
        checks["rasa"].update(replicas_up=rasa.replicas_up, replicas=total)
        checks["actions"].update(replicas_up=actions, replicas=total)
    if rasa.up and actions and data_ok:
        return json_ok({"status": OK, "checks": checks})
    down = ", ".join(name for name, check in checks.items() if check["status"] != OK)
    return json_ok({"status": DOWN, "checks": checks, "error": {
        "code": "unhealthy", "message": f"Nicht verfügbar: {down}."}}, status=503)


async def get_version(request: web.Request) -> web.Response:
    rasa = await request.config_dict[UPSTREAM_KEY].rasa()
    info = request.config_dict[DATA_INFO_KEY]
    return json_ok({
        "version": bot.__version__,
        "api_version": "v1",
        "model_id": rasa.model_id,
        "model_file": rasa.model_file,
        "data_stand": {"services": info.services, "responsibility": info.responsibility},
    })


def add_routes(app: web.Application, prefix: str) -> None:
    app.router.add_get(prefix + "/health", get_health)
    app.router.add_get(prefix + "/version", get_version)
