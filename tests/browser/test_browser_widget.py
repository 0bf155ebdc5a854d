"""A citizen uses the widget on a tenant's demo page in headless Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser_support import AXE_JS

pytestmark = pytest.mark.browser

HUND = "Ich möchte meinen Hund anmelden"
SERVICE_BW_PREFIX = "https://www.service-bw.de/zufi/leistungen/130"
SERVICE_BW = re.compile(r"^https://www\.service-bw\.de/zufi/leistungen/130\?plz=70734&ags=08119020$")
UNREACHABLE = "Der Chat ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal."
UNAVAILABLE_MESSAGE = "Der Assistent ist kurz nicht verfügbar. Bitte versuchen Sie es in einer Minute noch einmal."


def expect():
    from playwright.sync_api import expect as _expect

    return _expect


def open_widget(page, url: str) -> None:
    page.goto(url)
    page.locator(".launcher").click()
    expect()(page.locator(".dialog")).to_be_visible()


def ask(page, text: str) -> None:
    """Type a message like a citizen and wait for the bot's answer to arrive."""
    before = page.locator(".msg.bot").count()
    page.locator(".input").fill(text)
    page.locator(".input").press("Enter")
    wait_for_more_bot_messages(page, before)


def wait_for_more_bot_messages(page, before: int) -> None:
    """The real assistant answers in one or more bubbles; wait until they are all shown."""
    expect()(page.locator(".msg.bot")).not_to_have_count(before, timeout=30_000)
    expect()(page.locator(".typing")).to_be_hidden(timeout=30_000)


def settle(page) -> None:
    """Scroll the message list to its end and wait until it is there (smooth scrolling), for screenshots."""
    page.evaluate("""() => { const s = document.querySelector('.bw-chat-host').shadowRoot
        .querySelector('.scroller'); s.scrollTop = s.scrollHeight; }""")
    page.wait_for_function("""() => { const s = document.querySelector('.bw-chat-host').shadowRoot
        .querySelector('.scroller'); return s.scrollTop + s.clientHeight >= s.scrollHeight - 2; }""")


def shadow_focus(page) -> dict:
    """What has keyboard focus inside the widget's shadow root (or on the page)."""
    return page.evaluate("""() => {
        const host = document.querySelector('.bw-chat-host');
        const el = host && host.shadowRoot.activeElement ? host.shadowRoot.activeElement : document.activeElement;
        const cs = getComputedStyle(el);
        return {cls: el.className || '', tag: el.tagName, text: (el.textContent || '').trim(),
                label: el.getAttribute('aria-label') || '', outline: cs.outlineStyle, outlineWidth: cs.outlineWidth};
    }""")


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in json.loads(result)["violations"]
    ]


def test_citizen_asks_clicks_and_reloads(page, stack, problems, artifacts: Path):
    open_widget(page, f"{stack}/demo/")
    greeting = page.locator(".msg.bot .bubble").first
    expect()(greeting).to_contain_text("digitale Bürgerservice der Stadt Fellbach")
    expect()(greeting).to_contain_text("dass Sie in Fellbach wohnen")
    privacy = page.locator(".privacy")
    expect()(privacy).to_contain_text("30 Tage")
    expect()(privacy).to_contain_text("IP-Adressen speichern wir nicht")
    assert privacy.locator("a").get_attribute("href").endswith("/demo/datenschutz.html")

    ask(page, HUND)
    # The real assistant names the tenant's Gemeinde and links service-bw localised to it.
    answer = page.locator(".msg.bot", has=page.locator(f'a[href^="{SERVICE_BW_PREFIX}"]')).first
    expect()(answer).to_contain_text("Stadt Fellbach")
    link = answer.locator(f'a[href^="{SERVICE_BW_PREFIX}"]').first
    expect()(link).to_have_attribute("href", SERVICE_BW)
    expect()(link).to_have_attribute("target", "_blank")
    assert "noopener" in link.get_attribute("rel").split()
    last_of_answer = page.locator(".msg.bot").nth(page.locator(".msg.bot").count() - 1)
    buttons = last_of_answer.locator("button.qr")
    assert buttons.count() >= 1

    # Quick reply: shown as the citizen's message, answered, and the old buttons stay usable.
    choice = buttons.first.inner_text()
    before = page.locator(".msg.bot").count()
    buttons.first.click()
    expect()(page.locator(".msg.user").last).to_have_text(f"Sie: {choice}")
    wait_for_more_bot_messages(page, before)
    expect()(page.locator(".msg.bot").last).to_contain_text("Hund")
    expect()(buttons.first).to_be_enabled()

    # Thumbs up on the first answer (its last bubble carries the rating), stored with the conversation.
    thumbs_up = last_of_answer.locator(".fb-btn").first
    thumbs_up.click()
    expect()(thumbs_up).to_have_attribute("aria-pressed", "true")
    expect()(last_of_answer.locator(".fb-thanks")).to_have_text("Danke für Ihre Rückmeldung!")
    settle(page)
    page.screenshot(path=str(artifacts / "widget-desktop.png"))

    before = page.locator(".msg").all_inner_texts()
    page.reload()
    expect()(page.locator(".dialog")).to_be_visible()  # the widget reopens where the citizen left it
    expect()(page.locator(".msg")).to_have_count(len(before))
    assert page.locator(".msg").all_inner_texts() == before
    restored = page.locator(".msg.bot", has=page.locator(f'a[href^="{SERVICE_BW_PREFIX}"]')).first
    expect()(restored.locator(f'a[href^="{SERVICE_BW_PREFIX}"]').first).to_have_attribute("href", SERVICE_BW)
    expect()(page.locator('.fb-btn[aria-pressed="true"]')).to_have_count(1)
    assert problems == []


def test_other_tenant_has_its_own_place_and_history(page, stack, problems):
    open_widget(page, f"{stack}/demo/?ags=08421000&title=Stadt%20Ulm")
    expect()(page.locator("h1")).to_have_text("Stadt Ulm — Bürgerservice")
    expect()(page.locator(".msg.bot .bubble").first).to_contain_text("der Stadt Ulm")
    ask(page, HUND)
    answer = page.locator(".msg.bot", has=page.locator(f'a[href^="{SERVICE_BW_PREFIX}"]')).first
    expect()(answer).to_contain_text("Ulm")
    expect()(answer.locator("a").first).to_have_attribute("href", re.compile(r"ags=08421000$"))
    keys = page.evaluate("() => Object.keys(localStorage)")
    assert keys == ["bw-chat:v1:08421000"]
    stored = json.loads(page.evaluate("() => localStorage.getItem('bw-chat:v1:08421000')"))
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", stored["senderId"])
    assert problems == []


def test_keyboard_only(page, stack, problems, artifacts: Path):
    page.goto(f"{stack}/demo/")
    for _ in range(40):  # Tab through the page until the launcher has focus
        page.keyboard.press("Tab")
        if "launcher" in shadow_focus(page)["cls"]:
            break
    else:
        pytest.fail("launcher not reachable with Tab")
    assert shadow_focus(page)["outline"] != "none"  # visible focus
    page.keyboard.press("Enter")
    expect()(page.locator(".dialog")).to_be_visible()
    assert "input" in shadow_focus(page)["cls"]  # focus moved into the dialog
    page.keyboard.type(HUND)
    page.keyboard.press("Enter")
    wait_for_more_bot_messages(page, 1)

    # Tab from the input: wraps out of the dialog? No - reach the quick replies with Shift+Tab.
    for _ in range(30):
        page.keyboard.press("Shift+Tab")
        focus = shadow_focus(page)
        if focus["cls"] == "qr":
            break
    else:
        pytest.fail("quick reply not reachable with the keyboard")
    assert focus["outline"] != "none"
    page.screenshot(path=str(artifacts / "widget-keyboard-focus.png"))
    before = page.locator(".msg.bot").count()
    page.keyboard.press("Enter")
    expect()(page.locator(".msg.user").last).to_have_text(f"Sie: {focus['text']}")
    wait_for_more_bot_messages(page, before)

    page.keyboard.press("Escape")
    expect()(page.locator(".dialog")).to_be_hidden()
    assert "launcher" in shadow_focus(page)["cls"]  # focus returns to the launcher
    expect()(page.locator(".launcher")).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Space")
    expect()(page.locator(".dialog")).to_be_visible()
    assert problems == []


def test_html_in_messages_is_shown_as_text(page, stack, problems):
    open_widget(page, f"{stack}/demo/")
    evil = "<img src=x onerror=alert(1)>"
    ask(page, evil)
    expect()(page.locator(".msg.user").last).to_have_text(f"Sie: {evil}")
    assert page.locator("img").count() == 0  # pierces the shadow root
    assert page.evaluate("() => document.querySelector('.bw-chat-host').shadowRoot.querySelectorAll('img').length") == 0
    assert problems == []  # no alert() dialog, no errors


def test_bot_text_is_rendered_safely(page, stack, problems):
    """Bot text: plain text, only http(s) URLs / [label](url) become links, **bold** -> <strong>."""
    text = ("**Wichtig:** <b>kein HTML</b> <script>alert(1)</script>\n"
            "Siehe [service-bw](https://www.service-bw.de/x) oder https://example.org/a_b). "
            "Nicht: [böse](javascript:alert(1)) javascript:alert(2) <img src=x onerror=alert(3)>")
    reply = {"messages": [{"id": "m-1", "text": text, "custom": None,
                           "buttons": [{"title": "<img src=x onerror=alert(4)>", "payload": "/affirm"}]}]}
    page.route("**/chat/messages", lambda route: route.fulfill(json=reply))
    open_widget(page, f"{stack}/demo/")
    ask(page, "Test")
    bubble = page.locator(".msg.bot").last.locator(".bubble")
    expect()(bubble.locator("strong")).to_have_text("Wichtig:")
    hrefs = [a.get_attribute("href") for a in bubble.locator("a").all()]
    assert hrefs == ["https://www.service-bw.de/x", "https://example.org/a_b"]
    expect()(bubble).to_contain_text("<b>kein HTML</b> <script>alert(1)</script>")
    expect()(bubble).to_contain_text("[böse](javascript:alert(1)) javascript:alert(2) <img src=x")
    expect()(page.locator(".qr")).to_have_text("<img src=x onerror=alert(4)>")
    counts = page.evaluate("""() => { const r = document.querySelector('.bw-chat-host').shadowRoot;
        return ['img', 'script', 'b'].map(t => r.querySelectorAll(t).length); }""")
    assert counts == [0, 0, 0]
    page.locator(".qr").click()  # must not execute anything either
    expect()(page.locator(".msg.bot")).to_have_count(3)
    assert problems == []


def test_unreachable_service_shows_german_message(page, dead_upstream_gateway, problems):
    open_widget(page, f"{dead_upstream_gateway}/demo/")
    ask(page, HUND)
    error = page.locator(".msg.bot.error")
    expect()(error).to_have_text(f"Bürgerservice: {UNAVAILABLE_MESSAGE}")  # Rasa down: "kurz nicht verfügbar"
    problems[:] = [p for p in problems if "503" not in p]  # the browser logs the failed request
    assert problems == []
    page.reload()  # errors are not kept in the history
    expect()(page.locator(".msg.bot.error")).to_have_count(0)


def test_network_failure_shows_german_message(page, stack, problems):
    page.route("**/chat/messages", lambda route: route.abort())
    open_widget(page, f"{stack}/demo/")
    ask(page, HUND)
    expect()(page.locator(".msg.bot.error")).to_contain_text(UNREACHABLE)


def test_phone_360(new_page, stack, problems, artifacts: Path):
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                    device_scale_factor=2)
    page.goto(f"{stack}/demo/")
    page.screenshot(path=str(artifacts / "demo-360-closed.png"))
    page.locator(".launcher").click()
    ask(page, HUND)
    settle(page)
    page.screenshot(path=str(artifacts / "widget-360.png"))
    box = page.locator(".dialog").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    for selector in (".input", ".send", ".head .icon-btn"):
        b = page.locator(selector).bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 360 and b["y"] + b["height"] <= 740, selector
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    widths = page.evaluate("""() => [...document.querySelector('.bw-chat-host').shadowRoot
        .querySelectorAll('.bubble, .qr')].map(e => e.getBoundingClientRect().right)""")
    assert max(widths) <= 360
    assert problems == []


def test_reduced_motion_is_honoured(new_page, stack):
    page = new_page(reduced_motion="reduce", viewport={"width": 1280, "height": 800})
    open_widget(page, f"{stack}/demo/")
    names = page.evaluate("""() => { const r = document.querySelector('.bw-chat-host').shadowRoot;
        return [r.querySelector('.dialog'), r.querySelector('.dot')].map(e => getComputedStyle(e).animationName); }""")
    assert names == ["none", "none"]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 360, "height": 740}],
                         ids=["desktop", "phone"])
def test_axe_reports_no_violations(new_page, stack, artifacts: Path, viewport):
    # bypass_csp only so that the test can inject axe-core; the page itself stays unchanged.
    page = new_page(viewport=viewport, bypass_csp=True)
    page.goto(f"{stack}/demo/")
    closed = run_axe(page)
    page.reload()
    page.locator(".launcher").click()
    ask(page, HUND)
    page.locator(".msg.bot").last.locator(".fb-btn").first.click()
    settle(page)
    violations = run_axe(page)
    (artifacts / f"axe-{viewport['width']}.json").write_text(
        json.dumps({"closed": closed, "open_with_conversation": violations}, indent=2, ensure_ascii=False),
        encoding="utf-8")
    assert closed == [] and violations == [], json.dumps(closed + violations, indent=2, ensure_ascii=False)
