"""Aggregation of the tracker store: the same figures on SQLite and on the real local PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from console_helpers import FELLBACH, PREFIXED, ULM, seed_with_rasa

from bot.console.stats import Stats, period_range
from bot.console.tenancy import ALL, UNKNOWN, tenant_of
from bot.staff.trackers import PRODUCTION_ENV_DEFAULTS

BY_AGS, KNOWN = {FELLBACH: "fellbach", ULM: "ulm"}, {"fellbach", "ulm"}


def expected_fellbach(d: dict) -> None:
    assert (d["conversations"], d["messages"]) == (2, 4)
    assert d["outcomes"] == {"understood": 2, "fallback": 1, "low_confidence": 1}
    assert (d["thumbs_up"], d["thumbs_down"], d["handoffs"]) == (0, 1, 1)
    assert (d["outside_bw"], d["unknown_place"]) == (1, 0)
    assert d["services"] == [{"id": "personalausweis", "conversations": 1}]
    assert sum(d["hours"]) == 4 and sum(x["messages"] for x in d["per_day"]) == 4


def check_store(url: str, tmp_path: Path) -> None:
    stats = Stats(url, tmp_path / "stats.db", threshold=0.45, ttl=0)
    assert stats.refresh(BY_AGS, KNOWN, force=True)["conversations"] == 3
    first, last = period_range("woche")
    expected_fellbach(stats.dashboard("fellbach", first, last))
    ulm = stats.dashboard("ulm", first, last)
    assert (ulm["conversations"], ulm["messages"], ulm["outcomes"]["fallback"], ulm["thumbs_up"],
            ulm["unknown_place"]) == (1, 1, 1, 1, 1)
    assert stats.dashboard(ALL, first, last)["conversations"] == 3
    assert stats.refresh(BY_AGS, KNOWN, force=True)["conversations"] == 0  # incremental: nothing new
    raw = (tmp_path / "stats.db").read_bytes()
    assert PREFIXED.encode() not in raw and b"Anna" not in raw  # only hashed senders, no texts


def test_aggregation_on_sqlite(store_db: Path, tmp_path: Path) -> None:
    check_store(f"sqlite:///{store_db}", tmp_path)


def test_new_events_are_picked_up(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    asyncio.run(seed_with_rasa(dialect="sqlite", db=str(db)))
    stats = Stats(f"sqlite:///{db}", tmp_path / "stats.db", threshold=0.45, ttl=0)
    stats.refresh(BY_AGS, KNOWN, force=True)
    first, last = period_range("woche")
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:  # the Ulm citizen writes once more (same conversation)
        sender = str(uuid.UUID(int=2))
        ts = conn.execute(sa.text("SELECT MAX(timestamp) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
        data = {"event": "user", "timestamp": ts + 5, "text": "Danke", "metadata": {"tenant_ags": ULM},
                "parse_data": {"intent": {"name": "thank", "confidence": 0.99}}}
        conn.execute(sa.text("INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) "
                             "VALUES (:s, 'user', :t, 'thank', :d)"), {"s": sender, "t": ts + 5, "d": json.dumps(data)})
    engine.dispose()
    assert stats.refresh(BY_AGS, KNOWN, force=True)["conversations"] == 1
    ulm = stats.dashboard("ulm", first, last)
    assert (ulm["conversations"], ulm["messages"], ulm["outcomes"]["understood"]) == (1, 2, 1)


def test_tenant_of_prefers_explicit_sources() -> None:
    assert tenant_of("x", {"tenant_id": "ulm", "tenant_ags": FELLBACH}, BY_AGS, KNOWN) == "ulm"
    assert tenant_of(f"web:ulm:{FELLBACH}:abc", {"tenant_ags": FELLBACH}, BY_AGS, KNOWN) == "ulm"
    assert tenant_of(str(uuid.uuid4()), {"tenant_ags": FELLBACH}, BY_AGS, KNOWN) == "fellbach"
    assert tenant_of("web:gibtsnicht:08000000:abc", {}, BY_AGS, KNOWN) == UNKNOWN
    assert tenant_of(str(uuid.uuid4()), None, BY_AGS, KNOWN) == UNKNOWN


@pytest.fixture
def pg_schema(monkeypatch: pytest.MonkeyPatch):
    import psycopg2

    env = {k: os.environ.get(k, v) for k, v in PRODUCTION_ENV_DEFAULTS.items()}
    schema = f"console_test_{uuid.uuid4().hex[:10]}"
    try:
        conn = psycopg2.connect(host=env["DB_HOST"], port=env["DB_PORT"], dbname=env["DB_NAME"], user=env["DB_USER"],
                                password=env["DB_PASSWORD"] or None, connect_timeout=5)
    except psycopg2.OperationalError as exc:
        pytest.fail(f"PostgreSQL auf {env['DB_HOST']}:{env['DB_PORT']} nicht erreichbar ({exc}); "
                    "die Tests brauchen den lokalen Dienst.", pytrace=False)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE SCHEMA "{schema}"')
    monkeypatch.setenv("POSTGRESQL_SCHEMA", schema)
    try:
        yield env
    finally:
        with conn.cursor() as cur:
            cur.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


def test_aggregation_on_postgresql(pg_schema: dict, tmp_path: Path) -> None:
    env = pg_schema
    asyncio.run(seed_with_rasa(dialect="postgresql", host=env["DB_HOST"], port=int(env["DB_PORT"]),
                               db=env["DB_NAME"], username=env["DB_USER"], password=env["DB_PASSWORD"]))
    check_store(f"postgresql://{env['DB_USER']}@{env['DB_HOST']}:{env['DB_PORT']}/{env['DB_NAME']}", tmp_path)
