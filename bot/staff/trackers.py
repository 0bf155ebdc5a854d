"""Read (and purge) conversations in Rasa's SQL tracker store without loading Rasa.

The store is Rasa's ``SQLTrackerStore``: one table ``events`` (id, sender_id, type_name, timestamp,
intent_name, action_name, data = the event as JSON). SQLite by default (``endpoints.yml``),
PostgreSQL in the production profile (``config/production/endpoints.yml``). Like Rasa, a PostgreSQL
connection honours ``POSTGRESQL_SCHEMA`` (``search_path``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from bot.config import PROJECT_ROOT

DEFAULT_STORE = "sqlite:///build/tracker.db"
#: Defaults for the variables used by config/production/endpoints.yml (applied when unset).
PRODUCTION_ENV_DEFAULTS = {
    "DB_HOST": "127.0.0.1", "DB_PORT": "5432", "DB_NAME": "test", "DB_USER": "postgres", "DB_PASSWORD": "",
    "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_DB": "1", "REDIS_PASSWORD": "",
    "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
}
_ENV_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class StoreError(RuntimeError):
    """The tracker store cannot be read (bad URL, unreachable, no events table)."""


def production_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment with the production profile's defaults filled in for unset variables."""
    return {**PRODUCTION_ENV_DEFAULTS, **(os.environ if environ is None else environ)}


def read_endpoints(path: Path, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """An endpoints file with ``${VAR}`` expanded (unset variables take PRODUCTION_ENV_DEFAULTS)."""
    env = production_env(environ)

    def expand(match: re.Match[str]) -> str:
        if match.group(1) not in env:
            raise StoreError(f"Umgebungsvariable {match.group(1)} ist nicht gesetzt ({path})")
        return env[match.group(1)]

    text = _ENV_RE.sub(expand, path.read_text(encoding="utf-8"))
    return yaml.safe_load(text) or {}


#: Rasa's SQL store and ours with the per-sender cache (bot.launcher.tracker_cache.STORE_TYPE):
#: the same table, so the staff tools read both.
SQL_STORE_TYPES = ("sql", "bot.launcher.tracker_cache.cachedsqltrackerstore")


def url_from_endpoints(path: Path, environ: dict[str, str] | None = None) -> str:
    """The SQLAlchemy URL of the ``tracker_store`` section (Rasa's SQL tracker store keys)."""
    conf = read_endpoints(path, environ).get("tracker_store") or {}
    if str(conf.get("type", "")).lower() not in SQL_STORE_TYPES:
        raise StoreError(f"{path}: tracker_store ist kein SQL-Tracker-Store (type: SQL)")
    dialect = str(conf.get("dialect") or "sqlite")
    host = str(conf.get("url") or "") or None
    if host and "://" in host:
        return host
    if dialect == "sqlite":
        return f"sqlite:///{conf.get('db') or 'rasa.db'}"
    url = sa.engine.URL.create(
        dialect, username=str(conf["username"]) if conf.get("username") else None,
        password=str(conf["password"]) if conf.get("password") else None, host=host,
        port=int(conf["port"]) if conf.get("port") else None, database=str(conf.get("db") or "rasa.db"))
    return url.render_as_string(hide_password=False)


def engine_for(url: str) -> sa.engine.Engine:
    """An engine for the store; relative SQLite paths are relative to the project (where Rasa runs)."""
    parsed = sa.engine.make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not Path(parsed.database).is_absolute():
            parsed = parsed.set(database=str(PROJECT_ROOT / parsed.database))
        if parsed.database and parsed.database != ":memory:" and not Path(parsed.database).is_file():
            raise StoreError(f"Tracker-Datenbank nicht gefunden: {parsed.database}")
    elif parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": 10}
        if schema := os.environ.get("POSTGRESQL_SCHEMA"):
            kwargs["connect_args"]["options"] = f"-csearch_path={schema}"
    return sa.create_engine(parsed, future=True, **kwargs)


_DURATION_RE = re.compile(r"^(\d+)\s*([dhmw])$")


def parse_duration(text: str) -> timedelta:
    """``30d``, ``24h``, ``90m``, ``2w`` -> timedelta."""
    m = _DURATION_RE.match(text.strip().lower())
    if not m:
        raise ValueError(f"ungültige Dauer: {text!r} (z. B. 30d, 24h)")
    unit = {"d": "days", "h": "hours", "m": "minutes", "w": "weeks"}[m.group(2)]
    return timedelta(**{unit: int(m.group(1))})


def parse_when(text: str, now: datetime | None = None) -> datetime:
    """A point in time: a duration back from now (``7d``) or an ISO date/time (UTC if naive)."""
    now = now or datetime.now(timezone.utc)
    try:
        return now - parse_duration(text)
    except ValueError:
        pass
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"ungültiger Zeitpunkt: {text!r} (z. B. 7d, 24h, 2026-11-01)") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


@dataclass
class Event:
    id: int
    sender_id: str
    type_name: str
    timestamp: float
    data: dict[str, Any]


def _events_table(engine: sa.engine.Engine) -> sa.Table:
    try:
        return sa.Table("events", sa.MetaData(), autoload_with=engine)
    except sa.exc.NoSuchTableError:
        raise StoreError("Der Tracker-Store enthält keine Tabelle 'events'.") from None
    except sa.exc.OperationalError as exc:
        raise StoreError(f"Tracker-Store nicht erreichbar: {str(exc.orig).strip().splitlines()[0]}") from None


def iter_conversations(engine: sa.engine.Engine, since: float | None = None,
                       types: tuple[str, ...] = ("user", "bot", "action")) -> Iterator[tuple[str, list[Event]]]:
    """Conversations with events at or after ``since``, as (sender_id, events in order)."""
    table = _events_table(engine)
    query = sa.select(table.c.id, table.c.sender_id, table.c.type_name, table.c.timestamp, table.c.data)
    query = query.where(table.c.type_name.in_(types))
    if since is not None:
        query = query.where(table.c.timestamp >= since)
    query = query.order_by(table.c.sender_id, table.c.timestamp, table.c.id)
    current: str | None = None
    batch: list[Event] = []
    with engine.connect() as conn:
        for row in conn.execution_options(stream_results=True).execute(query):
            if row.sender_id != current:
                if batch:
                    yield current or "", batch
                current, batch = row.sender_id, []
            try:
                data = json.loads(row.data or "{}")
            except ValueError:
                data = {}
            batch.append(Event(row.id, row.sender_id, row.type_name, row.timestamp or 0.0, data))
    if batch:
        yield current or "", batch


def purge(engine: sa.engine.Engine, before: float, dry_run: bool = False) -> tuple[int, int]:
    """Delete all events older than ``before`` (epoch seconds); returns (events, conversations)."""
    table = _events_table(engine)
    old = table.c.timestamp < before
    with engine.begin() as conn:
        events = conn.execute(sa.select(sa.func.count()).select_from(table).where(old)).scalar_one()
        senders = conn.execute(sa.select(sa.func.count(sa.distinct(table.c.sender_id))).where(old)).scalar_one()
        if not dry_run and events:
            conn.execute(table.delete().where(old))
    return int(events), int(senders)


def add_store_args(parser: Any) -> None:
    """``--tracker-store URL`` or ``--endpoints FILE`` (default: the SQLite store of endpoints.yml)."""
    src = parser.add_mutually_exclusive_group()
    src.add_argument("--tracker-store", metavar="URL",
                     help=f"SQLAlchemy-URL des Tracker-Stores (Standard: {DEFAULT_STORE})")
    src.add_argument("--endpoints", type=Path, metavar="DATEI",
                     help="tracker_store aus dieser endpoints-Datei, z. B. config/production/endpoints.yml")


def store_url(args: Any) -> str:
    if getattr(args, "tracker_store", None):
        return str(args.tracker_store)
    if getattr(args, "endpoints", None):
        return url_from_endpoints(args.endpoints)
    return DEFAULT_STORE
