"""Tracker fixtures for custom-action tests (no Rasa server, no action server)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

SLOTS = {"service_id": None, "place_ags": None, "place_source": None, "pending": None, "failures": 0.0}


def make_tracker(text: str, intent: str, entities: list[dict] | None = None, slots: dict | None = None,
                 metadata: dict | None = None, confidence: float = 0.95) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    return Tracker("test-sender", {**SLOTS, **(slots or {})}, latest, [], False, None, {}, "action_listen")


@pytest.fixture
def run_action() -> Callable:
    """Run an action on a tracker; returns (messages, events as a {slot: value} dict)."""

    async def _run(action, tracker: Tracker):
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, tracker, {})
        slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        return dispatcher.messages, slots

    return _run


def responses(messages: list[dict]) -> list[str]:
    return [m.get("response") for m in messages if m.get("response")]


def custom(messages: list[dict]) -> dict:
    return next(m["custom"] for m in messages if m.get("custom"))
