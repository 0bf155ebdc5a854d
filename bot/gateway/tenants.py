"""Tenants: which website origins may embed the widget and which Gemeinden (AGS) each may claim.

``config/tenants.yml``::

    tenants:
      - id: fellbach
        title: Stadt Fellbach
        origins: ["https://www.fellbach.de"]
        ags: ["08119020"]                       # or [{ags: "08119020", title: "Stadt Fellbach"}]

The page's ``Origin`` header selects the tenant; the AGS in the request must be one the
tenant may claim. The title sent to Rasa comes from this file (or the register), never from
the page, so a foreign site cannot make the bot speak for a Gemeinde it does not represent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.gateway.settings import RegisterLike

AGS_RE = re.compile(r"^08[0-9]{6}\Z")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}\Z")


class TenantConfigError(ValueError):
    """The tenant file is missing, malformed or names an unknown Gemeinde."""


@dataclass(frozen=True)
class Tenant:
    """One embedding site (or group of sites) of one operator."""

    id: str
    title: str
    origins: frozenset[str]
    #: AGS -> display title ("Stadt Fellbach") used as ``tenant_title`` for Rasa.
    ags_titles: dict[str, str] = field(default_factory=dict)

    def may_claim(self, ags: str) -> bool:
        return ags in self.ags_titles

    def title_for(self, ags: str) -> str:
        return self.ags_titles.get(ags) or self.title


def normalize_origin(raw: str) -> str | None:
    """``scheme://host[:port]`` in lower case with default ports dropped, or ``None``."""
    try:
        parts = urlsplit(raw.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def register_title(entry: Any) -> str | None:
    """How a register entry names itself as an authority ("Stadt Fellbach")."""
    title = getattr(entry, "authority_name", None)
    if isinstance(title, str) and title:
        return title
    name = getattr(entry, "name", "") or ""
    if ", " in name:  # official register form "Fellbach, Stadt"
        base, kind = name.rsplit(", ", 1)
        return f"{kind} {base}"
    short = getattr(entry, "short_name", "") or name
    return f"Gemeinde {short}" if short else None


class TenantRegistry:
    """Lookup of tenants by origin; built once at startup."""

    def __init__(self, tenants: Iterable[Tenant]) -> None:
        self.tenants: list[Tenant] = list(tenants)
        self._by_origin: dict[str, Tenant] = {}
        for tenant in self.tenants:
            for origin in tenant.origins:
                if origin in self._by_origin:
                    raise TenantConfigError(
                        f"Origin {origin} ist mehreren Mandanten zugeordnet "
                        f"({self._by_origin[origin].id}, {tenant.id})"
                    )
                self._by_origin[origin] = tenant

    def for_origin(self, origin: str | None) -> Tenant | None:
        if not origin:
            return None
        normalized = normalize_origin(origin)
        return self._by_origin.get(normalized) if normalized else None

    def __len__(self) -> int:
        return len(self.tenants)


def _parse_ags_entries(tenant_id: str, raw: Any) -> list[tuple[str, str | None]]:
    if not isinstance(raw, list) or not raw:
        raise TenantConfigError(f"Mandant {tenant_id}: 'ags' muss eine nicht-leere Liste sein")
    entries: list[tuple[str, str | None]] = []
    for item in raw:
        if isinstance(item, dict):
            ags, title = str(item.get("ags", "")), item.get("title")
        else:
            ags, title = str(item), None
        if not AGS_RE.match(ags):
            raise TenantConfigError(
                f"Mandant {tenant_id}: ungültiger AGS {ags!r} (8 Ziffern, beginnend mit 08)"
            )
        entries.append((ags, str(title) if title else None))
    return entries


def parse_tenants(data: Any, register: RegisterLike | None = None) -> TenantRegistry:
    """Validate the parsed YAML; with a register, every AGS must be a real BW Gemeinde."""
    items = data.get("tenants") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise TenantConfigError("Die Mandantenliste braucht einen Schlüssel 'tenants' mit Einträgen")
    tenants: list[Tenant] = []
    seen: set[str] = set()
    for raw in items:
        if not isinstance(raw, dict):
            raise TenantConfigError("Jeder Mandant muss ein Objekt sein")
        tenant_id = str(raw.get("id", ""))
        if not _ID_RE.match(tenant_id) or tenant_id in seen:
            raise TenantConfigError(f"Ungültige oder doppelte Mandanten-ID {tenant_id!r}")
        seen.add(tenant_id)
        title = str(raw.get("title") or "").strip()
        if not title:
            raise TenantConfigError(f"Mandant {tenant_id}: 'title' fehlt")
        origins_raw = raw.get("origins")
        if not isinstance(origins_raw, list) or not origins_raw:
            raise TenantConfigError(f"Mandant {tenant_id}: 'origins' muss eine nicht-leere Liste sein")
        origins: set[str] = set()
        for origin in origins_raw:
            normalized = normalize_origin(str(origin))
            if normalized is None:
                raise TenantConfigError(f"Mandant {tenant_id}: ungültiger Origin {origin!r}")
            origins.add(normalized)
        ags_titles: dict[str, str] = {}
        for ags, ags_title in _parse_ags_entries(tenant_id, raw.get("ags")):
            entry = register.by_ags(ags) if register is not None else None
            if register is not None and entry is None:
                raise TenantConfigError(f"Mandant {tenant_id}: AGS {ags} ist keine Gemeinde in BW")
            ags_titles[ags] = ags_title or (register_title(entry) if entry else None) or title
        tenants.append(Tenant(tenant_id, title, frozenset(origins), ags_titles))
    return TenantRegistry(tenants)


def load_tenants(path: Path, register: RegisterLike | None = None) -> TenantRegistry:
    """Read and validate the tenant file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise TenantConfigError(f"Mandantenliste nicht lesbar: {path} ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise TenantConfigError(f"Mandantenliste ist kein gültiges YAML: {path}: {exc}") from None
    return parse_tenants(data, register)
