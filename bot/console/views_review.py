"""Review queue in the browser: what ``bot review`` finds, per tenant, grouped, masked; decisions go to drafts."""

from __future__ import annotations

import asyncio
import hashlib
import time
from datetime import datetime, timezone
from typing import Any

from aiohttp import web

from bot.config import PROJECT_ROOT
from bot.console import audit, drafts
from bot.console.checks_drafts import domain_intents
from bot.console.render import csrf_field, e, notice, page, redirect
from bot.console.state import CONFIG_KEY
from bot.console.stats import TZ, period_range
from bot.console.tenancy import ALL, ags_map, registry, scope, tenant_of
from bot.staff.flagged import Group, fallback_threshold, flag_conversation, group
from bot.staff.review import REASON_LABELS, _example_line
from bot.staff.trackers import engine_for, iter_conversations

PERIODS = {"woche": "Letzte 7 Tage", "monat": "Letzte 30 Tage"}
TTL = 60.0
_cache: dict[tuple[str, str, str], tuple[float, list[Group]]] = {}


def group_id(g: Group) -> str:
    return hashlib.sha256(g.key.encode()).hexdigest()[:12]


def review_groups(url: str, tenant: str, since: float, by_ags: dict[str, str], known: set[str]) -> list[Group]:
    """:func:`bot.staff.review.review`, restricted to one tenant's conversations (``alle``: every one)."""
    threshold = fallback_threshold()
    engine = engine_for(url)
    try:
        flagged = []
        for sender, events in iter_conversations(engine, since=since):
            if tenant != ALL:
                meta = next((ev.data.get("metadata") for ev in events
                             if ev.type_name == "user" and ev.data.get("metadata")), None)
                if tenant_of(sender, meta, by_ags, known) != tenant:
                    continue
            flagged += [item for item in flag_conversation(events, threshold) if item.reasons]
    finally:
        engine.dispose()
    return group(flagged)


async def groups_for(request: web.Request, tenant: str, period: str) -> list[Group]:
    config = request.app[CONFIG_KEY]
    key = (config.store_url, tenant, period)
    hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < TTL and request.method == "GET":
        return hit[1]
    first, _last = period_range(period)
    since = datetime(first.year, first.month, first.day, tzinfo=TZ).astimezone(timezone.utc).timestamp()
    tenants = registry(request)
    result = await asyncio.get_running_loop().run_in_executor(
        None, review_groups, config.store_url, tenant, since, ags_map(tenants), {t.id for t in tenants})
    _cache[key] = (time.monotonic(), result)
    return result


def _service_options() -> list[tuple[str, str]]:
    try:
        from bot.core import get_core  # noqa: PLC0415

        return sorted(((s.id, s.name) for s in get_core().catalogue.curated), key=lambda x: x[1])
    except Exception:  # noqa: BLE001
        return []


def _group_html(g: Group, n: int, decided: dict[str, Any] | None, csrf: str, tenant: str, period: str,
                intents: list[str], services: list[tuple[str, str]]) -> str:
    d = g.to_dict()
    gid = group_id(g)
    reasons = ", ".join(f"{REASON_LABELS.get(r, r)} {c}" for r, c in d["reasons"].items())
    examples = "".join(f"<li>{e(x)}</li>" for x in d["examples"])
    state = ""
    if decided:
        what = drafts.DECISIONS.get(str(decided.get("decision")), "")
        detail = ", ".join(str(v) for v in (decided.get("intent"), decided.get("service")) if v)
        state = f'<p class="decided">Entscheidung: {e(what)}{": " + e(detail) if detail else ""}</p>'
    intent_opts = '<option value="">– keine –</option>' + "".join(
        f'<option value="{e(i)}"{" selected" if decided and decided.get("intent") == i else ""}>{e(i)}</option>'
        for i in intents)
    service_opts = '<option value="">– keine –</option>' + "".join(
        f'<option value="{e(sid)}"{" selected" if decided and decided.get("service") == sid else ""}>{e(name)}</option>'
        for sid, name in services)
    return f"""<section class="card group" aria-labelledby="g-{gid}" data-group="{gid}">
<h2 id="g-{gid}">Gruppe {n}: „{e(d['example'])}“</h2>
<p>{d['count']} Nachrichten in {d['conversations']} Gesprächen · Gründe: {e(reasons)} · Vermutung des Modells:
{e(d['intent_guess'] or '–')} · zuletzt {e(d['last_seen'][:16].replace('T', ' '))} UTC</p>
<details><summary>Beispiele ({len(d['examples'])})</summary><ul>{examples}</ul></details>
{state}
<form method="post" action="/staff/review/assign">
{csrf_field(csrf)}<input type="hidden" name="group" value="{gid}">
<input type="hidden" name="mandant" value="{e(tenant)}"><input type="hidden" name="zeitraum" value="{e(period)}">
<p><label for="i-{gid}">Absicht</label><select id="i-{gid}" name="intent">{intent_opts}</select></p>
<p><label for="s-{gid}">Leistung</label><select id="s-{gid}" name="service">{service_opts}</select></p>
<p class="buttons"><button type="submit" name="decision" value="intent">Zuordnen</button>
<button type="submit" name="decision" value="out_of_scope" class="secondary">Außerhalb des Angebots</button>
<button type="submit" name="decision" value="ignore" class="secondary">Ignorieren</button></p>
</form></section>"""


async def get_review(request: web.Request) -> web.StreamResponse:
    tenant = scope(request, request.query.get("mandant"))
    period = request.query.get("zeitraum", "woche")
    if period not in PERIODS:
        raise web.HTTPBadRequest()
    config = request.app[CONFIG_KEY]
    try:
        groups = await groups_for(request, tenant, period)
    except Exception:  # noqa: BLE001 - store unreachable: German notice, no trace
        groups = None
    decided = drafts.by_group(config.drafts_path)
    csrf = request["session"].csrf
    saved = notice("Die Entscheidung wurde im Entwurf gespeichert.") if request.query.get("gespeichert") else ""
    periods = "".join(f'<option value="{k}"{" selected" if k == period else ""}>{v}</option>'
                      for k, v in PERIODS.items())
    body = (saved + f'<form method="get" action="/staff/review" class="filters">'
            f'<input type="hidden" name="mandant" value="{e(tenant)}">'
            f'<p><label for="zeitraum">Zeitraum</label><select id="zeitraum" name="zeitraum">{periods}</select></p>'
            '<p><button type="submit">Anzeigen</button></p></form>'
            "<p>Nachrichten, die der Assistent nicht oder unsicher verstanden hat oder die mit „Daumen runter“ "
            "bewertet wurden, nach ähnlichem Text gruppiert. Personenbezogene Daten sind maskiert. Ihre "
            f"Entscheidungen landen im Entwurf <code>{e(_rel(config.drafts_path))}</code>, nicht direkt im "
            "Training.</p>")
    if groups is None:
        body += notice("Die Gesprächsdaten sind gerade nicht lesbar. Bitte versuchen Sie es später noch einmal.",
                       "error")
    elif not groups:
        body += notice("Keine auffälligen Nachrichten im gewählten Zeitraum.")
    else:
        intents, services = sorted(domain_intents(PROJECT_ROOT)), _service_options()
        total = sum(g.count for g in groups)
        body += f'<p data-total="{total}">{total} Nachrichten in {len(groups)} Gruppen.</p>'
        body += "".join(_group_html(g, i, decided.get(group_id(g)), csrf, tenant, period, intents, services)
                        for i, g in enumerate(groups[:50], 1))
    return page("Prüfliste", body, user=request["staff"], csrf=csrf, current="/staff/review")


def _rel(path: Any) -> str:
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


async def post_assign(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    tenant = scope(request, str(form.get("mandant") or "") or None)
    period = str(form.get("zeitraum") or "woche")
    if period not in PERIODS:
        raise web.HTTPBadRequest()
    decision, gid = str(form.get("decision") or ""), str(form.get("group") or "")
    intent, service = str(form.get("intent") or "") or None, str(form.get("service") or "") or None
    if decision not in drafts.DECISIONS:
        raise web.HTTPBadRequest()
    if intent and intent not in domain_intents(PROJECT_ROOT):
        raise web.HTTPBadRequest()
    if service and service not in {sid for sid, _ in _service_options()}:
        raise web.HTTPBadRequest()
    if decision == "intent" and not intent and not service:
        return page("Prüfliste", notice("Bitte wählen Sie eine Absicht oder eine Leistung aus.", "error")
                    + f'<p><a href="/staff/review?mandant={e(tenant)}&amp;zeitraum={e(period)}">Zurück zur Prüfliste'
                    "</a></p>", user=request["staff"], csrf=request["session"].csrf, status=400)
    if decision == "out_of_scope":
        intent, service = "out_of_scope", None
    elif decision == "ignore":
        intent, service = None, None
    groups = {group_id(g): g for g in await groups_for(request, tenant, period)}
    g = groups.get(gid)
    if g is None:  # not (or no longer) in this tenant's queue: also blocks guessing another tenant's ids
        raise web.HTTPNotFound()
    examples = [_example_line(x) for x in g.examples() if x.strip()]
    entry = {"group": gid, "decision": decision, "intent": intent, "service": service,
             "tenant": tenant, "examples": examples}
    config = request.app[CONFIG_KEY]
    drafts.upsert(config.drafts_path, entry)
    audit.write(config.audit_path, request["staff"].name, "review_decision", tenant, group=gid,
                decision=decision, intent=intent, service=service)
    return redirect(f"/staff/review?mandant={tenant}&zeitraum={period}&gespeichert=1#g-{gid}")
