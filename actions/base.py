"""Shared plumbing: the lazily loaded domain core and a base class that never fails silently."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.core import Core, get_core
from bot.relations import Relations, get_relations
from bot.scope import Scope, get_scope

log = logging.getLogger(__name__)
_lock = asyncio.Lock()


_core: Core | None = None
_dialogue: tuple[Scope, Relations] | None = None


async def core() -> Core:
    """The domain core, loaded once per process in a worker thread so the event loop never blocks."""
    global _core
    if _core is None:
        async with _lock:
            if _core is None:
                _core = await asyncio.to_thread(get_core)
    return _core


async def dialogue_data() -> tuple[Scope, Relations]:
    """Scope words/topics and the relations between Leistungen, loaded once like the core."""
    global _dialogue
    if _dialogue is None:
        async with _lock:
            if _dialogue is None:
                _dialogue = await asyncio.to_thread(lambda: (get_scope(), get_relations()))
    return _dialogue


class SafeAction(Action, ABC):
    """Runs :meth:`act`; any internal failure becomes a polite German message instead of silence.

    Abstract, so rasa-sdk's action discovery skips it and registers only the concrete actions.
    """

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        try:
            return await self.act(dispatcher, tracker, domain)
        except Exception:  # noqa: BLE001 - the citizen must always get an answer
            log.exception("action %s failed", self.name())
            dispatcher.utter_message(response="utter_internal_error")
            return []
