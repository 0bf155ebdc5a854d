"""Usage figures per tenant and day, aggregated from the tracker store into a small fact table.

Rasa's ``events`` table is read incrementally (events with an id above the last one seen); each
touched conversation is re-derived completely (so thumbs-down attribution and fallbacks follow
:mod:`bot.staff.flagged` exactly) into ``facts`` rows of a local SQLite cache
(``build/console/stats.db``): one row per typed message (kind ``msg``, key = understood |
fallback | low_confidence), per thumbs up/down, handoff request, Leistung named (kind ``service``),
once per conversation for outside-BW / unknown places, and ``start`` on the day of its first
typed message (a conversation is counted on the day it began). The per-day sums of the touched
(tenant, day) pairs are rebuilt into ``daily``; the dashboard adds up at most 30 days of those
rows (fast at 100,000 conversations) and is cached in memory for a short TTL. Sender ids are
stored only as a truncated SHA-256 hash; facts older than the retention period are dropped.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.console.tenancy import ALL, tenant_of
from bot.staff.flagged import flag_conversation
from bot.staff.retention import DEFAULT_RETENTION, RETENTION_ENV
from bot.staff.trackers import Event, engine_for, parse_duration

TZ = ZoneInfo("Europe/Berlin")
TYPES = ("user", "bot", "action", "slot")
OUTCOMES = ("understood", "fallback", "low_confidence")
PLACE_UTTERANCES = {"utter_place_outside_bw": "outside_bw", "utter_place_unknown": "unknown_place"}
CHUNK = 400

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (sender TEXT, tenant TEXT, ts REAL, day TEXT, hour INTEGER, kind TEXT, key TEXT);
CREATE INDEX IF NOT EXISTS facts_tenant_day ON facts (tenant, day, kind);
CREATE INDEX IF NOT EXISTS facts_day ON facts (day, kind);
CREATE INDEX IF NOT EXISTS facts_sender ON facts (sender);
CREATE TABLE IF NOT EXISTS state (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS daily (tenant TEXT, day TEXT, kind TEXT, key TEXT, n INTEGER, senders INTEGER);
CREATE INDEX IF NOT EXISTS daily_tenant_day ON daily (tenant, day, kind);
CREATE INDEX IF NOT EXISTS daily_day ON daily (day, kind);
"""
#: Rebuild the per-day sums of the touched (tenant, day) pairs from the fact rows.
_DAILY = """
INSERT INTO daily SELECT tenant, day, kind, key, COUNT(*), COUNT(DISTINCT sender) FROM facts
  WHERE tenant = ? AND day = ? GROUP BY kind, key;
INSERT INTO daily SELECT tenant, day, 'hour', CAST(hour AS TEXT), COUNT(*), 0 FROM facts
  WHERE tenant = ? AND day = ? AND kind = 'msg' GROUP BY hour;
"""


def sender_hash(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode()).hexdigest()[:20]


def local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, TZ)


def conversation_facts(sender_id: str, events: list[Event], threshold: float, by_ags: dict[str, str],
                       known: set[str]) -> list[tuple[Any, ...]]:
    """The fact rows of one conversation (see the module docstring)."""
    meta = next((ev.data.get("metadata") for ev in events
                 if ev.type_name == "user" and ev.data.get("metadata")), None)
    tenant = tenant_of(sender_id, meta, by_ags, known)
    sender = sender_hash(sender_id)
    rows: list[tuple[Any, ...]] = []

    def add(ts: float, kind: str, key: str = "") -> None:
        when = local(ts)
        rows.append((sender, tenant, ts, when.date().isoformat(), when.hour, kind, key))

    typed = flag_conversation(events, threshold)
    if typed:  # a conversation counts once, on the day of its first typed message
        add(min(item.timestamp for item in typed), "start")
    for item in typed:
        outcome = ("fallback" if "fallback" in item.reasons else
                   "low_confidence" if "low_confidence" in item.reasons else "understood")
        add(item.timestamp, "msg", outcome)
    seen_place: set[str] = set()
    for ev in events:
        if ev.type_name == "user":
            intent = ((ev.data.get("parse_data") or {}).get("intent") or {}).get("name")
            text = str(ev.data.get("text") or "")
            if intent == "feedback_positive" or text.startswith("/feedback_positive"):
                add(ev.timestamp, "up")
            elif intent == "feedback_negative" or text.startswith("/feedback_negative"):
                add(ev.timestamp, "down")
            elif intent == "human_handoff":
                add(ev.timestamp, "handoff")
        elif ev.type_name == "bot":
            kind = PLACE_UTTERANCES.get(str((ev.data.get("metadata") or {}).get("utter_action") or ""))
            if kind and kind not in seen_place:
                seen_place.add(kind)
                add(ev.timestamp, kind)
        elif ev.type_name == "slot" and ev.data.get("name") == "service_id" and ev.data.get("value"):
            add(ev.timestamp, "service", str(ev.data["value"]))
    return rows


class Stats:
    """The fact cache of one tracker store and the dashboard queries on it."""

    def __init__(self, store_url: str, db_path: Path, threshold: float, ttl: float = 30.0,
                 retention: str | None = None) -> None:
        import os

        self.store_url, self.db_path, self.threshold, self.ttl = store_url, db_path, threshold, ttl
        self.retention = parse_duration(retention or os.environ.get(RETENTION_ENV, DEFAULT_RETENTION))
        self._lock = threading.Lock()
        self._checked = 0.0
        self._cache: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self.last_refresh: dict[str, Any] = {}

    # -- cache maintenance -------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.db_path, timeout=30)
        conn.executescript(_SCHEMA)
        return conn

    def refresh(self, by_ags: dict[str, str], known: set[str], force: bool = False) -> dict[str, Any]:
        """Bring the fact table up to date (at most once per TTL unless ``force``)."""
        with self._lock:
            if not force and time.monotonic() - self._checked < self.ttl:
                return self.last_refresh
            started = time.perf_counter()
            engine = engine_for(self.store_url)
            conn = self._db()
            try:
                changed = self._refresh(engine, conn, by_ags, known)
            finally:
                conn.close()
                engine.dispose()
            self._checked = time.monotonic()
            if changed:
                self._cache.clear()
            self.last_refresh = {"conversations": changed, "seconds": round(time.perf_counter() - started, 3)}
            return self.last_refresh

    def _refresh(self, engine: sa.engine.Engine, conn: sqlite3.Connection, by_ags: dict[str, str],
                 known: set[str]) -> int:
        table = sa.Table("events", sa.MetaData(), autoload_with=engine)
        state = dict(conn.execute("SELECT k, v FROM state").fetchall())
        hwm = int(state.get("hwm", 0)) if state.get("store") == self.store_url else 0
        with engine.connect() as sconn:
            max_id = sconn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
            if max_id < hwm or hwm == 0:  # store replaced or first run: rebuild
                conn.execute("DELETE FROM facts")
                hwm = 0 if max_id < hwm else hwm
            senders = [r[0] for r in sconn.execute(
                sa.select(sa.distinct(table.c.sender_id)).where(table.c.id > hwm))] if max_id > hwm else []
            touched: set[tuple[str, str]] = set()
            for start in range(0, len(senders), CHUNK):
                chunk = senders[start:start + CHUNK]
                hashes = [(sender_hash(s),) for s in chunk]
                rows: list[tuple[Any, ...]] = []
                for sender_id, events in _conversations(sconn, table, chunk):
                    rows += conversation_facts(sender_id, events, self.threshold, by_ags, known)
                for h in hashes:  # days whose sums change because an older version of the conversation goes
                    touched.update(conn.execute("SELECT DISTINCT tenant, day FROM facts WHERE sender = ?", h))
                conn.executemany("DELETE FROM facts WHERE sender = ?", hashes)
                conn.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                touched.update((r[1], r[3]) for r in rows)
        cutoff = time.time() - self.retention.total_seconds()
        conn.execute("DELETE FROM facts WHERE ts < ?", (cutoff,))
        conn.execute("DELETE FROM daily WHERE day < ?", (local(cutoff).date().isoformat(),))
        conn.executemany("DELETE FROM daily WHERE tenant = ? AND day = ?", sorted(touched))
        for tenant, day in sorted(touched):
            for statement in filter(str.strip, _DAILY.split(";")):
                conn.execute(statement, (tenant, day))
        conn.executemany("INSERT OR REPLACE INTO state VALUES (?, ?)",
                         [("hwm", str(max_id)), ("store", self.store_url)])
        conn.commit()
        return len(senders)

    # -- queries ------------------------------------------------------------------------------------
    def dashboard(self, tenant: str, first: date, last: date) -> dict[str, Any]:
        key = ("dashboard", tenant, first, last)
        hit = self._cache.get(key)
        if hit and time.monotonic() - hit[0] < self.ttl:
            return hit[1]
        result = self._dashboard(tenant, first, last)
        self._cache[key] = (time.monotonic(), result)
        return result

    def _dashboard(self, tenant: str, first: date, last: date) -> dict[str, Any]:
        where = "day BETWEEN ? AND ?" + ("" if tenant == ALL else " AND tenant = ?")
        params: list[Any] = [first.isoformat(), last.isoformat()] + ([] if tenant == ALL else [tenant])
        conn = self._db()
        try:
            def q(sql: str, *extra: Any) -> list[tuple[Any, ...]]:
                return conn.execute(sql.format(where=where), [*params, *extra]).fetchall()

            per_day: dict[str, list[int]] = {}
            for d, kind, n in q("SELECT day, kind, SUM(n) FROM daily WHERE {where} AND kind IN ('start', 'msg') "
                                "GROUP BY day, kind"):
                per_day.setdefault(d, [0, 0])[0 if kind == "start" else 1] = int(n)
            sums = dict(q("SELECT kind, SUM(n) FROM daily WHERE {where} AND kind IN "
                          "('start', 'msg', 'up', 'down', 'handoff') GROUP BY kind"))
            totals = (sums.get("start", 0), sums.get("msg", 0))
            outcomes = dict(q("SELECT key, SUM(n) FROM daily WHERE {where} AND kind = 'msg' GROUP BY key"))
            kinds = sums
            places = dict(q("SELECT kind, SUM(senders) FROM daily WHERE {where} "
                            "AND kind IN ('outside_bw', 'unknown_place') GROUP BY kind"))
            services = q("SELECT key, SUM(senders) AS c FROM daily WHERE {where} AND kind = 'service' "
                         "GROUP BY key ORDER BY c DESC, key LIMIT 10")
            hours = {int(h): n for h, n in q("SELECT key, SUM(n) FROM daily WHERE {where} AND kind = 'hour' "
                                             "GROUP BY key")}
        finally:
            conn.close()
        days = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
        conversations, messages = int(totals[0] or 0), int(totals[1] or 0)
        return {
            "tenant": tenant, "from": first.isoformat(), "to": last.isoformat(),
            "conversations": conversations, "messages": messages,
            "per_day": [{"day": d, "conversations": per_day.get(d, [0, 0])[0], "messages": per_day.get(d, [0, 0])[1]}
                        for d in days],
            "outcomes": {o: int(outcomes.get(o, 0)) for o in OUTCOMES},
            "thumbs_up": int(kinds.get("up", 0)), "thumbs_down": int(kinds.get("down", 0)),
            "handoffs": int(kinds.get("handoff", 0)),
            "outside_bw": int(places.get("outside_bw", 0)), "unknown_place": int(places.get("unknown_place", 0)),
            "services": [{"id": s, "conversations": int(n)} for s, n in services],
            "hours": [int(hours.get(h, 0)) for h in range(24)],
        }


def _conversations(conn: sa.engine.Connection, table: sa.Table,
                   senders: Iterable[str]) -> Iterator[tuple[str, list[Event]]]:
    query = (sa.select(table.c.id, table.c.sender_id, table.c.type_name, table.c.timestamp, table.c.data)
             .where(table.c.sender_id.in_(list(senders)), table.c.type_name.in_(TYPES))
             .order_by(table.c.sender_id, table.c.timestamp, table.c.id))
    current, batch = None, []
    for row in conn.execute(query):
        if row.sender_id != current:
            if batch:
                yield current, batch
            current, batch = row.sender_id, []
        try:
            data = json.loads(row.data or "{}")
        except ValueError:
            data = {}
        batch.append(Event(row.id, row.sender_id, row.type_name, row.timestamp or 0.0, data))
    if batch:
        yield current, batch


def period_range(period: str, today: date | None = None) -> tuple[date, date]:
    """``tag`` = today, ``woche`` = the last 7 days, ``monat`` = the last 30 days (local dates)."""
    today = today or datetime.now(TZ).date()
    days = {"tag": 1, "woche": 7, "monat": 30}.get(period)
    if days is None:
        raise ValueError(period)
    return today - timedelta(days=days - 1), today
