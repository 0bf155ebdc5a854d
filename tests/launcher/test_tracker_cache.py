"""The cached SQL tracker store (bot/launcher/tracker_cache.py): what it stores and returns is Rasa's.

Each test runs the same conversation through Rasa's own ``SQLTrackerStore`` and through the cached
store, on two SQLite files, and compares the rows and the retrieved trackers.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.launcher import stack, tracker_cache
from bot.launcher.tracker_cache import CachedSQLTrackerStore
from bot.staff.trackers import SQL_STORE_TYPES, url_from_endpoints

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, ask_fees]
slots:
  service_id:
    type: text
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "Guten Tag"}]
""")


def _turn(text: str, intent: str, service: str | None = None) -> list:
    events = [UserUttered(text, {"name": intent, "confidence": 0.9})]
    if service:
        events.append(SlotSet("service_id", service))
    return [*events, ActionExecuted("utter_greet"), BotUttered("Guten Tag"), ActionExecuted("action_listen")]


def _rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT sender_id, type_name, intent_name, action_name, data FROM events ORDER BY id").fetchall()


def _stores(tmp_path: Path, **kwargs) -> tuple[SQLTrackerStore, CachedSQLTrackerStore]:
    plain = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "plain.db"))
    cached = CachedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "cached.db"), **kwargs)
    return plain, cached


async def _talk(store, sender: str, turns: list[list]) -> None:
    """What Rasa's processor does per message: retrieve (or create), add the events, save."""
    for events in turns:
        tracker = await store.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
        for event in events:
            tracker.update(event)
        await store.save(tracker)


async def _converse(store, sender: str, turns: list[list]) -> DialogueStateTracker:
    await _talk(store, sender, turns)
    return await store.retrieve(sender)


def _same(a: DialogueStateTracker, b: DialogueStateTracker) -> None:
    assert [e.as_dict() for e in a.events] == [e.as_dict() for e in b.events]
    assert a.current_slot_values() == b.current_slot_values()


FIRST = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
TURNS = [FIRST + _turn("Hund anmelden", "greet", "hundesteuer"),
         _turn("Was kostet das?", "ask_fees"),
         _turn("und in Ulm?", "ask_fees"),
         _turn("danke", "greet")]


async def test_rows_and_trackers_are_the_ones_rasas_store_writes_and_reads(tmp_path) -> None:
    plain, cached = _stores(tmp_path)
    _same(await _converse(cached, "s1", TURNS), await _converse(plain, "s1", TURNS))
    assert _rows(tmp_path / "cached.db") == _rows(tmp_path / "plain.db")
    assert cached.hits >= len(TURNS) - 1  # every message after the first one comes from the cache
    # A fresh Rasa store on the cached store's file reads the same conversation.
    again = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "cached.db"))
    _same(await again.retrieve("s1"), await plain.retrieve("s1"))


async def test_a_write_by_another_process_is_seen(tmp_path) -> None:
    _, cached = _stores(tmp_path)
    await _talk(cached, "s1", TURNS[:2])
    assert "s1" in cached._cache
    other = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "cached.db"))  # e.g. another replica
    tracker = await other.retrieve("s1")
    tracker.update(SlotSet("service_id", "reisepass"))
    await other.save(tracker)
    assert (await cached.retrieve("s1")).get_slot("service_id") == "reisepass"


async def test_purged_conversations_are_not_brought_back(tmp_path) -> None:
    _, cached = _stores(tmp_path)
    await _talk(cached, "s1", TURNS[:2])
    assert "s1" in cached._cache
    with sqlite3.connect(tmp_path / "cached.db") as con:  # what `bot purge` does after 30 days
        con.execute("DELETE FROM events WHERE sender_id = 's1'")
    assert await cached.retrieve("s1") is None


async def test_a_tracker_not_saved_back_is_read_again_from_the_database(tmp_path) -> None:
    _, cached = _stores(tmp_path)
    await _talk(cached, "s1", TURNS[:2])
    tracker = await cached.retrieve("s1")
    assert cached.hits == 2
    tracker.update(SlotSet("service_id", "verloren"))  # the message failed: never saved
    again = await cached.retrieve("s1")
    assert again is not tracker and again.get_slot("service_id") == "hundesteuer"


async def test_a_new_session_is_cached_as_rasa_would_read_it(tmp_path) -> None:
    plain, cached = _stores(tmp_path)
    restart = [ActionExecuted("action_session_start"), SessionStarted(), SlotSet("service_id", "hundesteuer"),
               ActionExecuted("action_listen"), *_turn("noch eine Frage", "greet")]
    turns = [*TURNS[:2], restart, _turn("Was kostet das?", "ask_fees")]
    _same(await _converse(cached, "s1", turns), await _converse(plain, "s1", turns))
    assert _rows(tmp_path / "cached.db") == _rows(tmp_path / "plain.db")


async def test_the_cache_is_bounded_in_size_and_time(tmp_path, monkeypatch) -> None:
    _, cached = _stores(tmp_path, cache_size=2)
    clock = [1000.0]
    monkeypatch.setattr(tracker_cache.time, "monotonic", lambda: clock[0])
    for sender in ("a", "b", "c"):
        tracker = DialogueStateTracker(sender, DOMAIN.slots)
        for event in TURNS[0]:
            tracker.update(event)
        await cached.save(tracker)
    assert list(cached._cache) == ["b", "c"]  # the oldest sender left the cache
    assert (await cached.retrieve("a")) is not None and (cached.hits, cached.misses) == (0, 1)
    assert (await cached.retrieve("b")) is not None and (cached.hits, cached.misses) == (1, 1)
    clock[0] += cached.cache_seconds + 1
    assert (await cached.retrieve("c")) is not None and (cached.hits, cached.misses) == (1, 2)  # expired


def test_rasa_loads_it_from_the_endpoints_files(tmp_path) -> None:
    """Rasa falls back to an in-memory store when a custom type cannot be imported: check it does not."""
    config = EndpointConfig(type=tracker_cache.STORE_TYPE, dialect="sqlite", db=str(tmp_path / "t.db"))
    store = create_tracker_store(config, DOMAIN)
    assert isinstance(store, CachedSQLTrackerStore)
    assert stack.TRACKER_STORE_TYPE == tracker_cache.STORE_TYPE
    assert tracker_cache.STORE_TYPE.lower() in SQL_STORE_TYPES
    for path in (ROOT / "endpoints.yml", ROOT / "config" / "production" / "endpoints.yml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["tracker_store"]["type"] == tracker_cache.STORE_TYPE


@pytest.mark.parametrize("kind", ["SQL", tracker_cache.STORE_TYPE])
def test_staff_tools_read_both_store_types(tmp_path, kind) -> None:
    path = tmp_path / "endpoints.yml"
    path.write_text(yaml.safe_dump({"tracker_store": {"type": kind, "dialect": "sqlite", "db": "x.db"}}))
    assert url_from_endpoints(path) == "sqlite:///x.db"


@pytest.mark.parametrize(("rasa_env", "kind"), [({}, tracker_cache.STORE_TYPE), ({"BOT_RASA_PATCHES": "off"}, "SQL"),
                                                ({"BOT_TRACKER_CACHE": "off"}, "SQL")])
def test_the_launcher_uses_the_cache_unless_rasa_runs_as_shipped(tmp_path, rasa_env, kind) -> None:
    started = stack.Stack(log_dir=tmp_path, rasa_env=rasa_env, tracker_db=tmp_path / "t.db")
    path = started._endpoints_file(5055)
    try:
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["tracker_store"] == {
            "type": kind, "dialect": "sqlite", "db": str(tmp_path / "t.db")}
    finally:
        path.unlink()
