"""The staff console in headless Chromium against the real gateway and a seeded tracker store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from browser_support import ROOT, ensure_browser_deps, free_port
from test_browser_widget import run_axe

sys.path.insert(0, str(ROOT / "tests" / "console"))
sys.path.insert(0, str(ROOT / "scripts"))

from console_helpers import FELLBACH, PASSWORD, ULM, ULM_TEXT, seed_with_rasa, write_tenants  # noqa: E402

SEEDED_SENDER = "00000000-0000-0000-0000-000000000001"  # uuid.UUID(int=1) in console_helpers

pytestmark = pytest.mark.browser
TZ_NAME = "Europe/Berlin"


def expect():
    from playwright.sync_api import expect as _expect

    return _expect


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A real gateway (``python -m bot.gateway``) with the console on a seeded SQLite store."""
    from seed_trackers import seed

    from bot.aio import run_sync
    from bot.console.accounts import AccountStore

    ensure_browser_deps()
    work = tmp_path_factory.mktemp("console")
    db = work / "tracker.db"
    run_sync(seed_with_rasa(dialect="sqlite", db=str(db)))  # Playwright's loop may be running already
    port = free_port()
    tenants = write_tenants(work / "tenants.yml", extra_origin=f"http://127.0.0.1:{port}")  # demo page = Fellbach
    seed(f"sqlite:///{db}", 300, [("fellbach", FELLBACH, "Stadt Fellbach"), ("ulm", ULM, "Stadt Ulm")], days=20)
    users = AccountStore(work / "users.yml")
    users.add("anna", "redaktion", "fellbach", PASSWORD)
    users.add("lena", "landesredaktion", None, PASSWORD)
    users.add("otto", "redaktion", "ulm", PASSWORD)  # gets locked out by the lockout test
    users.add("uwe", "redaktion", "ulm", PASSWORD)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOT_STAFF_USERS": str(work / "users.yml"),
           "BOT_STAFF_STATE": str(work / "state"), "BOT_STAFF_DRAFTS": str(work / "drafts" / "review.yml"),
           "BOT_TRACKER_STORE": f"sqlite:///{db}", "BOT_STAFF_INSECURE_COOKIE": "1", "BOT_LOCAL_DIR": str(work / "local")}
    log = open(work / "gateway.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "bot.gateway", "--port", str(port), "--rasa-url",
                             f"http://127.0.0.1:{free_port()}", "--tenants", str(tenants)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError((work / "gateway.log").read_text()) from None
                time.sleep(0.2)
        yield {"base": f"http://127.0.0.1:{port}", "db": db, "env": env, "drafts": work / "drafts" / "review.yml"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def login(page, base: str, name: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/staff/login")
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def direct_counts(db: Path, ags: str, tenant: str, days: int) -> dict[str, int]:
    """Figures of the last ``days`` local days, straight from the store's events: conversations begun,
    typed messages, thumbs up and down, requests for a person."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(TZ_NAME)
    today = datetime.now(tz).date()
    start = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), tz).timestamp()
    engine = sa.create_engine(f"sqlite:///{db}")
    first: dict[str, float] = {}
    counts = {"messages": 0, "thumbs_up": 0, "thumbs_down": 0, "handoffs": 0}
    kinds = {"feedback_positive": "thumbs_up", "feedback_negative": "thumbs_down", "human_handoff": "handoffs"}
    with engine.connect() as conn:
        for sender, ts, data in conn.execute(sa.text("SELECT sender_id, timestamp, data FROM events "
                                                     "WHERE type_name = 'user'")):
            ev = json.loads(data)
            text = ev.get("text") or ""
            mine = (ev.get("metadata") or {}).get("tenant_ags") == ags or sender.startswith(f"web:{tenant}:")
            if not mine:
                continue
            intent = ((ev.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in kinds and ts >= start:
                counts[kinds[intent]] += 1
            if text.strip() and not text.startswith("/"):
                first[sender] = min(first.get(sender, ts), ts)
                counts["messages"] += ts >= start
    engine.dispose()
    return {"conversations": sum(ts >= start for ts in first.values()), **counts}


def figure(page, key: str) -> str:
    return page.locator(f'[data-figure="{key}"] dd').inner_text().strip()


def test_login_wrong_password_and_lockout(new_page, console, artifacts: Path) -> None:
    page = new_page(bypass_csp=True, viewport={"width": 1280, "height": 800})
    login(page, console["base"], "otto", "falsches-passwort")
    expect()(page.get_by_role("alert")).to_have_text("Benutzername oder Passwort ist falsch.")
    assert page.url.endswith("/staff/login")
    for _ in range(4):
        login(page, console["base"], "otto", "falsches-passwort")
    expect()(page.get_by_role("alert")).to_contain_text("vorübergehend gesperrt")
    login(page, console["base"], "otto")  # the right password does not help while locked
    expect()(page.get_by_role("alert")).to_contain_text("vorübergehend gesperrt")
    page.screenshot(path=str(artifacts / "console-login-locked.png"), full_page=True)
    assert run_axe(page) == []


def test_dashboard_matches_the_store_and_is_accessible(new_page, console, artifacts: Path) -> None:
    page = new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    login(page, console["base"], "anna")
    expect()(page.get_by_role("heading", name="Übersicht")).to_be_visible()
    page.get_by_label("Zeitraum").select_option("monat")
    page.get_by_role("button", name="Anzeigen").click()
    expect()(page.locator('[data-figure="messages"]')).to_be_visible()
    direct = direct_counts(console["db"], FELLBACH, "fellbach", 30)
    assert direct["messages"] > 50 and min(direct.values()) > 0  # the seed really reached this tenant
    assert {key: int(figure(page, key)) for key in direct} == direct
    assert page.locator("svg.chart").count() >= 5
    assert "Ort außerhalb BW" in page.content()
    page.screenshot(path=str(artifacts / "console-dashboard.png"), full_page=True)
    assert run_axe(page) == []

    small = new_page(bypass_csp=True, viewport={"width": 360, "height": 740})
    login(small, console["base"], "anna")
    expect()(small.locator('[data-figure="messages"]')).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 360
    charts = small.locator("svg.chart")
    assert charts.count() >= 5 and all(charts.nth(i).bounding_box()["width"] > 200 for i in range(charts.count()))
    small.screenshot(path=str(artifacts / "console-dashboard-360.png"), full_page=True)
    assert run_axe(small) == []


def test_keyboard_only(new_page, console) -> None:
    page = new_page(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page.goto(f"{console['base']}/staff/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    page.keyboard.press("Tab")
    page.keyboard.type("anna")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect()(page.get_by_role("heading", name="Übersicht")).to_be_visible()
    for _ in range(8):  # skip link, 4 navigation links, logout, then the filters
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "zeitraum":
            break
    assert page.evaluate("document.activeElement.id") == "zeitraum"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible


def test_tenant_b_is_closed_also_by_url(new_page, console) -> None:
    page = new_page(bypass_csp=True, viewport={"width": 1280, "height": 800})
    login(page, console["base"], "anna")
    for path in ("/staff/?mandant=ulm", "/staff/review?mandant=ulm", "/staff/api/stats?mandant=ulm",
                 "/staff/export/statistik.csv?mandant=ulm"):
        response = page.goto(console["base"] + path)
        assert response.status == 403, path
    page.goto(console["base"] + "/staff/review?zeitraum=monat")
    assert ULM_TEXT not in page.content()


def test_csrf_rejection(new_page, console, artifacts: Path) -> None:
    """A tampered form token and a form posted from another origin on the same host are refused."""
    import http.server
    import threading

    page = new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    login(page, console["base"], "anna")
    page.get_by_role("link", name="Prüfliste").click()
    before = console["drafts"].read_text(encoding="utf-8") if console["drafts"].exists() else ""
    page.evaluate("document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'gefaelscht')")
    with page.expect_response(lambda r: r.url.endswith("/staff/review/assign")) as answer:
        page.locator("section.group").first.get_by_role("button", name="Ignorieren").click()
    assert answer.value.status == 403
    expect()(page.get_by_role("heading", name="Sicherheitsprüfung fehlgeschlagen")).to_be_visible()
    assert (console["drafts"].read_text(encoding="utf-8") if console["drafts"].exists() else "") == before
    page.screenshot(path=str(artifacts / "console-csrf-refused.png"))
    assert run_axe(page) == []

    # another site on the same host (another port: same site, so the cookie would travel along)
    evil = (f'<!doctype html><html lang="de"><title>x</title><form method="post" action="{console["base"]}'
            '/staff/logout"><input name="csrf" value="geraten"><button>los</button></form></html>').encode()

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(evil)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Evil)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        with page.expect_response(lambda r: r.url.endswith("/staff/logout")) as answer:
            page.get_by_role("button", name="los").click()
        assert answer.value.status == 403
        expect()(page.get_by_role("heading", name="Sicherheitsprüfung fehlgeschlagen")).to_be_visible()
    finally:
        server.shutdown()
        server.server_close()
    page.goto(f"{console['base']}/staff/")
    expect()(page.get_by_role("heading", name="Übersicht")).to_be_visible()  # still logged in


def test_review_assign_draft_validate(new_page, console, artifacts: Path) -> None:
    page = new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    login(page, console["base"], "anna")
    page.get_by_role("link", name="Prüfliste").click()
    expect()(page.get_by_role("heading", name="Prüfliste")).to_be_visible()
    assert "Anna Müller" not in page.content() and "[NAME]" in page.content()
    page.screenshot(path=str(artifacts / "console-review.png"), full_page=True)
    assert run_axe(page) == []
    small = new_page(bypass_csp=True, viewport={"width": 360, "height": 740})
    login(small, console["base"], "anna")
    small.get_by_role("link", name="Prüfliste").click()
    expect()(small.locator("section.group").first).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 360
    assert small.locator("section.group").count() == page.locator("section.group").count()
    small.screenshot(path=str(artifacts / "console-review-360.png"), full_page=True)
    assert run_axe(small) == []
    group = page.locator("section.group").filter(has_text="Lastenrad").first
    group.get_by_label("Absicht").select_option("out_of_scope")
    group.get_by_role("button", name="Zuordnen").click()
    expect()(page.get_by_role("status").first).to_have_text("Die Entscheidung wurde im Entwurf gespeichert.")
    draft = console["drafts"].read_text(encoding="utf-8")
    assert "intent: out_of_scope" in draft and "Lastenrad" in draft and "Anna" not in draft
    result = subprocess.run([sys.executable, "-m", "bot.cli", "validate", "--no-rasa"], cwd=ROOT, env=console["env"],
                            capture_output=True, text=True, timeout=600)
    assert "review.yml" not in result.stdout, result.stdout  # no finding about the draft
    assert result.returncode == 0, result.stdout[-2000:]


def test_publish_page_only_for_landesredaktion(new_page, console, artifacts: Path) -> None:
    page = new_page(bypass_csp=True, viewport={"width": 360, "height": 740})
    login(page, console["base"], "lena")
    page.get_by_role("link", name="Veröffentlichen").click()
    expect()(page.get_by_role("button", name="Trainieren und veröffentlichen")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert run_axe(page) == []
    page.goto(f"{console['base']}/staff/audit")
    assert run_axe(page) == []
    page.screenshot(path=str(artifacts / "console-audit-360.png"), full_page=True)


def test_handoff_from_the_widget_reaches_only_that_tenants_inbox(new_page, console, artifacts: Path) -> None:
    citizen = new_page(bypass_csp=True, viewport={"width": 360, "height": 740})
    # the seeded Fellbach conversation is this browser's conversation (the widget keeps it in localStorage)
    citizen.goto(f"{console['base']}/demo/?ags={FELLBACH}")
    citizen.evaluate("""(s) => localStorage.setItem('bw-chat:v1:08119020',
        JSON.stringify({senderId: s, messages: [], open: true, savedAt: Date.now()}))""", SEEDED_SENDER)
    citizen.reload()
    chat = citizen.locator(".bw-chat-host")
    chat.get_by_role("button", name="Persönliche Antwort gewünscht? Gespräch an die Gemeinde senden").click()
    chat.get_by_label("E-Mail-Adresse oder Telefonnummer").fill("erika@example.org")
    chat.get_by_label("Ihre Nachricht an die Gemeinde (freiwillig)").fill("Bitte rufen Sie mich an")
    chat.get_by_role("button", name="An die Gemeinde senden", exact=True).click()
    expect()(chat.locator(".ho-status")).to_have_text("Bitte bestätigen Sie Ihr Einverständnis.")
    chat.get_by_label("Ich bin einverstanden").check()
    chat.get_by_role("button", name="An die Gemeinde senden", exact=True).click()
    expect()(chat.locator(".ho-status")).to_contain_text("Ihre Anfrage ist bei der Gemeinde angekommen")
    citizen.screenshot(path=str(artifacts / "console-handoff-widget-360.png"))
    assert run_axe(citizen) == []

    clerk = new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    login(clerk, console["base"], "uwe")  # Ulm
    clerk.get_by_role("link", name="Posteingang").click()
    assert "erika@example.org" not in clerk.content()
    login(clerk, console["base"], "anna")  # Fellbach
    clerk.get_by_role("link", name="Posteingang").click()
    entry = clerk.locator("section[data-handoff]").filter(has_text="erika@example.org")
    expect()(entry).to_contain_text("Bitte rufen Sie mich an")
    entry.get_by_text("Gesprächsverlauf").click()
    expect()(entry).to_contain_text("Ich brauche einen neuen Perso")
    clerk.screenshot(path=str(artifacts / "console-inbox.png"), full_page=True)
    assert run_axe(clerk) == []
    entry.get_by_role("button", name="Als erledigt markieren").click()
    expect()(clerk.get_by_role("status").first).to_have_text("Als erledigt markiert.")


def test_local_information_form(new_page, console, artifacts: Path) -> None:
    page = new_page(bypass_csp=True, viewport={"width": 360, "height": 740})
    login(page, console["base"], "anna")
    page.get_by_role("link", name="Lokale Angaben").click()
    page.get_by_label("Name der Stelle").fill("Bürgerbüro Fellbach")
    page.get_by_label("Mo", exact=True).fill("08:00-12:00, 14:00-18:30")
    page.get_by_label("Di", exact=True).fill("8 bis 12")
    page.get_by_role("button", name="Speichern").click()
    expect()(page.get_by_role("alert")).to_contain_text("Zeitspanne '8 bis 12' ungültig")
    assert run_axe(page) == []
    page.get_by_label("Di", exact=True).fill("08:00-12:00")
    page.get_by_role("button", name="Speichern").click()
    expect()(page.get_by_role("status").first).to_contain_text("Gespeichert.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "console-local-360.png"), full_page=True)
    assert run_axe(page) == []
