"""A citizen picks the widget's language in its menu (en, tr, uk) with the keyboard: the widget's own texts
switch, the messages go out with ``lang``, every message carries its language, the choice survives a
reload, and axe finds nothing. A reply's ``lang`` switches the widget while nothing is chosen.

Runs against the fake Rasa (``BROWSER_STACK=fake``) or the real assistant. The gateway's reply is passed
through with ``lang`` set as the test says (:class:`Relay`), so the tests hold before and after the
gateway reports the answer language itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_browser_widget import HUND, ask, expect, open_widget, run_axe, settle

pytestmark = pytest.mark.browser

KEY = "bw-chat:v1:08119020"
MENU_ORDER = ["de", "de-LS", "en", "tr", "uk"]
# A few of each language's labels, as a citizen sees them.
LABELS = {
    "en": {"title": "Digital citizen service", "send": "Send", "placeholder": "Your question …",
           "close": "Close chat", "menu": "Language", "thumb": "The answer was helpful",
           "now": "The next answers will be in English.", "you": "You"},
    "tr": {"title": "Dijital vatandaş hizmeti", "send": "Gönder", "placeholder": "Sorunuz …",
           "close": "Sohbeti kapat", "menu": "Dil", "thumb": "Yanıt yardımcı oldu",
           "now": "Sonraki yanıtlar Türkçe olacak.", "you": "Siz"},
    "uk": {"title": "Цифровий сервіс для громадян", "send": "Надіслати", "placeholder": "Ваше запитання …",
           "close": "Закрити чат", "menu": "Мова", "thumb": "Відповідь була корисною",
           "now": "Наступні відповіді будуть українською мовою.", "you": "Ви"},
}
TYPED = {"en": "I need a new passport", "tr": "Yeni bir pasaporta ihtiyacım var",
         "uk": "Мені потрібен новий паспорт"}

# Every own text of the widget outside the messages' own words (bubbles, quick replies), the language
# names (menu, switch) and the Gemeinde's name: text nodes, aria-labels, placeholders.
CHROME_TEXTS = """() => {
    const host = document.querySelector('.bw-chat-host');
    const out = [host.getAttribute('aria-label')];
    const skip = '.bubble, .quick, option, .ls-toggle, .subtitle, link';
    const walk = (node) => {
        for (const c of node.childNodes) {
            if (c.nodeType === Node.TEXT_NODE) { if (c.textContent.trim()) out.push(c.textContent.trim()); }
            else if (c.nodeType === Node.ELEMENT_NODE && !c.matches(skip)) {
                for (const a of ['aria-label', 'placeholder']) if (c.hasAttribute(a)) out.push(c.getAttribute(a));
                walk(c);
            }
        }
    };
    walk(host.shadowRoot);
    return out;
}"""
MESSAGE_LANGS = """() => [...document.querySelector('.bw-chat-host').shadowRoot.querySelectorAll('.msg')]
    .map(m => [m.classList.contains('user') ? 'user' : 'bot', m.getAttribute('lang')])"""


class Relay:
    """Passes /chat/messages through to the gateway, records what the widget sent, and sets the reply's
    ``lang`` to :attr:`reply_lang` (None: a reply without ``lang``, as before the gateway reported it)."""

    def __init__(self, page, reply_lang: str | None = None) -> None:
        self.sent: list[dict] = []
        self.reply_lang = reply_lang
        page.route("**/chat/messages", self._handle)

    def _handle(self, route) -> None:
        self.sent.append(route.request.post_data_json)
        response = route.fetch()
        body = response.json()
        body.pop("lang", None)
        if self.reply_lang:
            body["lang"] = self.reply_lang
        route.fulfill(response=response, json=body)


def shadow_active_id(page) -> str:
    return page.evaluate("() => document.querySelector('.bw-chat-host').shadowRoot.activeElement?.id || ''")


def pick_with_keyboard(page, lang: str) -> None:
    """From the message input, Shift+Tab to the language menu and move with the arrow keys to ``lang``."""
    page.locator(".input").focus()
    for _ in range(30):
        page.keyboard.press("Shift+Tab")
        if shadow_active_id(page) == "bwc-lang":
            break
    else:
        pytest.fail("language menu not reachable with the keyboard")
    menu = page.locator("#bwc-lang")
    steps = MENU_ORDER.index(lang) - MENU_ORDER.index(menu.input_value())
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    expect()(menu).to_have_value(lang)


def last_turn(page) -> tuple[str, set[str]]:
    """The ``lang`` of the last user message and those of the bot messages after it (one answer, 1+ bubbles)."""
    langs = page.evaluate(MESSAGE_LANGS)
    last_user = max(i for i, (who, _) in enumerate(langs) if who == "user")
    return langs[last_user][1], {lang for _, lang in langs[last_user + 1:]}


def stored(page) -> dict:
    return json.loads(page.evaluate(f"() => localStorage.getItem('{KEY}')"))


def expect_labels(page, lang: str) -> None:
    labels = LABELS[lang]
    expect()(page.locator(".bw-chat-host")).to_have_attribute("lang", lang)
    expect()(page.locator(".title")).to_have_text(labels["title"])
    expect()(page.locator(".send")).to_have_text(labels["send"])
    expect()(page.locator(".input")).to_have_attribute("placeholder", labels["placeholder"])
    expect()(page.locator(".head .icon-btn")).to_have_accessible_name(labels["close"])
    expect()(page.locator("#bwc-lang")).to_have_accessible_name(labels["menu"])
    expect()(page.locator(".lang-pick label")).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "tr", "uk"])
def test_choose_language_with_the_keyboard(new_page, stack, problems, artifacts: Path, lang: str):
    page = new_page(viewport={"width": 1280, "height": 800}, bypass_csp=True)  # bypass_csp: axe only
    relay = Relay(page)  # before the gateway reports the language: replies without lang still work
    open_widget(page, f"{stack}/demo/")
    options = page.locator("#bwc-lang option")
    expect()(options).to_have_text(["Deutsch", "Leichte Sprache", "English", "Türkçe", "Українська"])
    assert [o.get_attribute("lang") for o in options.all()] == ["de", "de", "en", "tr", "uk"]
    ask(page, HUND)
    assert "lang" not in relay.sent[-1]  # nothing chosen: the gateway may detect the language
    german = set(page.evaluate(CHROME_TEXTS))

    pick_with_keyboard(page, lang)
    expect_labels(page, lang)
    expect()(page.locator(".bw-chat-host [role=status]").last).to_have_text(LABELS[lang]["now"])
    expect()(page.locator(".fb-btn").first).to_have_accessible_name(LABELS[lang]["thumb"])
    left = set(page.evaluate(CHROME_TEXTS)) & german
    assert not left, f"still German after choosing {lang}: {left}"

    relay.reply_lang = lang
    ask(page, TYPED[lang])
    assert relay.sent[-1]["lang"] == lang
    assert last_turn(page) == (lang, {lang})
    expect()(page.locator(".msg.user").last).to_have_text(f"{LABELS[lang]['you']}: {TYPED[lang]}")
    settle(page)
    page.screenshot(path=str(artifacts / f"widget-lang-{lang}.png"))
    violations = run_axe(page)
    (artifacts / f"axe-lang-{lang}.json").write_text(json.dumps(violations, indent=2, ensure_ascii=False),
                                                     encoding="utf-8")
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)

    langs = page.evaluate(MESSAGE_LANGS)
    page.reload()  # the choice is remembered with the conversation
    expect()(page.locator("#bwc-lang")).to_have_value(lang)
    expect_labels(page, lang)
    assert page.evaluate(MESSAGE_LANGS) == langs  # the earlier German messages stay German
    assert stored(page)["lang"] == lang
    relay.reply_lang = None
    ask(page, TYPED[lang])
    assert relay.sent[-1]["lang"] == lang  # sent with every message
    assert last_turn(page) == (lang, {lang})  # no lang in the reply: the chosen one
    problems[:] = [p for p in problems if "axe" not in p]
    assert problems == []


def test_reply_in_english_switches_the_widget_without_a_choice(page, stack, problems):
    relay = Relay(page, reply_lang="en")  # the gateway detected English
    open_widget(page, f"{stack}/demo/")
    expect()(page.locator(".send")).to_have_text("Senden")
    ask(page, "Hello, I need a new passport")
    assert "lang" not in relay.sent[-1]
    expect_labels(page, "en")
    expect()(page.locator("#bwc-lang")).to_have_value("en")
    assert last_turn(page) == ("de", {"en"})  # typed while German was shown
    assert stored(page)["lang"] is None  # shown, but not the citizen's choice

    ask(page, "How long does it take?")
    assert "lang" not in relay.sent[-1]  # still the gateway's to detect
    assert last_turn(page) == ("en", {"en"})
    page.reload()
    expect_labels(page, "en")
    assert stored(page)["lang"] is None

    pick_with_keyboard(page, "de")  # an explicit choice from now on
    expect()(page.locator(".send")).to_have_text("Senden")
    relay.reply_lang = "de"
    ask(page, "Wie lange dauert das?")
    assert relay.sent[-1]["lang"] == "de"
    assert stored(page)["lang"] == "de"
    assert problems == []


def test_switch_and_menu_agree(page, stack, problems):
    open_widget(page, f"{stack}/demo/")
    switch, menu = page.locator(".ls-toggle"), page.locator("#bwc-lang")
    menu.select_option("uk")  # nothing said yet: the greeting comes again in the new language
    expect()(page.locator(".msg.bot")).to_have_count(1)
    expect()(page.locator(".msg.bot")).to_have_attribute("lang", "uk")
    expect()(page.locator(".msg.bot .bubble")).to_contain_text("Добрий день!")
    expect()(switch).to_have_attribute("aria-pressed", "false")
    expect()(switch).to_have_accessible_name("Leichte Sprache")  # named in German in every language
    expect()(switch).to_have_attribute("lang", "de")

    switch.click()
    expect()(menu).to_have_value("de-LS")
    expect()(switch).to_have_attribute("aria-pressed", "true")
    expect()(page.locator(".send")).to_have_text("Senden")
    expect()(page.locator(".bw-chat-host [role=status]").last).to_contain_text("Leichte Sprache ist an")
    expect()(page.locator(".msg.bot .bubble")).to_contain_text("Ich helfe Ihnen bei Fragen an das Amt.")

    menu.select_option("en")
    expect()(switch).to_have_attribute("aria-pressed", "false")
    expect()(page.locator(".send")).to_have_text("Send")
    switch.click()  # Leichte Sprache on, then off again: standard German
    switch.click()
    expect()(menu).to_have_value("de")
    expect()(page.locator(".bw-chat-host [role=status]").last).to_contain_text("Leichte Sprache ist aus")
    assert stored(page)["lang"] == "de"
    assert problems == []


def test_errors_and_consent_form_in_the_chosen_language(page, stack, problems):
    open_widget(page, f"{stack}/demo/")
    page.locator("#bwc-lang").select_option("tr")
    page.route("**/chat/messages", lambda route: route.abort())
    ask(page, TYPED["tr"])
    error = page.locator(".msg.bot.error").last
    expect()(error).to_have_text("Vatandaş hizmeti: Sohbete şu anda ulaşılamıyor. Lütfen daha sonra tekrar deneyin.")
    expect()(error).to_have_attribute("lang", "tr")

    page.unroute("**/chat/messages")
    unavailable = {"error": {"code": "temporarily_unavailable", "message": "Der Assistent ist kurz nicht verfügbar."}}
    page.route("**/chat/messages", lambda route: route.fulfill(status=503, json=unavailable))
    ask(page, TYPED["tr"])
    expect()(page.locator(".msg.bot.error").last).to_contain_text("Asistan kısa bir süre için kullanılamıyor.")
    problems[:] = [p for p in problems if "503" not in p and "ERR_FAILED" not in p]

    page.locator(".ho-open").click()
    expect()(page.locator(".ho label").first).to_have_text("E-posta adresi veya telefon numarası")
    page.locator(".ho-send").click()  # without consent
    expect()(page.locator(".ho-status")).to_have_text("Lütfen onay verdiğinizi işaretleyin.")
    assert problems == []
