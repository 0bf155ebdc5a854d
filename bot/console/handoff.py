"""Handoff inbox: a citizen asks (with explicit consent) that the conversation goes to the Kommune.

``POST /chat/handoff`` (same tenant/origin checks as ``/chat/messages``) stores the contact address
the citizen typed and the transcript of the conversation, read from the tracker store (texts as
typed, no masking: the citizen chose to send them). Entries live in ``handoffs.db`` in the console's
state directory (mode 0600), are shown only in the inbox of that tenant and are deleted after the
retention period (``BOT_RETENTION``, default 30 days) — on every inbox access and by
``bot staff purge-handoffs``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.staff.trackers import engine_for

MAX_CONTACT, MAX_NOTE, MAX_MESSAGES = 200, 1000, 100
EMAIL_RE = re.compile(r"^[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^\+?[\d][\d /()-]{5,30}$")
_SCHEMA = """CREATE TABLE IF NOT EXISTS handoffs (id TEXT PRIMARY KEY, tenant TEXT, ags TEXT, created REAL,
contact TEXT, note TEXT, transcript TEXT, status TEXT, done_by TEXT, done_at REAL);
CREATE INDEX IF NOT EXISTS handoffs_tenant ON handoffs (tenant, created);"""


def valid_contact(value: str) -> bool:
    return bool(EMAIL_RE.match(value) or PHONE_RE.match(value))


def transcript(store_url: str, sender_id: str) -> list[dict[str, Any]]:
    """Typed citizen messages and bot answers of one conversation, oldest first (at most MAX_MESSAGES)."""
    engine = engine_for(store_url)
    try:
        table = sa.Table("events", sa.MetaData(), autoload_with=engine)
        senders = [sender_id]
        query = (sa.select(table.c.sender_id, table.c.type_name, table.c.timestamp, table.c.data)
                 .where(sa.or_(table.c.sender_id.in_(senders), table.c.sender_id.like(f"web:%:%:{sender_id}")),
                        table.c.type_name.in_(("user", "bot")))
                 .order_by(table.c.timestamp, table.c.id))
        out: list[dict[str, Any]] = []
        with engine.connect() as conn:
            for row in conn.execute(query):
                data = json.loads(row.data or "{}")
                text = str(data.get("text") or "").strip()
                if not text or text.startswith("/"):
                    continue
                out.append({"from": "citizen" if row.type_name == "user" else "bot", "ts": row.timestamp,
                            "text": text[:2000]})
    finally:
        engine.dispose()
    return out[-MAX_MESSAGES:]


class Inbox:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _db(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(self.path, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.executescript(_SCHEMA)
        return conn

    def add(self, tenant: str, ags: str, contact: str, note: str, messages: list[dict[str, Any]]) -> str:
        entry_id = secrets.token_hex(8)
        with self._db() as conn:
            conn.execute("INSERT INTO handoffs VALUES (?, ?, ?, ?, ?, ?, ?, 'offen', NULL, NULL)",
                         (entry_id, tenant, ags, time.time(), contact, note, json.dumps(messages, ensure_ascii=False)))
        return entry_id

    def list(self, tenant: str | None) -> list[dict[str, Any]]:
        with self._db() as conn:
            rows = conn.execute("SELECT * FROM handoffs" + ("" if tenant is None else " WHERE tenant = ?")
                                + " ORDER BY status = 'erledigt', created DESC LIMIT 200",
                                () if tenant is None else (tenant,)).fetchall()
        return [{**dict(r), "transcript": json.loads(r["transcript"] or "[]")} for r in rows]

    def get(self, entry_id: str) -> dict[str, Any] | None:
        with self._db() as conn:
            row = conn.execute("SELECT * FROM handoffs WHERE id = ?", (entry_id,)).fetchone()
        return dict(row) if row else None

    def done(self, entry_id: str, user: str) -> None:
        with self._db() as conn:
            conn.execute("UPDATE handoffs SET status = 'erledigt', done_by = ?, done_at = ? WHERE id = ?",
                         (user, time.time(), entry_id))

    def purge(self, older_than_seconds: float) -> int:
        with self._db() as conn:
            return conn.execute("DELETE FROM handoffs WHERE created < ?",
                                (time.time() - older_than_seconds,)).rowcount
