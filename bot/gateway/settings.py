"""Gateway settings (plain data, no I/O at import time)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    #: Token of Rasa's HTTP API on loopback (``RASA_TOKEN``), for /api/v1/health and /version.
    rasa_token: str | None = None
    #: The action server's health URL (loopback), for /api/v1/health.
    actions_health_url: str = "http://127.0.0.1:5055/health"

    @property
    def webhook_url(self) -> str:
        """The single Rasa URL the gateway ever calls."""
        return self.rasa_url.rstrip("/") + "/webhooks/rest/webhook"
