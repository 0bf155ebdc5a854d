"""Which tenant (config/tenants.yml id) a conversation belongs to, and what a staff account may see.

Sources, in order: ``tenant_id`` in the metadata the gateway attaches to user messages (if a
later gateway sends it); a sender id of the form ``web:<tenant>:<ags>:<uuid>`` (names the tenant
even where several tenants may claim the AGS); ``tenant_ags`` of the metadata mapped through the
tenant file (today's gateway). Anything else is ``UNKNOWN`` (only the Landesredaktion sees it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiohttp import web

from bot.gateway.chat import TENANTS_KEY

UNKNOWN = "unbekannt"
ALL = "alle"


def ags_map(tenants: Iterable[Any]) -> dict[str, str]:
    """AGS -> id of the first tenant that may claim it."""
    out: dict[str, str] = {}
    for tenant in tenants:
        for ags in getattr(tenant, "ags_titles", {}):
            out.setdefault(ags, tenant.id)
    return out


def tenant_of(sender_id: str, metadata: dict[str, Any] | None, by_ags: dict[str, str],
              known: set[str]) -> str:
    meta = metadata or {}
    if isinstance(meta.get("tenant_id"), str) and meta["tenant_id"] in known:
        return meta["tenant_id"]
    parts = sender_id.split(":")
    if len(parts) >= 4 and parts[0] == "web" and parts[1] in known:
        return parts[1]
    ags = meta.get("tenant_ags")
    if isinstance(ags, str) and ags in by_ags:
        return by_ags[ags]
    return UNKNOWN


def registry(request: web.Request) -> list[Any]:
    reg = request.config_dict.get(TENANTS_KEY)
    return list(reg.tenants) if reg is not None else []


def titles(request: web.Request) -> dict[str, str]:
    return {t.id: t.title for t in registry(request)}


def scope(request: web.Request, wanted: str | None) -> str:
    """The tenant the page shows: a Redaktion always its own (403 for another), others may pick."""
    account = request["staff"]
    known = set(titles(request))
    if account.role != "landesredaktion":
        if wanted and wanted != account.tenant:
            raise web.HTTPForbidden()
        return str(account.tenant)
    if not wanted or wanted == ALL:
        return ALL
    if wanted not in known and wanted != UNKNOWN:
        raise web.HTTPNotFound()
    return wanted
