"""The processes of one stack: action server(s), Rasa replica(s) and gateway process(es).

Profiles:

* ``dev`` (``make run``): one Rasa + one action server, SQLite tracker store (``endpoints.yml``),
  one gateway.
* ``production`` (``make run PROFILE=production``): ``replicas`` Rasa servers, each with its own
  action server, sharing the PostgreSQL tracker store and the Redis lock store
  (``config/production/endpoints.yml``); ``gateway_workers`` gateway processes on one port
  (``SO_REUSEPORT``) that route each conversation to one replica by consistent hashing, fail over
  when it dies, and share their rate limits and conversation memory (offered buttons, delivered
  message ids) through Redis.

Rasa and the action servers bind to 127.0.0.1 only; their HTTP API needs a JWT signed with a
per-start secret (``RASA_JWT_SECRET``, written 0600 to ``build/run/rasa-jwt.secret`` for
``bot publish``). Every child is supervised (:mod:`bot.launcher.supervisor`).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT
from bot.launcher.supervisor import Child, StackError, Supervisor
from bot.rasa_jwt import SECRET_ENV, new_secret, write_secret_file

LOOPBACK = "127.0.0.1"
#: Sanic (Rasa, action server) closes idle keep-alive connections after 5 s by default, but the
#: aiohttp clients calling them (Rasa -> actions, gateway -> Rasa) reuse pooled connections for
#: 15 s; a request on a connection the server just closed fails and the citizen gets no answer.
#: The servers must keep connections open longer than the clients do.
SANIC_ENV = {"SANIC_KEEP_ALIVE_TIMEOUT": "75"}
#: Every Rasa command of the project runs with telemetry off.
QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "LOG_LEVEL": "WARNING",
             "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
RUN_DIR = PROJECT_ROOT / "build" / "run"
SECRET_FILE = RUN_DIR / "rasa-jwt.secret"
STATE_FILE = RUN_DIR / "stack.json"
#: bot.launcher.tracker_cache.STORE_TYPE (not imported here: that module loads Rasa).
TRACKER_STORE_TYPE = "bot.launcher.tracker_cache.CachedSQLTrackerStore"
PRODUCTION_ENDPOINTS = PROJECT_ROOT / "config" / "production" / "endpoints.yml"
GATEWAY_VENV = PROJECT_ROOT / ".venv-gateway"


def gateway_python() -> str:
    """The gateway's own interpreter (``.venv-gateway``, current Python) if it exists."""
    candidate = GATEWAY_VENV / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


@dataclass
class Stack:
    """``start()`` returns the gateway's base URL; ``stop()`` ends exactly what it started."""

    gateway_port: int = 8080
    rasa_port: int = 5005
    actions_port: int = 5055
    tenants: Path = PROJECT_ROOT / "config" / "tenants.yml"
    model: Path | None = None
    #: Where each process writes its output; ``None`` = inherit the terminal.
    log_dir: Path | None = None
    #: Replace the real Rasa (e.g. by a fake for tests); ``None`` runs Rasa.
    rasa_cmd: list[str] | None = None
    with_actions: bool = True
    profile: str = "dev"
    replicas: int = 1
    #: Explicit ports per replica (default: rasa_port + i, actions_port + i).
    rasa_ports: list[int] | None = None
    actions_ports: list[int] | None = None
    gateway_workers: int = 1
    #: Extra environment for Rasa replicas (e.g. POSTGRESQL_SCHEMA in tests).
    rasa_env: dict[str, str] = field(default_factory=dict)
    #: Dev profile: another SQLite tracker store file than endpoints.yml's (the benchmark's own).
    tracker_db: Path | None = None
    redis_url: str | None = None
    #: Supervision timing (tests shorten the backoff).
    backoff_initial: float = 1.0
    gateway_python: str = field(default_factory=gateway_python)
    rasa_jwt_secret: str = field(default_factory=new_secret)
    client_salt: str = field(default_factory=new_secret)
    write_run_files: bool = False
    supervisor: Supervisor | None = None
    _tmp_paths: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.profile not in ("dev", "production"):
            raise StackError(f"Unbekanntes Profil {self.profile!r} (dev oder production)")
        self.rasa_ports = self.rasa_ports or [self.rasa_port + i for i in range(self.replicas)]
        self.actions_ports = self.actions_ports or [self.actions_port + i for i in range(self.replicas)]
        self.replicas = len(self.rasa_ports)

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.gateway_port}"

    def rasa_url(self, i: int = 0) -> str:
        return f"http://{LOOPBACK}:{self.rasa_ports[i]}"

    def _endpoints_file(self, actions_port: int) -> Path:
        """The profile's endpoints file with the action server pointed at this replica's port."""
        if self.profile == "production":
            return PRODUCTION_ENDPOINTS  # ACTION_ENDPOINT_URL comes from the environment
        source = PROJECT_ROOT / "endpoints.yml"
        data = (yaml.safe_load(source.read_text(encoding="utf-8")) if source.is_file() else None) or {}
        data["action_endpoint"] = {"url": f"http://{LOOPBACK}:{actions_port}/webhook"}
        if self.tracker_db is not None:
            data["tracker_store"] = {"type": TRACKER_STORE_TYPE, "dialect": "sqlite", "db": str(self.tracker_db)}
        as_shipped = self.rasa_env.get("BOT_RASA_PATCHES", "on").lower() == "off"
        if (as_shipped or self.rasa_env.get("BOT_TRACKER_CACHE", "on").lower() == "off") and "tracker_store" in data:
            data["tracker_store"]["type"] = "SQL"  # Rasa's own store (make bench's "before")
        handle, path = tempfile.mkstemp(prefix="endpoints-", suffix=".yml")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yaml.safe_dump(data, out, allow_unicode=True)
        self._tmp_paths.append(Path(path))
        return Path(path)

    def _replica_env(self, i: int) -> dict[str, str]:
        env = {**QUIET_ENV, **SANIC_ENV, SECRET_ENV: self.rasa_jwt_secret}
        if self.profile == "production":
            from bot.staff.trackers import production_env  # lazy: pulls in SQLAlchemy

            prod = production_env(dict(os.environ))
            env.update({k: prod[k] for k in ("DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD",
                                             "REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD")})
            env["ACTION_ENDPOINT_URL"] = f"http://{LOOPBACK}:{self.actions_ports[i]}/webhook"
        return {**env, **self.rasa_env}

    def _rasa_child(self, i: int) -> Child:
        name = "rasa" if self.replicas == 1 else f"rasa-{i}"
        cmd = self.rasa_cmd or [
            sys.executable, "-m", "bot.launcher.run_rasa", "run", "--interface", LOOPBACK,
            "--port", str(self.rasa_ports[i]), "--connector", "rest",
            "--endpoints", str(self._endpoints_file(self.actions_ports[i])), "--enable-api", "--quiet",
            *(["--model", str(self.model)] if self.model else []),
        ]
        return Child(name, cmd, self._replica_env(i), f"{self.rasa_url(i)}/")

    def _actions_child(self, i: int) -> Child:
        name = "actions" if self.replicas == 1 else f"actions-{i}"
        port = self.actions_ports[i]
        cmd = [sys.executable, "-m", "bot.launcher.run_actions", "--actions", "actions", "--port", str(port)]
        return Child(name, cmd, {"SANIC_HOST": LOOPBACK, **QUIET_ENV, **SANIC_ENV},
                     f"http://{LOOPBACK}:{port}/health")

    def _gateway_child(self, w: int) -> Child:
        cmd = [self.gateway_python, "-m", "bot.gateway", "--host", LOOPBACK, "--port", str(self.gateway_port),
               "--tenants", str(self.tenants)]
        for i in range(self.replicas):
            cmd += ["--rasa-url", self.rasa_url(i),
                    "--actions-health-url", f"http://{LOOPBACK}:{self.actions_ports[i]}/health"]
        if self.gateway_workers > 1:
            cmd.append("--reuse-port")
        if self.redis_url:
            cmd += ["--redis-url", self.redis_url]
        keys = RUN_DIR / "api_keys.yml" if self.gateway_workers > 1 else None
        if keys is not None and keys.is_file() and not (PROJECT_ROOT / "config" / "api_keys.yml").is_file():
            cmd += ["--api-keys", str(keys)]
        else:
            cmd.append("--demo-api-key")
        name = "gateway" if self.gateway_workers == 1 else f"gateway-{w}"
        env = {SECRET_ENV: self.rasa_jwt_secret, "PYTHONPATH": str(PROJECT_ROOT), "PYTHONDONTWRITEBYTECODE": "1",
               "GATEWAY_CLIENT_SALT": self.client_salt}  # one salt: the processes share per-client limits
        return Child(name, cmd, env, f"{self.base_url}/healthz")

    def start(self, timeout: float = 300.0) -> str:
        deadline = time.monotonic() + timeout
        sup = self.supervisor = Supervisor(PROJECT_ROOT, self.log_dir, backoff_initial=self.backoff_initial)
        tracker_db = PROJECT_ROOT / "build" / "tracker.db"
        if self.profile == "dev" and tracker_db.is_file():
            tracker_db.chmod(0o600)  # conversations: readable by the service user only
        try:
            if self.write_run_files:
                self._write_run_files()
            if self.with_actions:
                actions = [sup.add(self._actions_child(i)) for i in range(self.replicas)]
            rasas = [sup.add(self._rasa_child(0))]
            if self.replicas > 1:  # the first replica creates the tracker tables alone
                sup.wait_ready(rasas[0].name, deadline)
            rasas += [sup.add(self._rasa_child(i)) for i in range(1, self.replicas)]
            gateways = [sup.add(self._gateway_child(w)) for w in range(self.gateway_workers)]
            for child in [*(actions if self.with_actions else []), *rasas, *gateways]:
                sup.wait_ready(child.name, deadline)
            sup.watch()
        except BaseException:
            self.stop()
            raise
        return self.base_url

    def _write_run_files(self) -> None:
        write_secret_file(SECRET_FILE, self.rasa_jwt_secret)
        STATE_FILE.write_text(json.dumps({"profile": self.profile, "gateway": self.base_url,
                                          "rasa_urls": [self.rasa_url(i) for i in range(self.replicas)]}))
        if self.gateway_workers > 1 and not (PROJECT_ROOT / "config" / "api_keys.yml").is_file():
            from bot.gateway.api.keys import hash_key, new_key

            key = new_key()
            (RUN_DIR / "api_keys.yml").write_text(yaml.safe_dump({"portals": [{
                "id": "demo", "title": "Lokaler Demo-Schlüssel", "sha256": hash_key(key), "rate_limit": 120,
                "origins": [f"http://127.0.0.1:{self.gateway_port}", f"http://localhost:{self.gateway_port}"]}]}))
            print(f"API (/api/v1): lokaler Demo-Schlüssel für diesen Start (nicht gespeichert): {key}", flush=True)

    def stop(self) -> None:
        if self.supervisor is not None:
            self.supervisor.stop()
        for path in self._tmp_paths:
            path.unlink(missing_ok=True)
        self._tmp_paths.clear()
        if self.write_run_files:
            for path in (SECRET_FILE, STATE_FILE, RUN_DIR / "api_keys.yml"):
                path.unlink(missing_ok=True)
