"""Local information editor: offices, opening hours, exceptions, appointments per tenant (bot/local_info.py)."""

from __future__ import annotations

import shutil
import time
from datetime import date
from typing import Any

import yaml
from aiohttp import web

from bot.console import audit
from bot.console.render import csrf_field, e, notice, page, redirect
from bot.console.state import CONFIG_KEY
from bot.console.tenancy import ALL, registry, scope
from bot.local_info import DAY_NAMES, DAYS, local_dir, problems

FIELDS = [("name", "Name der Stelle (z. B. Bürgerbüro Fellbach)"), ("appointment_url", "Terminbuchung (https-Adresse)"),
          ("phone", "Telefon"), ("email", "E-Mail"), ("services", "Nur für diese Leistungen (Kennungen, mit Komma; "
                                                                   "leer = für alle)")]


def _tenant(request: web.Request, wanted: str | None) -> str:
    tenant = scope(request, wanted)
    if tenant == ALL:
        raise web.HTTPBadRequest()
    return tenant


def _load(tenant: str) -> dict[str, Any]:
    path = local_dir() / f"{tenant}.yml"
    if not path.is_file():
        return {"stand": date.today().isoformat(), "offices": []}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {"offices": []}


def _save(tenant: str, doc: dict[str, Any]) -> None:
    path = local_dir() / f"{tenant}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file():  # history: every earlier version stays
        history = path.parent / "history" / tenant
        history.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, history / f"{time.strftime('%Y%m%dT%H%M%S')}.yml")
    header = "# Lokale Angaben der Kommune, gepflegt in der Mitarbeiterkonsole (/staff/local). Format: bot/local_info.py\n"
    path.write_text(header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _form(tenant: str, ags_choices: dict[str, str], office: dict[str, Any], index: int, csrf: str) -> str:
    def text(key: str, label: str) -> str:
        value = office.get(key) or ""
        value = ", ".join(value) if isinstance(value, list) else value
        return f'<p><label for="f-{key}">{e(label)}</label><input id="f-{key}" name="{key}" value="{e(value)}"></p>'

    ags = "".join(f'<option value="{e(a)}"{" selected" if office.get("ags") == a else ""}>{e(t)} ({e(a)})</option>'
                  for a, t in ags_choices.items())
    hours = "".join(
        f'<p><label for="h-{d}">{DAY_NAMES[d]}</label><input id="h-{d}" name="h-{d}" '
        f'value="{e(", ".join((office.get("hours") or {}).get(d) or []))}" placeholder="08:00-12:00, 14:00-18:30"></p>'
        for d in DAYS)
    exceptions = "\n".join(f"{x.get('date')} {x.get('note') or ''}".strip() for x in office.get("exceptions") or [])
    return (f'<form method="post" action="/staff/local/save" class="card">{csrf_field(csrf)}'
            f'<input type="hidden" name="mandant" value="{e(tenant)}"><input type="hidden" name="index" value="{index}">'
            + text(*FIELDS[0]) + f'<p><label for="f-ags">Gemeinde</label><select id="f-ags" name="ags">{ags}</select></p>'
            + '<fieldset><legend>Öffnungszeiten je Wochentag (leer = geschlossen)</legend>' + hours + "</fieldset>"
            + '<p><label for="f-ex">Geschlossen an (je Zeile: JJJJ-MM-TT und ein Hinweis)</label>'
            f'<textarea id="f-ex" name="exceptions" rows="3">{e(exceptions)}</textarea></p>'
            + "".join(text(k, label) for k, label in FIELDS[1:])
            + '<p><button type="submit">Speichern</button></p></form>')


async def get_local(request: web.Request) -> web.StreamResponse:
    tenant = _tenant(request, request.query.get("mandant"))
    doc = _load(tenant)
    csrf = request["session"].csrf
    tenants = {t.id: t for t in registry(request)}
    ags_choices = dict(tenants[tenant].ags_titles) if tenant in tenants else {}
    offices = doc.get("offices") or []
    body = notice("Gespeichert. Der Assistent nutzt die Angaben ab sofort.") if request.query.get("gespeichert") else ""
    body += (f"<p>Öffnungszeiten, Terminbuchung und Kontakt Ihrer Stellen. Der Assistent nennt sie mit „Stand“ "
             f"(zuletzt: {e(doc.get('stand'))}); wo nichts eingetragen ist, verweist er auf service-bw.</p>")
    if offices:
        body += "<ul>" + "".join(f'<li><a href="/staff/local?mandant={e(tenant)}&amp;stelle={i}">{e(o.get("name"))}'
                                 "</a></li>" for i, o in enumerate(offices)) + "</ul>"
    try:
        index = int(request.query.get("stelle", len(offices)))
    except ValueError:
        raise web.HTTPBadRequest() from None
    office = offices[index] if 0 <= index < len(offices) else {}
    index = index if office else len(offices)
    body += f"<h2>{'Stelle bearbeiten' if office else 'Neue Stelle'}</h2>" + _form(tenant, ags_choices, office, index, csrf)
    return page("Lokale Angaben", body, user=request["staff"], csrf=csrf, current="/staff/local")


def _office_from(form: Any) -> dict[str, Any]:
    hours = {d: [s.strip() for s in str(form.get(f"h-{d}") or "").split(",") if s.strip()] for d in DAYS}
    exceptions = []
    for line in str(form.get("exceptions") or "").splitlines():
        if line.strip():
            day, _, note = line.strip().partition(" ")
            exceptions.append({"date": day, "closed": True, **({"note": note.strip()[:100]} if note.strip() else {})})
    return {"name": str(form.get("name") or "").strip()[:120], "ags": str(form.get("ags") or ""),
            "services": [s.strip() for s in str(form.get("services") or "").split(",") if s.strip()],
            "hours": {d: v for d, v in hours.items() if v}, "exceptions": exceptions,
            "appointment_url": str(form.get("appointment_url") or "").strip()[:300],
            "phone": str(form.get("phone") or "").strip()[:40], "email": str(form.get("email") or "").strip()[:120]}


async def post_local(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    tenant = _tenant(request, str(form.get("mandant") or "") or None)
    tenants = {t.id: t for t in registry(request)}
    office = _office_from(form)
    if tenant in tenants and not tenants[tenant].may_claim(office["ags"]):
        raise web.HTTPForbidden()
    doc = _load(tenant)
    offices = list(doc.get("offices") or [])
    try:
        index = int(str(form.get("index")))
    except ValueError:
        raise web.HTTPBadRequest() from None
    if 0 <= index < len(offices):
        offices[index] = office
    else:
        offices.append(office)
    new = {"stand": date.today().isoformat(), "offices": offices}
    from bot.console.views_review import _service_options  # noqa: PLC0415

    found = problems(new, {sid for sid, _ in _service_options()} or None)
    if found:
        csrf = request["session"].csrf
        ags_choices = dict(tenants[tenant].ags_titles) if tenant in tenants else {}
        body = ('<div role="alert" class="notice error"><p>Bitte korrigieren Sie:</p><ul>'
                + "".join(f"<li>{e(p)}</li>" for p in found) + "</ul></div>"
                + _form(tenant, ags_choices, office, index, csrf))
        return page("Lokale Angaben", body, user=request["staff"], csrf=csrf, current="/staff/local", status=400)
    _save(tenant, new)
    audit.write(request.app[CONFIG_KEY].audit_path, request["staff"].name, "local_info_saved", tenant,
                office=office["name"])
    return redirect(f"/staff/local?mandant={tenant}&gespeichert=1")
