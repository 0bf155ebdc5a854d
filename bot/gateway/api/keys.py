"""API keys per portal: ``config/api_keys.yml`` holds only SHA-256 hashes of the keys.

::

    portals:
      - id: serviceportal-rems-murr
        sha256: "<64 hex digits>"          # or a list, to rotate keys without downtime
        origins: ["https://portal.example.de"]
        rate_limit: 60                     # requests per minute

``python -m bot.gateway.api new-key PORTAL_ID`` prints a fresh key and the entry for the file.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.gateway.tenants import normalize_origin

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
#: Keys longer than this are refused without hashing.
MAX_KEY_CHARS = 256
MAX_RATE_LIMIT = 100_000
KEY_PREFIX = "bwk_"


class ApiKeyConfigError(ValueError):
    """The API key file is missing, malformed or inconsistent."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Portal:
    """One service portal (API client)."""

    id: str
    origins: frozenset[str]
    rate_limit: int
    title: str = ""


class KeyRegistry:
    """Portals by key hash and the union of their browser origins (for CORS preflights)."""

    def __init__(self, entries: Iterable[tuple[Portal, Sequence[str]]] = ()) -> None:
        self._by_hash: dict[str, Portal] = {}
        self.portals: list[Portal] = []
        for portal, hashes in entries:
            self.portals.append(portal)
            for digest in hashes:
                if digest in self._by_hash:
                    raise ApiKeyConfigError(f"Schlüssel-Hash doppelt vergeben ({self._by_hash[digest].id}, {portal.id})")
                self._by_hash[digest] = portal
        self.origins: frozenset[str] = frozenset(o for p in self.portals for o in p.origins)

    def authenticate(self, key: str | None) -> Portal | None:
        """The portal of ``key``, or ``None`` (missing, too long or unknown)."""
        if not key or len(key) > MAX_KEY_CHARS:
            return None
        # Looked up by hash: the timing of the lookup reveals nothing about a stored key.
        return self._by_hash.get(hash_key(key))

    def allows_origin(self, origin: str | None) -> bool:
        normalized = normalize_origin(origin) if origin else None
        return normalized is not None and normalized in self.origins

    def __len__(self) -> int:
        return len(self.portals)


def _origins(portal_id: str, raw: Any) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list):
        raise ApiKeyConfigError(f"Portal {portal_id}: 'origins' muss eine Liste sein")
    out: set[str] = set()
    for origin in raw:
        normalized = normalize_origin(str(origin))
        if normalized is None:
            raise ApiKeyConfigError(f"Portal {portal_id}: ungültiger Origin {origin!r}")
        out.add(normalized)
    return frozenset(out)


def _hashes(portal_id: str, raw: Any) -> list[str]:
    values = raw if isinstance(raw, list) else [raw]
    hashes = [str(v).strip().lower() for v in values if v is not None]
    if not hashes or not all(_SHA_RE.match(h) for h in hashes):
        raise ApiKeyConfigError(
            f"Portal {portal_id}: 'sha256' muss der SHA-256-Hash des Schlüssels sein (64 Hex-Ziffern), "
            "nie der Schlüssel selbst"
        )
    return hashes


def parse_keys(data: Any) -> KeyRegistry:
    items = data.get("portals") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ApiKeyConfigError("Die Schlüsseldatei braucht eine Liste 'portals'")
    entries: list[tuple[Portal, list[str]]] = []
    seen: set[str] = set()
    for raw in items:
        if not isinstance(raw, dict):
            raise ApiKeyConfigError("Jedes Portal muss ein Objekt sein")
        pid = str(raw.get("id", ""))
        if not _ID_RE.match(pid) or pid in seen:
            raise ApiKeyConfigError(f"Ungültige oder doppelte Portal-ID {pid!r}")
        seen.add(pid)
        limit = raw.get("rate_limit", 60)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_RATE_LIMIT:
            raise ApiKeyConfigError(f"Portal {pid}: 'rate_limit' muss eine ganze Zahl von 1 bis {MAX_RATE_LIMIT} sein")
        portal = Portal(pid, _origins(pid, raw.get("origins")), limit, str(raw.get("title") or ""))
        entries.append((portal, _hashes(pid, raw.get("sha256"))))
    return KeyRegistry(entries)


def load_keys(path: Path) -> KeyRegistry:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ApiKeyConfigError(f"Schlüsseldatei nicht lesbar: {path} ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ApiKeyConfigError(f"Schlüsseldatei ist kein gültiges YAML: {path}: {exc}") from None
    return parse_keys(data)


def demo_registry(origins: Iterable[str], rate_limit: int = 120) -> tuple[KeyRegistry, str]:
    """A registry with one freshly generated local demo key; returns it with the key (shown once)."""
    key = new_key()
    portal = Portal("demo", _origins("demo", list(origins)), rate_limit, "Lokaler Demo-Schlüssel")
    return KeyRegistry([(portal, [hash_key(key)])]), key


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] != "new-key" or not _ID_RE.match(args[1]):
        print("Aufruf: python -m bot.gateway.api new-key PORTAL_ID", file=sys.stderr)
        return 2
    key = new_key()
    print(f"# Schlüssel für {args[1]} (nur jetzt sichtbar, dem Portal sicher übergeben):\n# {key}\n"
          f"  - id: {args[1]}\n    sha256: \"{hash_key(key)}\"\n    origins: []\n    rate_limit: 60")
    return 0
