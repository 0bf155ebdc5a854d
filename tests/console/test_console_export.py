"""Exports: the statistics CSV holds the dashboard's figures; the open-data CSV (question -> Leistung)
equals a direct count from the store, without questions that carry personal data or were asked once."""

from __future__ import annotations

import csv
import io
import json
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer
from console_helpers import FELLBACH, ULM, login
from gateway_helpers import FakeRegister

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from seed_trackers import events_table, seed  # noqa: E402

PII_QUESTION = "Ich heiße Erika Mustermann und brauche einen Personalausweis"
UNIQUE_QUESTION = "Brauche ich für den Angelschein am Max-Eyth-See einen Personalausweis"


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


async def test_statistics_csv_holds_the_dashboard_figures(client) -> None:
    await login(client, "anna")
    resp = await client.get("/staff/export/statistik.csv?zeitraum=woche")
    assert resp.status == 200 and resp.content_type == "text/csv"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="statistik-fellbach-woche.csv"'
    rows = rows_of(await resp.text())
    stats = await (await client.get("/staff/api/stats?zeitraum=woche")).json()
    blank = rows.index([])
    days = rows[1:blank]
    assert rows[0] == ["mandant", "tag", "gespraeche", "nachrichten"] and len(days) == 7
    assert [[d["day"], str(d["conversations"]), str(d["messages"])] for d in stats["per_day"]] == \
        [row[1:] for row in days] and {row[0] for row in days} == {"fellbach"}
    figures = dict(row for row in rows[blank + 2:])
    assert figures["conversations"] == "2" and figures["messages"] == "4"  # the seeded Fellbach conversations
    for key in ("thumbs_up", "thumbs_down", "handoffs", "outside_bw", "unknown_place"):
        assert figures[key] == str(stats[key]), key
    assert figures["messages_fallback"] == "1" and figures["service:personalausweis"] == "1"
    assert sum(int(v) for k, v in figures.items() if k.startswith("hour:")) == 4


def _conversation(sender: str, question: str, ts: float) -> list[dict]:
    meta = {"tenant_ags": FELLBACH}
    return [{"event": "user", "timestamp": ts, "text": question, "metadata": meta,
             "parse_data": {"intent": {"name": "search_service", "confidence": 0.95}}},
            {"event": "slot", "timestamp": ts + 0.1, "name": "service_id", "value": "personalausweis"}]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """300 seeded conversations of Fellbach and Ulm, plus a question with a name (asked twice) and a
    unique one (asked once), both answered with a Leistung."""
    db = tmp_path / "seeded.db"
    seed(f"sqlite:///{db}", 300, [("fellbach", FELLBACH, "Stadt Fellbach"), ("ulm", ULM, "Stadt Ulm")], days=5)
    engine = sa.create_engine(f"sqlite:///{db}")
    table = events_table(sa.MetaData())
    now = time.time() - 3600
    extra = [(str(uuid.uuid4()), PII_QUESTION), (str(uuid.uuid4()), PII_QUESTION), (str(uuid.uuid4()), UNIQUE_QUESTION)]
    with engine.begin() as conn:
        for sender, question in extra:
            conn.execute(table.insert(), [{"sender_id": sender, "type_name": ev["event"], "timestamp": ev["timestamp"],
                                           "data": json.dumps(ev, ensure_ascii=False)}
                                          for ev in _conversation(sender, question, now)])
    engine.dispose()
    return db


def direct_pairs(db: Path, ags: str | None) -> dict[tuple[str, str], int]:
    """(question, Leistung) -> conversations, straight from the events: a typed message followed by a
    ``service_id`` slot in the same turn."""
    engine = sa.create_engine(f"sqlite:///{db}")
    senders: dict[tuple[str, str], set[str]] = defaultdict(set)
    last: dict[str, str | None] = {}
    with engine.connect() as conn:
        for sender, kind, data in conn.execute(sa.text(
                "SELECT sender_id, type_name, data FROM events WHERE type_name IN ('user', 'slot') "
                "ORDER BY sender_id, timestamp, id")):
            ev = json.loads(data)
            if kind == "user":
                mine = ags is None or (ev.get("metadata") or {}).get("tenant_ags") == ags
                text = ev.get("text") or ""
                last[sender] = text if mine and not text.startswith("/") else None
            elif ev.get("name") == "service_id" and last.get(sender):
                senders[(last[sender], ev["value"])].add(sender)
                last[sender] = None
    engine.dispose()
    return {pair: len(s) for pair, s in senders.items()}


@pytest.fixture
async def seeded_client(console_env, store: Path, monkeypatch: pytest.MonkeyPatch):
    from bot.gateway import Settings, create_app

    monkeypatch.setenv("BOT_TRACKER_STORE", f"sqlite:///{store}")
    settings = Settings(rasa_url="http://127.0.0.1:9", tenants_path=console_env["tenants"], register=FakeRegister())
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client


@pytest.mark.parametrize(("user", "ags"), [("lena", None), ("anna", FELLBACH)])
async def test_opendata_export_equals_a_direct_count_without_personal_or_unique_questions(
        seeded_client, store: Path, user: str, ags: str | None) -> None:
    await login(seeded_client, user)
    resp = await seeded_client.get(f"/staff/export/opendata.csv?zeitraum=woche{'&mandant=alle' if ags is None else ''}")
    assert resp.status == 200 and resp.content_type == "text/csv"
    text = await resp.text()
    rows = rows_of(text)
    assert rows[0] == ["frage", "leistung", "gespraeche"]
    exported = {(q, s): int(n) for q, s, n in rows[1:]}
    direct = direct_pairs(store, ags)
    assert direct[(PII_QUESTION, "personalausweis")] == 2 and direct[(UNIQUE_QUESTION, "personalausweis")] == 1
    expected = {pair: n for pair, n in direct.items() if n >= 2 and pair[0] != PII_QUESTION}
    assert exported == expected and len(expected) >= 4
    assert "Erika" not in text and "Max-Eyth-See" not in text
