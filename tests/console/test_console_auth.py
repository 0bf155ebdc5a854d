"""Login, cookies, CSRF, lockout over HTTP, and tenant isolation (pages and API)."""

from __future__ import annotations

import pytest
from console_helpers import PASSWORD, ULM_TEXT, csrf_of, login


async def test_nothing_without_login(client) -> None:
    for path in ("/staff/", "/staff/review", "/staff/audit", "/staff/export/statistik.csv"):
        resp = await client.get(path, allow_redirects=False)
        assert resp.status == 303 and resp.headers["Location"] == "/staff/login", path
    resp = await client.get("/staff/api/stats")
    assert resp.status == 401 and (await resp.json())["error"]["message"] == "Bitte melden Sie sich an."
    assert (await client.get("/staff", allow_redirects=False)).headers["Location"] == "/staff/"


async def test_login_sets_strict_cookie_and_logout_ends_session(client) -> None:
    resp = await login(client, "anna")
    assert resp.status == 303 and resp.headers["Location"] == "/staff/"
    cookie = next(v for v in resp.headers.getall("Set-Cookie") if v.startswith("bw_staff="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/staff" in cookie and "Max-Age=" in cookie
    page = await client.get("/staff/")
    html = await page.text()
    assert page.status == 200 and "anna (Redaktion, fellbach)" in html
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["Cache-Control"] == "no-store"
    assert "Access-Control-Allow-Origin" not in page.headers
    resp = await client.post("/staff/logout", data={"csrf": csrf_of(html)}, allow_redirects=False)
    assert resp.status == 303
    assert (await client.get("/staff/", allow_redirects=False)).status == 303


async def test_cookie_is_secure_by_default(client, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.console.state import CONFIG_KEY

    monkeypatch.setattr(client.app[CONFIG_KEY], "secure_cookie", True)
    resp = await client.get("/staff/login")
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith("bw_staff_login=") and "Secure" in cookie and "SameSite=Strict" in cookie
    # a plain-http client does not send a Secure cookie back: the login form is then refused
    assert (await login(client, "anna")).status == 403


async def test_wrong_password_and_lockout(client) -> None:
    resp = await login(client, "anna", "ganz-falsches-pw")
    assert resp.status == 401 and "Benutzername oder Passwort ist falsch." in await resp.text()
    for _ in range(4):
        resp = await login(client, "anna", "ganz-falsches-pw")
    assert resp.status == 403 and "vorübergehend gesperrt" in await resp.text()
    resp = await login(client, "anna")  # right password, still locked
    assert resp.status == 403 and "vorübergehend gesperrt" in await resp.text()
    assert (await login(client, "uli")).status == 303  # other accounts are not affected


async def test_login_rate_limit_per_client(client) -> None:
    statuses = [(await login(client, "niemand", "irgendwas-falsch")).status for _ in range(21)]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429


async def test_csrf_is_required_on_every_form(client) -> None:
    page = await client.get("/staff/login")
    resp = await client.post("/staff/login", data={"name": "anna", "password": PASSWORD, "csrf": "gefälscht"})
    assert resp.status == 403 and "Sicherheitsprüfung fehlgeschlagen" in await resp.text()
    assert csrf_of(await page.text())
    await login(client, "anna")
    html = await (await client.get("/staff/review")).text()
    token = csrf_of(html)
    for data in ({"decision": "ignore", "group": "x"}, {"decision": "ignore", "group": "x", "csrf": "x" + token}):
        resp = await client.post("/staff/review/assign", data={**data, "mandant": "fellbach"})
        assert resp.status == 403
    resp = await client.post("/staff/logout", data={"csrf": token}, headers={"Origin": "https://evil.example"})
    assert resp.status == 403  # right token, foreign origin
    assert (await client.get("/staff/")).status == 200  # still logged in


async def test_redaktion_sees_only_its_tenant(client) -> None:
    await login(client, "anna")
    for path in ("/staff/?mandant=ulm", "/staff/api/stats?mandant=ulm", "/staff/review?mandant=ulm",
                 "/staff/export/statistik.csv?mandant=ulm", "/staff/export/opendata.csv?mandant=ulm",
                 "/staff/?mandant=alle"):
        assert (await client.get(path)).status == 403, path
    stats = await (await client.get("/staff/api/stats?zeitraum=woche")).json()
    assert stats["tenant"] == "fellbach" and stats["conversations"] == 2
    review = await (await client.get("/staff/review")).text()
    assert ULM_TEXT not in review and "Lastenrad" in review
    resp = await client.get("/staff/")
    assert 'name="mandant"' not in await resp.text()  # no tenant picker for a Redaktion


async def test_landesredaktion_sees_all(client) -> None:
    await login(client, "lena")
    all_stats = await (await client.get("/staff/api/stats?mandant=alle&zeitraum=woche")).json()
    ulm = await (await client.get("/staff/api/stats?mandant=ulm&zeitraum=woche")).json()
    assert (all_stats["conversations"], ulm["conversations"]) == (3, 1)
    assert (await client.get("/staff/?mandant=gibtsnicht")).status == 404


async def test_disabled_account_loses_its_session(client, console_env) -> None:
    from bot.console.accounts import AccountStore

    await login(client, "anna")
    assert (await client.get("/staff/", allow_redirects=False)).status == 200
    AccountStore(console_env["users"]).update("anna", disabled=True)
    assert (await client.get("/staff/", allow_redirects=False)).status == 303
    resp = await login(client, "anna")
    assert resp.status == 403 and "deaktiviert" in await resp.text()


async def test_every_form_of_the_console_needs_its_token(client) -> None:
    from bot.console import ROUTES

    await login(client, "lena")  # may use every form
    posts = [path for method, path, _ in ROUTES if method == "POST" and path != "/login"]
    assert len(posts) == 5
    for path in posts:
        for data in ({}, {"csrf": "geraten"}):
            resp = await client.post("/staff" + path, data=data)
            assert resp.status == 403 and "Sicherheitsprüfung fehlgeschlagen" in await resp.text(), path
    assert (await client.get("/staff/")).status == 200  # nothing happened, still logged in
