"""Widget assets, demo page, health check and security headers."""

from __future__ import annotations

import re

from gateway_helpers import DEMO_ORIGIN


async def test_healthz(client):
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert await resp.json() == {"status": "ok", "tenants": 2}
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_widget_assets(client):
    js = await client.get("/widget.js")
    assert js.status == 200
    assert js.headers["Content-Type"].startswith("text/javascript")
    assert js.headers["X-Content-Type-Options"] == "nosniff"
    assert js.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    source = await js.text()
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "eval(" not in source
    # Small for every citizen's browser: the code under 400 lines; the texts (one TEXTS block) are data.
    code = re.sub(r"\n  const TEXTS = \{\n.*?\n  \};\n", "\n", source, flags=re.S)
    assert code != source and len(code.splitlines()) < 400
    assert len(source.encode()) < 40_000
    css = await client.get("/widget.css")
    assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
    assert "prefers-reduced-motion" in await css.text()


async def test_demo_page_default_tenant(client):
    resp = await client.get("/demo/")
    assert resp.status == 200
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    page = await resp.text()
    assert '<script src="/widget.js" data-ags="08119020" data-title="Stadt Fellbach"></script>' in page
    assert "<h1>Stadt Fellbach — Bürgerservice</h1>" in page
    assert "{{" not in page


async def test_demo_page_switches_tenant(client):
    page = await (await client.get("/demo/?ags=08421000&title=Stadt%20Ulm")).text()
    assert 'data-ags="08421000" data-title="Stadt Ulm"' in page
    page = await (await client.get("/demo/?ags=08111000")).text()
    assert 'data-title="Landeshauptstadt Stuttgart"' in page  # title from the tenant config/register


async def test_demo_page_escapes_and_ignores_bad_params(client):
    resp = await client.get('/demo/?ags=08119020"><script>alert(1)</script>&title=<img src=x onerror=alert(1)>')
    page = await resp.text()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert 'data-ags="08119020" data-title="Stadt Fellbach"' in page


async def test_redirects_and_privacy_page(client):
    resp = await client.get("/", allow_redirects=False)
    assert resp.status == 302 and resp.headers["Location"] == "/demo/"
    resp = await client.get("/demo/datenschutz.html")
    assert resp.status == 200
    text = await resp.text()
    assert "30 Tagen" in text and "IP-Adressen" in text
    assert "Content-Security-Policy" in resp.headers


async def test_unknown_paths_are_json_404(client):
    for path in ("/web/widget.js", "/demo/index.html", "/.git/config", "/node_modules/axe-core/axe.min.js"):
        resp = await client.get(path, headers={"Origin": DEMO_ORIGIN})
        assert resp.status == 404, path
        assert (await resp.json())["error"]["code"] == "not_found"
