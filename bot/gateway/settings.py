"""Gateway settings (plain data, no I/O at import time)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The only path of Rasa the gateway relays to (REST channel).
WEBHOOK_PATH = "/webhooks/rest/webhook"


class GemeindeLike(Protocol):
    """What the gateway needs from a register entry (see ``bot.places.register.Gemeinde``)."""

    ags: str
    name: str
    short_name: str


class RegisterLike(Protocol):
    """The slice of the Gemeinde register the gateway uses: ``by_ags`` -> entry or ``None``."""

    def by_ags(self, ags: str) -> Any | None: ...


@dataclass
class Settings:
    """Everything :func:`bot.gateway.create_app` needs.

    ``register`` may be injected (tests use a small fake). When it is ``None`` the app
    loads ``bot.core.get_core().register`` lazily on startup; if that module is not
    available, AGS values are only format-checked unless ``require_register`` is set.
    """

    rasa_url: str = "http://127.0.0.1:5005"
    tenants_path: Path = PROJECT_ROOT / "config" / "tenants.yml"
    web_dir: Path = PROJECT_ROOT / "web"
    host: str = "127.0.0.1"
    port: int = 8080
    #: Seconds to wait for Rasa's answer before giving up with 504.
    rasa_timeout: float = 30.0
    max_message_chars: int = 1000
    max_payload_chars: int = 300
    #: Upper bound for request bodies; larger bodies get 413 before any parsing.
    max_body_bytes: int = 16 * 1024
    register: RegisterLike | None = None
    require_register: bool = False
    #: API keys per portal (SHA-256 hashes only); see config/api_keys.example.yml.
    api_keys_path: Path = PROJECT_ROOT / "config" / "api_keys.yml"
    #: Without an API key file: generate a local demo key at startup and print it once.
    demo_api_key: bool = False
    #: Secret for the JWT of Rasa's HTTP API on loopback (``RASA_JWT_SECRET``), for /api/v1/health
    #: and /version; sent as ``Authorization: Bearer``, never in a URL.
    rasa_jwt_secret: str | None = None
    #: The action server's health URL (loopback), for /api/v1/health.
    actions_health_url: str = "http://127.0.0.1:5055/health"
    #: Several Rasa replicas (production profile): their URLs and their action servers' health
    #: URLs, pairwise. Empty = the single ``rasa_url`` / ``actions_health_url``.
    rasa_urls: tuple[str, ...] = ()
    actions_health_urls: tuple[str, ...] = ()
    #: Redis shared by several gateway processes: rate limits (``bot/gateway/limits.py``) and what
    #: each conversation was offered (``bot/gateway/memory.py``). ``None`` = in this process.
    redis_url: str | None = None
    #: Salt of the hashed client addresses in the per-client limits; several gateway processes that share
    #: their limits through Redis need the same one (the launcher sets ``GATEWAY_CLIENT_SALT`` per start).
    client_salt: str | None = None
    #: Detect the language of typed messages without ``lang`` (bot/gateway/detect.py); ``language_detector``
    #: replaces the default one (py3langid's model, loaded on first use), e.g. with a fake in tests.
    detect_language: bool = True
    language_detector: Any | None = None

    @property
    def replicas(self) -> list[tuple[str, str]]:
        """``(rasa_url, actions_health_url)`` of every Rasa replica, in configuration order."""
        if not self.rasa_urls:
            return [(self.rasa_url.rstrip("/"), self.actions_health_url)]
        health = list(self.actions_health_urls) or [self.actions_health_url]
        if len(health) != len(self.rasa_urls):
            raise ValueError("each Rasa replica needs its action server health URL")
        return [(url.rstrip("/"), h) for url, h in zip(self.rasa_urls, health, strict=True)]

    @property
    def webhook_url(self) -> str:
        """The single Rasa path the gateway ever calls (on the first replica)."""
        return self.replicas[0][0] + WEBHOOK_PATH
