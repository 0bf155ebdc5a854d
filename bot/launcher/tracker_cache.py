"""Rasa's SQL tracker store without the per-message reload (``type:`` in the endpoints files).

Rasa's :class:`~rasa.core.tracker_store.SQLTrackerStore` reads a conversation back for every
message: one query loads all events since the last ``session_started``, each is parsed from JSON
and replayed into a new tracker; ``save`` then counts those events again to find the new ones. In
the profile of our Rasa process (issue 11) the two were the largest cost left (27 % of samples).

This store keeps the tracker it just saved, per sender, in a small bounded cache of this process:

* ``retrieve`` hands the cached tracker out (and takes it out of the cache: the caller owns it now)
  when one cheap indexed query — the newest event id of the sender — shows that nobody else wrote
  to the conversation since (another Rasa replica, ``bot purge``, the HTTP API of another
  process). Otherwise, and for every sender not cached, Rasa's own SQL path runs.
* ``save`` writes only the events added since the tracker was handed out; it knows their number
  and skips Rasa's count query. A tracker from anywhere else is saved exactly as Rasa does.

What is stored is unchanged (the same rows as Rasa's store writes), so the staff tools, the
console and ``bot purge`` read it as before. A tracker that began a new session while it was out
is cached from its newest ``session_started`` on, as Rasa's own retrieve would return it. Entries
expire after ``cache_seconds`` (default 300) and at most ``cache_size`` (default 500) senders are
kept, so the cache is bounded in memory and never outlives the retention period.

``BOT_RASA_PATCHES=off`` (Rasa as shipped, ``make bench``'s "before") makes the launcher write
``type: SQL`` instead.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

#: The ``type:`` of the tracker store in endpoints.yml (Rasa loads custom stores by module path).
STORE_TYPE = "bot.launcher.tracker_cache.CachedSQLTrackerStore"


@dataclass
class _Entry:
    tracker: DialogueStateTracker
    stored: int  # events of ``tracker`` that are in the database
    last_id: int | None  # the sender's newest event id in the database after that save
    at: float  # monotonic time of the save


class CachedSQLTrackerStore(SQLTrackerStore):
    """:class:`SQLTrackerStore` that keeps recently saved trackers (see the module docstring)."""

    def __init__(self, *args: Any, cache_size: int = 500, cache_seconds: float = 300.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = max(0, int(cache_size))
        self.cache_seconds = float(cache_seconds)
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        self._out: dict[str, _Entry] = {}  # handed out by retrieve, not saved back yet
        self.hits = 0
        self.misses = 0
        # Core statements, built once: the ORM's unit of work and per-call statement building were a
        # third of the time of a save (py-spy under load); the rows are the same.
        table = self.SQLEvent.__table__
        self._insert = table.insert()
        self._max_id = sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sa.bindparam("sender"))

    # --- reading -------------------------------------------------------------------------------
    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        entry = self._cache.pop(sender_id, None)
        if entry is not None and time.monotonic() - entry.at <= self.cache_seconds:
            with self.session_scope() as session:
                if self._last_id(session, sender_id) == entry.last_id:
                    self._out[sender_id] = entry
                    while len(self._out) > max(self.cache_size, 1):  # handed out, never saved back
                        self._out.pop(next(iter(self._out)))
                    self.hits += 1
                    return entry.tracker
        self._out.pop(sender_id, None)
        self.misses += 1
        return await super().retrieve(sender_id)

    def _last_id(self, session: Any, sender_id: str) -> int | None:
        return session.execute(self._max_id, {"sender": sender_id}).scalar()

    # --- writing -------------------------------------------------------------------------------
    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        out = self._out.pop(sender_id, None)
        ours = out is not None and out.tracker is tracker
        with self.session_scope() as session:
            if ours:
                new = list(itertools.islice(tracker.events, out.stored, None))
            else:
                new = list(self._additional_events(session, tracker))
            rows = [self._row(sender_id, event) for event in new]
            if rows:
                session.execute(self._insert, rows)
            last_id = out.last_id if ours and not rows else self._last_id(session, sender_id)
            session.commit()
        self._remember(tracker, last_id)

    def _row(self, sender_id: str, event: Any) -> dict[str, Any]:
        """The same row Rasa's ``SQLTrackerStore.save`` writes for the event."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"), "data": json.dumps(data)}

    def _remember(self, tracker: DialogueStateTracker, last_id: int | None) -> None:
        if self.cache_size == 0 or last_id is None:
            return
        events = list(tracker.events)
        start = max((i for i, e in enumerate(events) if isinstance(e, SessionStarted)), default=0)
        if start > 0:  # a new session began: keep what Rasa's retrieve would return
            tracker = DialogueStateTracker.from_events(
                tracker.sender_id, events[start:], self.domain.slots if self.domain else None)
        self._cache[tracker.sender_id] = _Entry(tracker, len(events) - start, last_id, time.monotonic())
        self._cache.move_to_end(tracker.sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
