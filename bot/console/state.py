"""App keys of the console sub-application."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.console.accounts import AccountStore
from bot.console.config import ConsoleConfig
from bot.console.sessions import LoginLimit, SessionStore

CONFIG_KEY: web.AppKey[ConsoleConfig] = web.AppKey("console_config")
ACCOUNTS_KEY: web.AppKey[AccountStore] = web.AppKey("console_accounts")
SESSIONS_KEY: web.AppKey[SessionStore] = web.AppKey("console_sessions")
RATE_KEY: web.AppKey[LoginLimit] = web.AppKey("console_rate")
STATS_KEY: web.AppKey[Any] = web.AppKey("console_stats")
