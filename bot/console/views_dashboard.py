"""Dashboard (figures and SVG charts per tenant and period), its JSON API and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from aiohttp import web

from bot.console import charts
from bot.console.render import e, notice, page, table
from bot.console.state import STATS_KEY
from bot.console.stats import period_range
from bot.console.tenancy import ALL, UNKNOWN, scope, titles

PERIODS = {"tag": "Heute", "woche": "Letzte 7 Tage", "monat": "Letzte 30 Tage"}
OUTCOME_LABELS = {"understood": "verstanden", "fallback": "nicht verstanden (Fallback)",
                  "low_confidence": "unsicher (niedrige Konfidenz)"}
_SERVICE_NAMES: dict[str, str] = {}


def service_name(service_id: str) -> str:
    if not _SERVICE_NAMES:
        try:
            from bot.core import get_core  # noqa: PLC0415 - loaded once, after startup

            _SERVICE_NAMES.update({s.id: s.name for s in get_core().catalogue.services})
        except Exception:  # noqa: BLE001 - names are a nicety; ids still identify the Leistung
            _SERVICE_NAMES["__none__"] = ""
    return _SERVICE_NAMES.get(service_id, service_id)


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %".replace(".", ",") if whole else "–"


def _params(request: web.Request) -> tuple[str, str, date, date]:
    period = request.query.get("zeitraum", "woche")
    if period not in PERIODS:
        raise web.HTTPBadRequest()
    tenant = scope(request, request.query.get("mandant"))
    first, last = period_range(period)
    return tenant, period, first, last


async def figures(request: web.Request) -> tuple[dict[str, Any] | None, str, str]:
    tenant, period, first, last = _params(request)
    refresher = request.app[STATS_KEY]
    if not await refresher.fresh(request):
        return None, tenant, period
    return refresher.stats.dashboard(tenant, first, last), tenant, period


def _choices(request: web.Request, tenant: str, period: str) -> str:
    account = request["staff"]
    options = ""
    if account.role == "landesredaktion":
        names = {ALL: "Alle Mandanten", **titles(request), UNKNOWN: "Ohne Mandant"}
        options = ('<p><label for="mandant">Mandant</label><select id="mandant" name="mandant">' + "".join(
            f'<option value="{e(k)}"{" selected" if k == tenant else ""}>{e(v)}</option>' for k, v in names.items())
            + "</select></p>")
    periods = "".join(f'<option value="{k}"{" selected" if k == period else ""}>{v}</option>'
                      for k, v in PERIODS.items())
    return (f'<form method="get" action="{request.path}" class="filters">{options}'
            f'<p><label for="zeitraum">Zeitraum</label><select id="zeitraum" name="zeitraum">{periods}</select></p>'
            '<p><button type="submit">Anzeigen</button></p></form>')


def _key_figures(d: dict[str, Any]) -> str:
    m, c, o = d["messages"], d["conversations"], d["outcomes"]
    items = [
        ("conversations", "Gespräche", f"{c}"), ("messages", "Nachrichten", f"{m}"),
        ("understood", "verstanden", pct(o["understood"], m)), ("fallback", "nicht verstanden", pct(o["fallback"], m)),
        ("low_confidence", "unsicher", pct(o["low_confidence"], m)),
        ("thumbs_up", "Daumen hoch", f"{d['thumbs_up']}"), ("thumbs_down", "Daumen runter", f"{d['thumbs_down']}"),
        ("handoffs", "Wunsch nach Mitarbeitenden", f"{d['handoffs']}"),
        ("outside_bw", "Ort außerhalb BW", pct(d["outside_bw"], c)),
        ("unknown_place", "Ort unbekannt", pct(d["unknown_place"], c)),
    ]
    return '<dl class="figures">' + "".join(
        f'<div data-figure="{k}"><dt>{label}</dt><dd>{e(v)}</dd></div>' for k, label, v in items) + "</dl>"


def render_dashboard(d: dict[str, Any]) -> str:
    days = d["per_day"]
    labels = [x["day"][8:10] + "." + x["day"][5:7] + "." for x in days]
    every = 1 if len(days) <= 10 else 5
    services = d["services"]
    o = d["outcomes"]
    parts = [
        _key_figures(d),
        '<section aria-labelledby="h-tage"><h2 id="h-tage">Gespräche und Nachrichten je Tag</h2>',
        charts.columns("c-gespraeche", "Gespräche je Tag", labels, [x["conversations"] for x in days], every),
        charts.columns("c-nachrichten", "Nachrichten je Tag", labels, [x["messages"] for x in days], every,
                       charts.BAR_ALT),
        table("Gespräche und Nachrichten je Tag", ["Tag", "Gespräche", "Nachrichten"],
              [[x["day"], x["conversations"], x["messages"]] for x in days], {1, 2}), "</section>",
        '<section aria-labelledby="h-leistungen"><h2 id="h-leistungen">Meistgefragte Leistungen</h2>',
        charts.bars("c-leistungen", "Meistgefragte Leistungen (Gespräche)",
                    [service_name(s["id"]) for s in services], [s["conversations"] for s in services]),
        table("Meistgefragte Leistungen", ["Leistung", "Gespräche"],
              [[service_name(s["id"]), s["conversations"]] for s in services], {1}), "</section>",
        '<section aria-labelledby="h-verstanden"><h2 id="h-verstanden">Wie gut wurde verstanden?</h2>',
        charts.bars("c-verstanden", "Nachrichten nach Ergebnis", list(OUTCOME_LABELS.values()),
                    [o[k] for k in OUTCOME_LABELS], ["#2e6b30", "#a4262c", "#8a4b08"]),
        table("Nachrichten nach Ergebnis", ["Ergebnis", "Nachrichten", "Anteil"],
              [[OUTCOME_LABELS[k], o[k], pct(o[k], d["messages"])] for k in OUTCOME_LABELS], {1, 2}),
        charts.bars("c-daumen", "Bewertungen", ["Daumen hoch", "Daumen runter"],
                    [d["thumbs_up"], d["thumbs_down"]], ["#2e6b30", "#a4262c"]), "</section>",
        '<section aria-labelledby="h-stunden"><h2 id="h-stunden">Nachrichten nach Uhrzeit</h2>',
        charts.columns("c-stunden", "Nachrichten nach Stunde (Ortszeit)", [f"{h}" for h in range(24)], d["hours"], 3),
        table("Nachrichten nach Stunde", ["Stunde", "Nachrichten"],
              [[f"{h:02d}–{h + 1:02d} Uhr", n] for h, n in enumerate(d["hours"])], {1}), "</section>",
    ]
    return "".join(parts)


async def get_dashboard(request: web.Request) -> web.StreamResponse:
    d, tenant, period = await figures(request)
    name = {ALL: "alle Mandanten", UNKNOWN: "ohne Mandant", **titles(request)}.get(tenant, tenant)
    body = _choices(request, tenant, period)
    if d is None:
        refresher = request.app[STATS_KEY]
        text = ("Die Gesprächsdaten sind gerade nicht lesbar. Bitte versuchen Sie es später noch einmal."
                if refresher.error else "Die Statistik wird gerade aufgebaut. Bitte laden Sie die Seite in einer "
                "Minute neu.")
        body += notice(text, "error" if refresher.error else "info")
    else:
        query = f"mandant={e(tenant)}&amp;zeitraum={e(period)}"
        body += (f"<p>{e(name)}, {e(PERIODS[period])} ({e(d['from'])} bis {e(d['to'])}). "
                 f'<a href="/staff/export/statistik.csv?{query}">Statistik als CSV herunterladen</a> · '
                 f'<a href="/staff/export/opendata.csv?{query}">Offene Daten: Frage → Leistung (CSV)</a></p>'
                 + render_dashboard(d))
    return page("Übersicht", body, user=request["staff"], csrf=request["session"].csrf, current="/staff/")


async def get_stats_api(request: web.Request) -> web.StreamResponse:
    d, _tenant, _period = await figures(request)
    if d is None:
        return web.json_response({"error": {"code": "not_ready", "message": "Die Statistik wird aufgebaut."}},
                                 status=503)
    return web.json_response(d, headers={"Cache-Control": "no-store"})


async def get_stats_csv(request: web.Request) -> web.StreamResponse:
    d, tenant, period = await figures(request)
    if d is None:
        raise web.HTTPServiceUnavailable()
    out = io.StringIO()
    w = csv.writer(out, delimiter=";")
    w.writerow(["mandant", "tag", "gespraeche", "nachrichten"])
    for x in d["per_day"]:
        w.writerow([tenant, x["day"], x["conversations"], x["messages"]])
    w.writerow([])
    w.writerow(["kennzahl", "wert"])
    for key in ("conversations", "messages", "thumbs_up", "thumbs_down", "handoffs", "outside_bw", "unknown_place"):
        w.writerow([key, d[key]])
    for key, value in d["outcomes"].items():
        w.writerow([f"messages_{key}", value])
    for s in d["services"]:
        w.writerow([f"service:{s['id']}", s["conversations"]])
    for hour, value in enumerate(d["hours"]):
        w.writerow([f"hour:{hour:02d}", value])
    return web.Response(text=out.getvalue(), content_type="text/csv", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="statistik-{tenant}-{period}.csv"',
        "Cache-Control": "no-store"})


async def get_opendata_csv(request: web.Request) -> web.StreamResponse:
    import asyncio  # noqa: PLC0415
    from datetime import datetime, timezone  # noqa: PLC0415

    from bot.console import opendata  # noqa: PLC0415
    from bot.console.state import CONFIG_KEY  # noqa: PLC0415
    from bot.console.stats import TZ  # noqa: PLC0415
    from bot.console.tenancy import ags_map, registry  # noqa: PLC0415

    tenant, period, first, _last = _params(request)
    since = datetime(first.year, first.month, first.day, tzinfo=TZ).astimezone(timezone.utc).timestamp()
    tenants = registry(request)
    rows = await asyncio.get_running_loop().run_in_executor(
        None, opendata.pairs, request.app[CONFIG_KEY].store_url, tenant, since, ags_map(tenants),
        {t.id for t in tenants})
    return web.Response(text=opendata.to_csv(rows), content_type="text/csv", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="offene-daten-{tenant}-{period}.csv"',
        "Cache-Control": "no-store"})
