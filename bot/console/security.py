"""The console's own middlewares: German HTML errors, security headers, login required, CSRF."""

from __future__ import annotations

import hmac
import logging
from urllib.parse import urlsplit

from aiohttp import web

from bot.console.render import page
from bot.console.sessions import COOKIE, PRE_COOKIE
from bot.console.state import ACCOUNTS_KEY, SESSIONS_KEY
from bot.gateway.errors import Handler

logger = logging.getLogger("bot.console")

PUBLIC = ("/staff/login", "/staff/static/")
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
_MESSAGES = {
    400: "Die Anfrage ist ungültig.", 403: "Zugriff verweigert.", 404: "Diese Seite gibt es nicht.",
    405: "Diese Aktion ist hier nicht erlaubt.", 413: "Die Eingabe ist zu groß.",
}


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return page("Fehler", f"<p>{_MESSAGES.get(exc.status, 'Die Anfrage ist fehlgeschlagen.')}</p>"
                    '<p><a href="/staff/">Zur Übersicht</a></p>', status=exc.status)
    except Exception as exc:  # noqa: BLE001 - never a trace in the browser
        logger.error("console error on %s: %s", request.path, type(exc).__name__)
        return page("Fehler", "<p>Es ist ein interner Fehler aufgetreten. Bitte versuchen Sie es später "
                    "noch einmal.</p>", status=500)


@web.middleware
async def headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPRedirection as redirect:
        response = redirect
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" makes browsers send Origin: null
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers.setdefault("Cache-Control", "no-store")
    if isinstance(response, web.HTTPException):
        raise response
    return response


@web.middleware
async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Everything but the login page and the stylesheet needs a live session of an enabled account."""
    if request.path.startswith(PUBLIC):
        return await handler(request)
    session = await request.app[SESSIONS_KEY].get(request.cookies.get(COOKIE))
    account = request.app[ACCOUNTS_KEY].get(session.user) if session else None
    if session is None or account is None or account.disabled:
        if request.path.startswith("/staff/api/"):
            return web.json_response({"error": {"code": "login_required", "message": "Bitte melden Sie sich an."}},
                                     status=401)
        raise web.HTTPSeeOther("/staff/login")
    request["session"], request["staff"] = session, account
    return await handler(request)


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin is None  # "null" (sandboxed/opaque) is refused; no header: the token decides
    parts = urlsplit(origin)
    return parts.netloc == request.host


@web.middleware
async def csrf(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every state-changing request needs the form's token (and, if sent, the same Origin)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return await handler(request)
    form = await request.post()
    sent = str(form.get("csrf") or "")
    if request.path == "/staff/login":
        expected = request.cookies.get(PRE_COOKIE, "")
    else:
        session = request.get("session")
        expected = session.csrf if session else ""
    if not (_same_origin(request) and sent and expected and hmac.compare_digest(sent.encode(), expected.encode())):
        return page("Sicherheitsprüfung fehlgeschlagen",
                    "<p>Das Formular ist abgelaufen oder stammt nicht von dieser Konsole. Bitte laden Sie die "
                    'Seite neu und versuchen Sie es noch einmal.</p><p><a href="/staff/">Zur Übersicht</a></p>',
                    status=403)
    return await handler(request)
