"""Console settings, read from the environment (the gateway's own settings stay untouched).

- ``BOT_STAFF_USERS``: account file (default ``config/staff_users.yml``, gitignored, mode 0600)
- ``BOT_STAFF_STATE``: directory for the statistics cache, audit log and drafts state
  (default ``build/console``)
- ``BOT_STAFF_INSECURE_COOKIE=1``: session cookie without ``Secure`` (only for http://localhost)
- ``BOT_TRACKER_STORE`` (SQLAlchemy URL) or ``BOT_TRACKER_ENDPOINTS`` (endpoints file): the tracker
  store to read (default: the SQLite store of endpoints.yml)
- ``BOT_STAFF_DRAFTS``: the NLU draft file the review queue writes (default ``data/drafts/review.yml``)
- ``BOT_STAFF_REDIS_PREFIX``: key prefix of the console's state in the gateway's Redis (when the gateway
  runs with ``--redis-url``; default ``bwbuergerservice:console:``)
- ``BOT_STAFF_PUBLISH_PYTHON``: the interpreter that runs ``bot publish`` (it needs Rasa; default
  ``.venv/bin/python``, not the gateway's own ``.venv-gateway``)
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.staff.trackers import DEFAULT_STORE, url_from_endpoints


def _path(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    if not value:
        return default
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _store_url() -> str:
    if url := os.environ.get("BOT_TRACKER_STORE"):
        return url
    if endpoints := os.environ.get("BOT_TRACKER_ENDPOINTS"):
        return url_from_endpoints(_path("BOT_TRACKER_ENDPOINTS", Path(endpoints)))
    return DEFAULT_STORE


def _rasa_python() -> str:
    if value := os.environ.get("BOT_STAFF_PUBLISH_PYTHON"):
        return value
    candidate = PROJECT_ROOT / ".venv" / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


@dataclass
class ConsoleConfig:
    users_path: Path = field(default_factory=lambda: _path("BOT_STAFF_USERS", PROJECT_ROOT / "config" /
                                                           "staff_users.yml"))
    state_dir: Path = field(default_factory=lambda: _path("BOT_STAFF_STATE", PROJECT_ROOT / "build" / "console"))
    drafts_path: Path = field(default_factory=lambda: _path("BOT_STAFF_DRAFTS", PROJECT_ROOT / "data" / "drafts" /
                                                            "review.yml"))
    secure_cookie: bool = field(default_factory=lambda: os.environ.get("BOT_STAFF_INSECURE_COOKIE") != "1")
    store_url: str = field(default_factory=_store_url)
    #: Session lifetime: idle and absolute (seconds).
    session_idle: float = 30 * 60
    session_max: float = 8 * 3600
    #: Failed logins before an account is locked, and for how long (seconds).
    lockout_after: int = 5
    lockout_seconds: float = 15 * 60
    #: Login attempts per client address per window (the address is only kept as a salted hash).
    login_rate: int = 20
    login_window: float = 5 * 60
    #: How long dashboard figures are reused before the store is read again (seconds).
    stats_ttl: float = 30.0

    #: The publish command (tests put a stand-in here); default: ``<Rasa's python> -m bot.cli publish``.
    publish_cmd: list[str] | None = None
    publish_python: str = field(default_factory=_rasa_python)
    redis_prefix: str = field(default_factory=lambda: os.environ.get("BOT_STAFF_REDIS_PREFIX")
                              or "bwbuergerservice:console:")

    @property
    def stats_db(self) -> Path:
        return self.state_dir / "stats.db"

    @property
    def audit_path(self) -> Path:
        return self.state_dir / "audit.jsonl"
