"""Run a coroutine from synchronous code, also when the calling thread already runs an event loop.

``asyncio.run`` refuses to run inside a running loop (e.g. under Playwright's sync API or a Jupyter
kernel); then the coroutine runs on a fresh loop in a worker thread instead.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
