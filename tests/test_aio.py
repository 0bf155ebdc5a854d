"""Sync wrappers must work with and without a running event loop (Playwright's sync API leaves one)."""

from __future__ import annotations

import asyncio

from bot.aio import run_sync


async def _answer() -> int:
    await asyncio.sleep(0)
    return 42


def test_run_sync_without_a_running_loop():
    assert run_sync(_answer()) == 42


async def test_run_sync_inside_a_running_loop():
    assert run_sync(_answer()) == 42
