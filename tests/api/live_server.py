"""The real gateway app and a fake upstream on free loopback ports, served from a background thread.

Schemathesis talks plain HTTP (``requests``) to a URL, so the app must really listen; its
own event loop runs in a daemon thread and is stopped (with the app's cleanup) at the end.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from aiohttp import web
from api_helpers import FakeUpstream

from bot.gateway import Settings, create_app
from bot.gateway.logs import PrivacyAccessLogger


class LiveServer:
    def __init__(self, make_settings: Callable[[str], Settings],
                 configure: Callable[[web.Application], None] | None = None) -> None:
        self.make_settings = make_settings
        self.configure = configure
        self.upstream = FakeUpstream()
        self.base_url = ""
        self._loop = asyncio.new_event_loop()
        self._runners: list[web.AppRunner] = []
        self._thread = threading.Thread(target=self._run, name="api-live-server", daemon=True)
        self._ready = threading.Event()
        self._error: BaseException | None = None

    async def _serve(self, app: web.Application, **kwargs: object) -> int:
        runner = web.AppRunner(app, **kwargs)  # type: ignore[arg-type]
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return int(runner.addresses[0][1])

    async def _start(self) -> None:
        upstream_port = await self._serve(self.upstream.app(), access_log=None)
        settings = self.make_settings(f"http://127.0.0.1:{upstream_port}")
        app = create_app(settings)
        if self.configure is not None:
            self.configure(app)
        port = await self._serve(app, access_log_class=PrivacyAccessLogger)
        self.base_url = f"http://127.0.0.1:{port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._start())
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        for runner in reversed(self._runners):
            self._loop.run_until_complete(runner.cleanup())
        self._loop.close()

    def start(self, timeout: float = 60.0) -> str:
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("live API server did not start")
        if self._error is not None:
            raise self._error
        return self.base_url

    def stop(self) -> None:
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
