"""Keeps the statistics fresh without blocking pages: one refresh task at a time, in a thread."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from aiohttp import web

from bot.console.stats import Stats
from bot.console.tenancy import ags_map, registry

logger = logging.getLogger("bot.console")
WAIT = 5.0  # seconds a page waits for a running refresh before it shows what it has


class Refresher:
    def __init__(self, stats: Stats) -> None:
        self.stats = stats
        self.task: asyncio.Task | None = None
        self.ready = False  # at least one refresh completed
        self.error: str | None = None
        self.updated: float | None = None

    def _start(self, tenants: list[Any]) -> asyncio.Task:
        loop = asyncio.get_running_loop()
        by_ags, known = ags_map(tenants), {t.id for t in tenants}

        async def run() -> None:
            try:
                result = await loop.run_in_executor(None, self.stats.refresh, by_ags, known)
                self.ready, self.error, self.updated = True, None, time.time()
                if result.get("conversations"):
                    logger.info("statistics refreshed: %s conversations in %ss", result["conversations"],
                                result["seconds"])
            except Exception as exc:  # noqa: BLE001 - shown on the page in German, type only in the log
                self.error = type(exc).__name__
                logger.warning("statistics refresh failed: %s", type(exc).__name__)

        return asyncio.ensure_future(run())

    async def fresh(self, request: web.Request) -> bool:
        """Start (or join) a refresh; True when figures can be shown."""
        if self.task is None or self.task.done():
            self.task = self._start(registry(request))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.task), WAIT)
        return self.ready
