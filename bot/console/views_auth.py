"""Login, logout and the audit page."""

from __future__ import annotations

import asyncio
import secrets

from aiohttp import web

from bot.console import audit
from bot.console.render import csrf_field, e, notice, page, redirect, table
from bot.console.sessions import COOKIE, PRE_COOKIE
from bot.console.shared import SharedStateUnavailable
from bot.console.state import ACCOUNTS_KEY, CONFIG_KEY, RATE_KEY, SESSIONS_KEY
from bot.gateway.api.ratelimit import CLIENT_LIMITS_KEY, client_key

FAILED = {
    "invalid": "Benutzername oder Passwort ist falsch.",
    "locked": "Dieses Konto ist nach zu vielen Fehlversuchen vorübergehend gesperrt. Bitte versuchen Sie es in "
              "15 Minuten erneut oder wenden Sie sich an die Landesredaktion.",
    "disabled": "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Landesredaktion.",
    "rate": "Zu viele Anmeldeversuche von diesem Gerät. Bitte warten Sie einige Minuten.",
    "unavailable": "Die Anmeldung ist gerade nicht möglich. Bitte versuchen Sie es in einigen Minuten erneut.",
}


def _cookie_args(request: web.Request) -> dict:
    return {"path": "/staff", "httponly": True, "samesite": "Strict",
            "secure": request.app[CONFIG_KEY].secure_cookie}


def login_form(request: web.Request, message: str = "", status: int = 200, name: str = "") -> web.Response:
    token = secrets.token_urlsafe(32)
    body = (notice(message, "error") if message else "") + f"""
<form method="post" action="/staff/login" class="card narrow">
  {csrf_field(token)}
  <p><label for="name">Benutzername</label>
  <input id="name" name="name" autocomplete="username" required maxlength="64" value="{e(name)}"></p>
  <p><label for="password">Passwort</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"></p>
  <p><button type="submit">Anmelden</button></p>
</form>
<p class="hint">Nur für Mitarbeitende der Kommunen und der Landesredaktion. Konten vergibt die Landesredaktion.</p>"""
    response = page("Anmelden", body, status=status)
    response.set_cookie(PRE_COOKIE, token, max_age=3600, **_cookie_args(request))
    return response


async def get_login(request: web.Request) -> web.StreamResponse:
    return login_form(request)


async def post_login(request: web.Request) -> web.StreamResponse:
    config = request.app[CONFIG_KEY]
    form = await request.post()
    name, password = str(form.get("name") or "").strip().lower()[:64], str(form.get("password") or "")[:256]
    # the gateway's salted hash of the client address (behind the local proxy: the forwarded one)
    if not await request.app[RATE_KEY].allow(client_key(request, request.app[CLIENT_LIMITS_KEY])):
        return login_form(request, FAILED["rate"], 429, name)
    if not name or not password:
        return login_form(request, "Bitte geben Sie Benutzername und Passwort ein.", 400, name)
    loop = asyncio.get_running_loop()
    account, reason = await loop.run_in_executor(
        None, request.app[ACCOUNTS_KEY].authenticate, name, password, config.lockout_after, config.lockout_seconds)
    if account is None:
        audit.write(config.audit_path, name, f"login_failed_{reason}")
        return login_form(request, FAILED[reason], 401 if reason == "invalid" else 403, name)
    try:
        token, _session = await request.app[SESSIONS_KEY].create(account.name)
    except SharedStateUnavailable:
        return login_form(request, FAILED["unavailable"], 503, name)
    audit.write(config.audit_path, account.name, "login", account.tenant)
    response = redirect("/staff/")
    response.set_cookie(COOKIE, token, max_age=int(config.session_max), **_cookie_args(request))
    response.del_cookie(PRE_COOKIE, path="/staff")
    return response


async def post_logout(request: web.Request) -> web.StreamResponse:
    try:
        await request.app[SESSIONS_KEY].drop(request.cookies.get(COOKIE))
    except SharedStateUnavailable:
        return page("Abmelden nicht möglich", "<p>Die Abmeldung ist gerade nicht möglich. Bitte versuchen Sie es "
                    'gleich noch einmal.</p><p><a href="/staff/">Zur Übersicht</a></p>', status=503)
    audit.write(request.app[CONFIG_KEY].audit_path, request["staff"].name, "logout", request["staff"].tenant)
    response = redirect("/staff/login")
    response.del_cookie(COOKIE, path="/staff")
    return response


async def get_audit(request: web.Request) -> web.StreamResponse:
    account = request["staff"]
    tenant = None if account.role == "landesredaktion" else account.tenant
    entries = audit.read(request.app[CONFIG_KEY].audit_path, tenant=tenant)
    rows = [[x.get("ts", ""), x.get("user", ""), x.get("action", ""), x.get("tenant") or "–",
             ", ".join(f"{k}={v}" for k, v in x.items() if k not in {"ts", "user", "action", "tenant"})]
            for x in entries]
    body = ("<p>Wer hat wann was geändert oder veröffentlicht (neueste zuerst, höchstens 200 Einträge). "
            "Bürgertexte stehen nicht im Protokoll.</p>"
            + table("Protokoll", ["Zeit (UTC)", "Konto", "Aktion", "Mandant", "Details"], rows))
    return page("Protokoll", body, user=account, csrf=request["session"].csrf, current="/staff/audit")
