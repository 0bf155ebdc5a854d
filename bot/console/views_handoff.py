"""``POST /chat/handoff`` (citizen, from the widget) and the tenant's inbox in the console."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web

from bot.console import audit
from bot.console.handoff import MAX_CONTACT, MAX_NOTE, Inbox, transcript, valid_contact
from bot.console.notify import notify_handoff
from bot.console.render import csrf_field, e, notice, page, redirect
from bot.console.state import CONFIG_KEY, STATS_KEY
from bot.gateway.chat import read_json, tenant_for_request, validate_ags, validate_sender
from bot.gateway.errors import ApiError

INBOX_KEY: web.AppKey[Inbox] = web.AppKey("console_inbox")


async def post_handoff(request: web.Request) -> web.Response:
    """Store a handoff request; 400 with a German message for missing consent or a bad contact."""
    tenant = tenant_for_request(request)
    body = await read_json(request)
    sender = validate_sender(body.get("sender_id"))
    ags = validate_ags(tenant, body.get("ags"))
    if body.get("consent") is not True:
        raise ApiError(400, "consent_required", "Bitte bestätigen Sie, dass wir Ihr Gespräch an die Gemeinde "
                                                "weitergeben dürfen.")
    contact = body.get("contact")
    if not isinstance(contact, str) or len(contact.strip()) > MAX_CONTACT or not valid_contact(contact.strip()):
        raise ApiError(400, "invalid_contact", "Bitte geben Sie eine gültige E-Mail-Adresse oder Telefonnummer an.")
    note = body.get("note") or ""
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise ApiError(400, "invalid_note", f"Die Nachricht an die Gemeinde darf höchstens {MAX_NOTE} Zeichen haben.")
    config = request.app[CONFIG_KEY]
    loop = asyncio.get_running_loop()
    try:
        messages = await loop.run_in_executor(None, transcript, config.store_url, sender)
    except Exception:  # noqa: BLE001 - the request still arrives, without transcript
        messages = []
    await loop.run_in_executor(None, request.app[INBOX_KEY].add, tenant.id, ags, contact.strip(), note.strip(),
                               messages)
    inbox_url = f"{request.scheme}://{request.host}/staff/inbox"
    loop.run_in_executor(None, notify_handoff, tenant.id, tenant.title_for(ags), inbox_url)  # fire and forget
    return web.json_response({"ok": True, "message": "Vielen Dank. Ihre Anfrage ist bei der Gemeinde "
                              "angekommen; sie meldet sich bei Ihnen."}, headers={"Cache-Control": "no-store"})


def _when(ts: float | None) -> str:
    return time.strftime("%d.%m.%Y %H:%M", time.localtime(ts)) if ts else ""


async def get_inbox(request: web.Request) -> web.StreamResponse:
    account = request["staff"]
    inbox = request.app[INBOX_KEY]
    await asyncio.get_running_loop().run_in_executor(
        None, inbox.purge, request.app[STATS_KEY].stats.retention.total_seconds())
    entries = inbox.list(None if account.role == "landesredaktion" else account.tenant)
    csrf = request["session"].csrf
    body = notice("Als erledigt markiert.") if request.query.get("erledigt") else ""
    body += ("<p>Anfragen von Bürgerinnen und Bürgern, die ihr Gespräch mit Einwilligung an Ihre Kommune "
             "geschickt haben. Die Angaben stehen so da, wie sie eingegeben wurden; sie werden nach der "
             "Aufbewahrungsfrist automatisch gelöscht.</p>")
    if not entries:
        body += notice("Keine Anfragen.")
    for x in entries:
        lines = "".join(f'<li class="{m["from"]}"><span class="who">{"Bürger/in" if m["from"] == "citizen" else "Assistent"}'
                        f":</span> {e(m['text'])}</li>" for m in x["transcript"])
        status = (f"erledigt am {_when(x['done_at'])} von {e(x['done_by'])}" if x["status"] == "erledigt"
                  else "offen")
        action = "" if x["status"] == "erledigt" else (
            f'<form method="post" action="/staff/inbox/done">{csrf_field(csrf)}'
            f'<input type="hidden" name="id" value="{e(x["id"])}"><button type="submit">Als erledigt markieren</button>'
            "</form>")
        body += (f'<section class="card" aria-labelledby="h-{e(x["id"])}" data-handoff="{e(x["id"])}">'
                 f'<h2 id="h-{e(x["id"])}">Anfrage vom {_when(x["created"])} ({e(x["tenant"])}, AGS {e(x["ags"])})</h2>'
                 f"<p>Kontakt: <strong>{e(x['contact'])}</strong> · Status: {status}</p>"
                 + (f"<p>Nachricht: {e(x['note'])}</p>" if x["note"] else "")
                 + f"<details><summary>Gesprächsverlauf ({len(x['transcript'])} Nachrichten)</summary>"
                 f'<ul class="transcript">{lines}</ul></details>{action}</section>')
    return page("Posteingang", body, user=account, csrf=csrf, current="/staff/inbox")


async def post_done(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    entry = request.app[INBOX_KEY].get(str(form.get("id") or ""))
    if entry is None or not request["staff"].may_see(entry["tenant"]):
        raise web.HTTPNotFound()  # another tenant's entry looks like a missing one
    request.app[INBOX_KEY].done(entry["id"], request["staff"].name)
    audit.write(request.app[CONFIG_KEY].audit_path, request["staff"].name, "handoff_done", entry["tenant"],
                handoff=entry["id"])
    return redirect("/staff/inbox?erledigt=1")
