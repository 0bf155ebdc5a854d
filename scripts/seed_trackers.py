"""Seed a Rasa SQL tracker store with synthetic conversations (for the console's tests and timing).

Rows go straight into Rasa's ``events`` table (same columns and event JSON as Rasa's
``SQLTrackerStore``), which is fast enough for 100,000 conversations. Texts are invented
examples, a few with made-up personal data so that masking can be checked. Usage::

    python scripts/seed_trackers.py --conversations 100000 --tracker-store sqlite:///build/seed.db
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: (text, intent, service id or None)
QUESTIONS = [
    ("Ich brauche einen neuen Personalausweis", "search_service", "personalausweis"),
    ("Wie melde ich meinen Hund an?", "search_service", "hund_anmelden"),
    ("Ich bin umgezogen und muss mich ummelden", "search_service", "wohnsitz_anmelden"),
    ("Was kostet ein Reisepass?", "ask_fees", "reisepass"),
    ("Wo beantrage ich einen Bewohnerparkausweis", "search_service", "bewohnerparkausweis"),
    ("Geht die Anmeldung auch online?", "ask_online", None),
    ("Welche Unterlagen brauche ich?", "ask_documents", None),
]
UNCLEAR = [
    "Gibt es einen Zuschuss für Lastenräder?",
    "Ich heiße Erika Mustermann und brauche Hilfe beim Antrag",
    "Meine Mail ist erika@example.org bitte melden",
    "Wann wird der Sperrmüll in der Hauptstraße 5 abgeholt",
]
HANDOFF = "Ich möchte mit einem Menschen sprechen"


def events_table(metadata: sa.MetaData) -> sa.Table:
    """Rasa 3.6 ``SQLTrackerStore.SQLEvent``."""
    return sa.Table(
        "events", metadata,
        sa.Column("id", sa.Integer, sa.Sequence("events_seq"), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
    )


def user(text: str, intent: str, conf: float, ts: float, meta: dict[str, Any]) -> dict[str, Any]:
    ranking = [{"name": intent, "confidence": conf}]
    if intent == "nlu_fallback":
        ranking.append({"name": "search_service", "confidence": 0.3})
    return {"event": "user", "timestamp": ts, "metadata": meta, "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": conf}, "entities": [], "text": text,
                           "message_id": uuid.uuid4().hex, "metadata": meta, "intent_ranking": ranking},
            "input_channel": "rest", "message_id": uuid.uuid4().hex}


def bot(text: str, utter: str, ts: float) -> dict[str, Any]:
    return {"event": "bot", "timestamp": ts, "metadata": {"utter_action": utter}, "text": text, "data": {}}


def action(name: str, ts: float) -> dict[str, Any]:
    return {"event": "action", "timestamp": ts, "name": name, "policy": None, "confidence": None,
            "action_text": None, "hide_rule_turn": False}


def conversation(rng: random.Random, start: float, ags: str, title: str, sender_style: str,
                 tenant: str) -> tuple[str, list[dict[str, Any]]]:
    sid = str(uuid.UUID(int=rng.getrandbits(128)))
    sender = f"web:{tenant}:{ags}:{sid}" if sender_style == "prefixed" else sid
    meta = {"tenant_ags": ags, "tenant_title": title}
    ts = start
    evs: list[dict[str, Any]] = [action("action_session_start", ts), action("action_listen", ts)]
    for _ in range(rng.randint(1, 3)):
        ts += rng.uniform(5, 60)
        roll = rng.random()
        if roll < 0.12:
            evs += [user(rng.choice(UNCLEAR), "nlu_fallback", 0.45, ts, meta), action("action_fallback", ts + 0.1),
                    bot("Das habe ich leider nicht verstanden.", "utter_fallback", ts + 0.2)]
        elif roll < 0.2:
            text, intent, service = rng.choice(QUESTIONS)
            evs += [user(text, intent, round(rng.uniform(0.2, 0.44), 3), ts, meta), action("action_answer", ts + 0.1),
                    bot("Antwort", "utter_answer", ts + 0.2)]
        elif roll < 0.24:
            evs += [user(HANDOFF, "human_handoff", 0.95, ts, meta), action("action_handoff", ts + 0.1),
                    bot("Sie erreichen Ihre Gemeinde ...", "utter_handoff", ts + 0.2)]
        else:
            text, intent, service = rng.choice(QUESTIONS)
            evs.append(user(text, intent, round(rng.uniform(0.7, 0.99), 3), ts, meta))
            evs.append(action("action_answer_service", ts + 0.1))
            if service:
                evs.append({"event": "slot", "timestamp": ts + 0.15, "name": "service_id", "value": service})
            evs.append(bot("Antwort", "utter_service", ts + 0.2))
        if rng.random() < 0.05:
            evs.append(bot("Dieser Ort liegt nicht in Baden-Württemberg.", "utter_place_outside_bw", ts + 0.3))
        elif rng.random() < 0.05:
            evs.append(bot("Diesen Ort kenne ich nicht.", "utter_place_unknown", ts + 0.3))
        evs.append(action("action_listen", ts + 0.4))
        if rng.random() < 0.15:
            value = "positive" if rng.random() < 0.6 else "negative"
            ts += 5
            evs += [user(f"/feedback_{value}", f"feedback_{value}", 1.0, ts, {**meta, "feedback_for": "m-0"}),
                    action("action_feedback", ts + 0.1), action("action_listen", ts + 0.2)]
    return sender, evs


def tenants_ags(path: Path) -> list[tuple[str, str, str]]:
    """(tenant id, ags, title) for every AGS of the tenant file."""
    import yaml

    out = []
    for t in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tenants") or []:
        for item in t.get("ags") or []:
            ags, title = (item["ags"], item.get("title")) if isinstance(item, dict) else (str(item), None)
            out.append((t["id"], str(ags), title or t.get("title", "")))
    return out


def seed(url: str, conversations: int, tenants: list[tuple[str, str, str]], days: int = 30,
         seed_value: int = 1, now: float | None = None) -> dict[str, Any]:
    from bot.staff.trackers import engine_for

    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        if not Path(url[len("sqlite:///"):]).exists():
            Path(url[len("sqlite:///"):]).touch()
    rng = random.Random(seed_value)
    now = now or time.time()
    engine = engine_for(url)
    metadata = sa.MetaData()
    table = events_table(metadata)
    metadata.create_all(engine)
    started, rows, batch = time.perf_counter(), 0, []
    with engine.begin() as conn:
        for _ in range(conversations):
            tenant, ags, title = rng.choice(tenants)
            start = now - rng.uniform(0, days * 86400) - 300
            sender, evs = conversation(rng, start, ags, title, rng.choice(["plain", "prefixed"]), tenant)
            for ev in evs:
                batch.append({"sender_id": sender, "type_name": ev["event"], "timestamp": ev["timestamp"],
                              "intent_name": ((ev.get("parse_data") or {}).get("intent") or {}).get("name"),
                              "action_name": ev.get("name") if ev["event"] == "action" else None,
                              "data": json.dumps(ev, ensure_ascii=False)})
            if len(batch) >= 5000:
                conn.execute(table.insert(), batch)
                rows += len(batch)
                batch = []
        if batch:
            conn.execute(table.insert(), batch)
            rows += len(batch)
    engine.dispose()
    return {"conversations": conversations, "events": rows, "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--conversations", type=int, default=1000)
    p.add_argument("--tracker-store", default="sqlite:///build/seed_tracker.db")
    p.add_argument("--tenants", type=Path, default=ROOT / "config" / "tenants.yml")
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    result = seed(args.tracker_store, args.conversations, tenants_ags(args.tenants), args.days, args.seed)
    print(f"{result['conversations']} Gespräche, {result['events']} Ereignisse in {result['seconds']} s "
          f"nach {args.tracker_store.split('@')[-1]} geschrieben.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
