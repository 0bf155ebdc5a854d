"""Widget assets, the demo Rathaus page, ``/healthz`` and the security headers of every response.

Only an explicit list of files under ``web/`` is served; there is no directory listing and
no catch-all route, so nothing else on disk (or upstream) is reachable.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from aiohttp import web

from bot.gateway.chat import SETTINGS_KEY, TENANTS_KEY
from bot.gateway.tenants import AGS_RE

DEFAULT_AGS = "08119020"
DEFAULT_TITLE = "Stadt Fellbach"
_TITLE_RE = re.compile(r"^[\w .,'()\-]{2,80}$")

#: URL path -> (file below web/, content type, Cache-Control)
ASSETS: dict[str, tuple[str, str, str]] = {
    "/widget.js": ("widget.js", "text/javascript; charset=utf-8", "public, max-age=300"),
    "/widget.css": ("widget.css", "text/css; charset=utf-8", "public, max-age=300"),
    "/demo/demo.css": ("demo/demo.css", "text/css; charset=utf-8", "public, max-age=300"),
    "/demo/favicon.svg": ("demo/favicon.svg", "image/svg+xml", "public, max-age=86400"),
    "/favicon.ico": ("demo/favicon.svg", "image/svg+xml", "public, max-age=86400"),
    "/demo/datenschutz.html": ("demo/datenschutz.html", "text/html; charset=utf-8", "no-cache"),
}

DEMO_CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def _web_file(request: web.Request, relative: str) -> Path:
    return request.app[SETTINGS_KEY].web_dir / relative


async def serve_asset(request: web.Request) -> web.Response:
    relative, content_type, cache = ASSETS[request.path]
    try:
        body = _web_file(request, relative).read_bytes()
    except OSError:
        raise web.HTTPNotFound() from None
    headers = {"Content-Type": content_type, "Cache-Control": cache}
    if request.path.startswith("/widget."):
        # Embedded by other sites: allow cross-origin loading even under COEP.
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return web.Response(body=body, headers=headers)


def demo_tenant(request: web.Request) -> tuple[str, str]:
    """``?ags=&title=`` of the demo page, falling back to Fellbach; unknown input is ignored."""
    ags = request.query.get("ags", DEFAULT_AGS)
    if not AGS_RE.match(ags):
        ags = DEFAULT_AGS
    title: str | None = request.query.get("title")
    if not title or not _TITLE_RE.match(title):
        title = None
        for tenant in request.app[TENANTS_KEY].tenants:
            if tenant.may_claim(ags):
                title = tenant.title_for(ags)
                break
    return ags, title or (DEFAULT_TITLE if ags == DEFAULT_AGS else f"Gemeinde {ags}")


async def demo_page(request: web.Request) -> web.Response:
    """The demo Rathaus page with the one-line snippet for the chosen tenant."""
    ags, title = demo_tenant(request)
    try:
        template = _web_file(request, "demo/index.html").read_text(encoding="utf-8")
    except OSError:
        raise web.HTTPNotFound() from None
    place = re.sub(r"^(Landeshauptstadt|Universitätsstadt|Große Kreisstadt|Stadt|Gemeinde)\s+",
                   "", title)
    page = (template.replace("{{AGS}}", html.escape(ags, quote=True))
            .replace("{{TITLE}}", html.escape(title, quote=True))
            .replace("{{PLACE}}", html.escape(place, quote=True)))
    return web.Response(text=page, content_type="text/html", charset="utf-8",
                        headers={"Cache-Control": "no-cache"})


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "tenants": len(request.app[TENANTS_KEY])})


async def to_demo(request: web.Request) -> web.Response:
    raise web.HTTPFound("/demo/")


def add_static_routes(app: web.Application) -> None:
    for path in ASSETS:
        app.router.add_get(path, serve_asset)
    app.router.add_get("/demo/", demo_page)
    app.router.add_get("/demo", to_demo)
    app.router.add_get("/", to_demo)
    app.router.add_get("/healthz", healthz)


#: On every answer of the gateway (also errors, redirects, CORS preflights).
SECURITY_HEADERS: dict[str, str] = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                           "microphone=(), payment=(), usb=()"),
}
NON_HTML_CSP = "default-src 'none'; frame-ancestors 'none'"
#: Replaces aiohttp's "Python/3.x aiohttp/3.y": no versions for scanners.
SERVER_NAME = "gateway"


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: runs for every response the app sends, whoever produced it."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.content_type == "text/html":
        response.headers["Content-Security-Policy"] = DEMO_CSP
    else:
        response.headers.setdefault("Content-Security-Policy", NON_HTML_CSP)
    response.headers["Server"] = SERVER_NAME
