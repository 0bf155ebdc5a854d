"""The answer names its language (``"lang"`` of ``POST /chat/messages``), and a typed message without
``lang`` switches the conversation when it is clearly in another served language (fake model, see
gateway_helpers.FakeLanguageModel; the rules themselves: test_detect.py)."""

from __future__ import annotations

from gateway_helpers import SENDER, FakeRasa, post_chat

KEY = f"web:demo:08119020:{SENDER}"
EVENTS = f"POST /conversations/{KEY}/tracker/events"
WEBHOOK = "POST /webhooks/rest/webhook"


def msg(text: str, **extra) -> dict:
    return {"sender_id": SENDER, "message": text, "ags": "08119020", **extra}


async def answer(client, body: dict) -> tuple[list[str], str]:
    resp = await post_chat(client, body)
    assert resp.status == 200, await resp.text()
    data = await resp.json()
    assert set(data) == {"messages", "lang"}
    return [m["text"] for m in data["messages"]], data["lang"]


async def test_the_answer_is_in_german_until_something_else_is_chosen_or_detected(client, fake_rasa: FakeRasa):
    assert (await answer(client, msg("Ich brauche einen Personalausweis")))[1] == "de"
    assert fake_rasa.events == []  # German is Rasa's initial value: nothing to set
    assert await answer(client, msg("Was kostet das?", lang="de-LS")) == (["[de-LS] Was kostet das?"], "de-LS")
    assert (await answer(client, msg("Und wo?")))[1] == "de-LS"  # remembered


async def test_a_clear_english_message_switches_and_short_ones_keep_it(client, fake_rasa: FakeRasa):
    assert await answer(client, msg("how do i get a new passport")) == (["[en] how do i get a new passport"], "en")
    assert fake_rasa.requests == [EVENTS, EVENTS, WEBHOOK]  # the slot first (twice: a new conversation)
    for text in ("ok", "Perso Fellbach", "Einbürgerung in Fellbach"):
        assert await answer(client, msg(text)) == ([f"[en] {text}"], "en")
    assert fake_rasa.requests[3:] == [WEBHOOK] * 3
    assert await answer(client, msg("Kimlik kartı nasıl alınır lazim")) == (["[tr] Kimlik kartı nasıl alınır lazim"],
                                                                            "tr")
    assert (await answer(client, msg("Скільки коштує паспорт?")))[1] == "uk"
    assert (await answer(client, msg("ich brauche einen neuen Reisepass bitte")))[1] == "de"
    assert [e[2][0]["value"] for e in fake_rasa.events] == ["en", "en", "tr", "uk", "de"]


async def test_a_chosen_language_is_never_detected_away(client, fake_rasa: FakeRasa):
    assert await answer(client, msg("how do i get a new passport", lang="de")) == (
        ["[de] how do i get a new passport"], "de")
    assert await answer(client, msg("Скільки коштує паспорт?", lang="en")) == (["[en] Скільки коштує паспорт?"], "en")


async def test_leichte_sprache_stays_when_german_is_typed(client, fake_rasa: FakeRasa):
    await answer(client, msg("Ich brauche einen Personalausweis", lang="de-LS"))
    assert (await answer(client, msg("ich brauche einen neuen Reisepass bitte")))[1] == "de-LS"
    assert (await answer(client, msg("what do i need for the passport")))[1] == "en"


async def test_a_button_click_is_not_detected(client, fake_rasa: FakeRasa):
    await answer(client, msg("Ich brauche einen Personalausweis"))  # answered with buttons /affirm, /deny
    resp = await post_chat(client, {"sender_id": SENDER, "payload": "/affirm", "ags": "08119020"})
    assert (await resp.json())["lang"] == "de" and fake_rasa.events == []


async def test_a_refused_slot_reports_the_language_the_answer_is_in(client, fake_rasa: FakeRasa):
    await answer(client, msg("Hallo", lang="tr"))
    fake_rasa.events_status = 500
    texts, lang = await answer(client, msg("how do i get a new passport"))
    assert (texts, lang) == (["[tr] how do i get a new passport"], "tr")  # Rasa still holds Turkish
    fake_rasa.events_status = 200
    assert (await answer(client, msg("what do i need for the passport")))[1] == "en"  # tried again
