"""Opening hours entered in the console -> the real assistant answers with them (needs a trained model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import ensure_browser_deps, free_port, tenants_for
from test_browser_console import PASSWORD, expect, login
from test_browser_widget import ask, open_widget

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def real_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from bot.console.accounts import AccountStore
    from bot.launcher.stack import Stack

    ensure_browser_deps()
    work = tmp_path_factory.mktemp("console_chat")
    AccountStore(work / "users.yml").add("anna", "redaktion", "demo", PASSWORD)
    env = {"BOT_STAFF_USERS": str(work / "users.yml"), "BOT_STAFF_STATE": str(work / "state"),
           "BOT_STAFF_INSECURE_COOKIE": "1", "BOT_LOCAL_DIR": str(work / "local"),
           "BOT_TRACKER_STORE": f"sqlite:///{work / 'tracker.db'}"}
    (work / "tracker.db").touch()
    with pytest.MonkeyPatch.context() as mp:  # the stack's processes inherit the environment
        for key, value in env.items():
            mp.setenv(key, value)
        port = free_port()
        stack = Stack(gateway_port=port, rasa_port=free_port(), actions_port=free_port(),
                      tenants=tenants_for(port, work), log_dir=work / "logs")
        base = stack.start(timeout=900)
        try:
            yield base
        finally:
            stack.stop()


def test_opening_hours_entered_are_answered(real_stack: str, new_page, artifacts: Path) -> None:
    clerk = new_page(viewport={"width": 1280, "height": 900})
    login(clerk, real_stack, "anna")
    clerk.get_by_role("link", name="Lokale Angaben").click()
    clerk.get_by_label("Name der Stelle").fill("Bürgerbüro Fellbach")
    clerk.get_by_label("Gemeinde").select_option("08119020")
    for day in ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"):  # open all day: the answer does not depend on the clock
        clerk.get_by_label(day, exact=True).fill("00:00-24:00")
    clerk.get_by_label("Terminbuchung").fill("https://termine.fellbach.example/buergerbuero")
    clerk.get_by_role("button", name="Speichern").click()
    expect()(clerk.get_by_role("status").first).to_contain_text("Gespeichert.")

    citizen = new_page(viewport={"width": 1280, "height": 900})
    open_widget(citizen, f"{real_stack}/demo/?ags=08119020")
    ask(citizen, "Wann hat das Bürgerbüro geöffnet?")
    answer = citizen.locator(".msg.bot .bubble").last
    expect()(answer).to_contain_text("Bürgerbüro Fellbach hat heute bis 24:00 Uhr geöffnet.")
    expect()(answer).to_contain_text("Stand:")
    ask(citizen, "Wie kann ich einen Termin buchen?")
    expect()(citizen.locator(".msg.bot .bubble").last).to_contain_text(
        "Termin buchen bei Bürgerbüro Fellbach: https://termine.fellbach.example/buergerbuero")
    citizen.screenshot(path=str(artifacts / "console-local-chat.png"))
