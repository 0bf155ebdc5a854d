"""Tracker fixtures for custom-action tests (no Rasa server, no action server)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

SLOTS = {"service_id": None, "place_ags": None, "place_source": None, "pending": None, "failures": 0.0}
DOMAIN = Path(__file__).resolve().parents[2] / "domain"
#: Keys of a dispatcher message that are not response variables.
MESSAGE_KEYS = frozenset({"text", "buttons", "elements", "custom", "template", "response", "image", "attachment"})


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


@functools.cache
def _nlg():
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator  # Rasa only for the tests that render
    from rasa.shared.core.domain import Domain

    domain = Domain.load(str(DOMAIN))
    return domain, TemplatedNaturalLanguageGenerator(domain.responses)


async def rendered(messages: list[dict], language: str = "de") -> list[str]:
    """What the citizen reads: each message's text as Rasa fills the response variant of ``language``
    (slot ``language``) with the variables the action passed; plain texts as they are."""
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain, nlg = _nlg()
    tracker = DialogueStateTracker.from_events("test", [SlotSet("language", language)], slots=domain.slots)
    texts = []
    for m in messages:
        if m.get("response"):
            values = {k: v for k, v in m.items() if k not in MESSAGE_KEYS}
            texts.append((await nlg.generate(m["response"], tracker, "rest", **values))["text"])
        elif m.get("text"):
            texts.append(m["text"])
    return texts
