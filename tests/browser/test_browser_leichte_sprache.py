"""A citizen switches the widget to Leichte Sprache (real assistant): the next answers are in Leichter
Sprache with the official German names, every message carries ``lang``, the Leistung in focus and the
place survive switching back and forth, the switch is remembered, and axe finds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_browser_widget import ask, expect, open_widget, run_axe, settle

from bot.core import get_core

pytestmark = pytest.mark.browser

SWITCH = ".ls-toggle"


def texts(service_id: str, language: str = "de-LS"):
    core = get_core()
    return core.texts(core.catalogue.get(service_id), language)


def bot_text_since(page, before: int) -> str:
    return "\n".join(page.locator(".msg.bot").all_inner_texts()[before:])


def test_switch_to_leichte_sprache_and_back(new_page, stack, problems, artifacts: Path):
    page = new_page(viewport={"width": 1280, "height": 800}, bypass_csp=True)  # bypass_csp: axe only
    open_widget(page, f"{stack}/demo/")
    switch = page.locator(SWITCH)
    expect()(switch).to_have_attribute("aria-pressed", "false")
    expect()(switch).to_have_accessible_name("Leichte Sprache")  # the check mark is aria-hidden
    expect()(switch.locator(".ls-mark")).to_be_hidden()  # and shown only while switched on
    switch.focus()
    page.keyboard.press("Enter")  # a real button: keyboard works
    expect()(switch).to_have_attribute("aria-pressed", "true")

    ausweis = texts("personalausweis")
    before = page.locator(".msg.bot").count()
    ask(page, "Ich brauche einen neuen Personalausweis")
    answer = bot_text_since(page, before)
    assert ausweis.name in answer and ausweis.summary[0] in answer and ausweis.documents[0] in answer
    first = page.locator(".msg.bot").nth(before)
    expect()(first.locator("strong").first).to_have_text("Personalausweis beantragen")  # the official name, bold
    office = page.locator(".msg.bot strong", has_text="Stadt Fellbach")
    expect()(office.first).to_contain_text("Bürgerbüro")  # the office by its official name
    assert "Rechtsgrundlage" not in answer

    langs = page.evaluate("""() => [...document.querySelector('.bw-chat-host').shadowRoot
        .querySelectorAll('.msg')].map(m => m.getAttribute('lang'))""")
    assert langs and set(langs) == {"de"}  # every message, user and bot
    settle(page)
    page.screenshot(path=str(artifacts / "widget-leichte-sprache.png"))
    violations = run_axe(page)
    (artifacts / "axe-leichte-sprache.json").write_text(json.dumps(violations, indent=2, ensure_ascii=False),
                                                        encoding="utf-8")
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)

    # Back to standard German: same Leistung, same place, the standard fee text with its amount.
    switch.click()
    expect()(switch).to_have_attribute("aria-pressed", "false")
    before = page.locator(".msg.bot").count()
    ask(page, "Was kostet das?")
    answer = bot_text_since(page, before)
    standard = get_core().catalogue.get("personalausweis").fee
    assert "Personalausweis beantragen" in answer and standard.amount in answer

    # And on again: the processing time in Leichter Sprache, still for the Ausweis.
    switch.click()
    before = page.locator(".msg.bot").count()
    ask(page, "Wie lange dauert das?")
    answer = bot_text_since(page, before)
    assert all(sentence in answer for sentence in ausweis.processing_time), answer
    assert "Personalausweis beantragen" in answer

    page.reload()  # the switch is remembered with the conversation
    expect()(page.locator(SWITCH)).to_have_attribute("aria-pressed", "true")
    stored = json.loads(page.evaluate("() => localStorage.getItem('bw-chat:v1:08119020')"))
    assert stored["lang"] == "de-LS"
    problems[:] = [p for p in problems if "axe" not in p]
    assert problems == []


def test_the_switch_is_reachable_with_tab_and_space(page, stack, problems):
    open_widget(page, f"{stack}/demo/")
    for _ in range(20):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.querySelector('.bw-chat-host').shadowRoot.activeElement?.className") == "ls-toggle":
            break
    else:
        pytest.fail("switch not reachable with the keyboard")
    page.keyboard.press("Space")
    expect()(page.locator(SWITCH)).to_have_attribute("aria-pressed", "true")
    expect()(page.locator(".bw-chat-host [role=status]").last).to_contain_text("Leichte Sprache ist an")
    assert problems == []
