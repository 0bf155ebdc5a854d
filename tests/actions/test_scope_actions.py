"""Honest scope (adjacent topics, chit-chat, politics), the wish for a person, several needs in one message."""

from __future__ import annotations

import pytest

from actions.services import ActionAnswerDocuments, ActionAnswerFees, ActionAnswerService
from actions.support import ActionBotChallenge, ActionFallback, ActionHandoff, ActionOutOfScope
from tests.actions.conftest import make_tracker, responses


@pytest.mark.parametrize(("text", "helper"), [
    ("Wie beantrage ich Elternzeit?", "Arbeitgeber"),
    ("Mutterschutz als Angestellte, was muss ich tun", "Krankenkasse"),
    ("Brauche ich eine Hundehaftpflichtversicherung?", "Versicherung"),
    ("Mein Chef gibt mir kein Arbeitszeugnis", "Arbeitgeber"),
    ("Mein Hund braucht einen Chip für die Reise nach Italien", "Tierarzt"),
    ("Wo bekomme ich einen EU-Heimtierausweis für den Urlaub?", "Tierarzt"),
    ("Wie viel Arbeitslosengeld bekomme ich?", "Agentur für Arbeit"),
])
@pytest.mark.parametrize("intent", ["search_service", "out_of_scope", "nlu_fallback"])
async def test_adjacent_topic_says_who_helps_instead_never_a_leistung(run_action, text, helper, intent):
    action = {"search_service": ActionAnswerService(), "out_of_scope": ActionOutOfScope(),
              "nlu_fallback": ActionFallback()}[intent]
    messages, slots = await run_action(action, make_tracker(text, intent, slots={"place_ags": "08421000"}))
    assert responses(messages) == ["utter_adjacent"]
    assert helper in messages[0]["answer"] and "Gemeinde" in messages[0]["answer"]
    # no Leistung is answered; the one the answer offers help with (angebot) becomes the focus
    offered = {"Elternzeit": "elterngeld", "Hundehaftpflicht": "hund_anmelden", "Arbeitszeugnis": "beglaubigung_kopie"}
    assert slots.get("service_id") == next((v for k, v in offered.items() if k in text), None)


async def test_adjacent_topic_asked_as_a_fee_question_gets_the_scope_answer(run_action):
    tracker = make_tracker("Was kostet eine Hundehaftpflicht?", "ask_fees", slots={"service_id": "hund_anmelden"})
    messages, slots = await run_action(ActionAnswerFees(), tracker)
    assert responses(messages) == ["utter_adjacent"] and "Versicherung" in messages[0]["answer"]


async def test_question_about_the_body_that_handles_the_leistung_in_focus_is_about_the_leistung(run_action):
    """Kindergeld in focus: the Familienkasse is where it is handled, so the question is about the Kindergeld."""
    tracker = make_tracker("Was für Belege möchte die Familienkasse von mir?", "ask_documents",
                           slots={"service_id": "kindergeld", "place_ags": "08421000"})
    messages, slots = await run_action(ActionAnswerDocuments(), tracker)
    assert responses(messages) == ["utter_service_documents_for"] and messages[0]["name"] == "Kindergeld beantragen"
    # without the Kindergeld in focus, the same words get the honest scope answer
    tracker = make_tracker("Was für Belege möchte die Familienkasse von mir?", "ask_documents",
                           slots={"service_id": "reisepass", "place_ags": "08421000"})
    messages, _ = await run_action(ActionAnswerDocuments(), tracker)
    assert responses(messages) == ["utter_adjacent"] and "Familienkasse" in messages[0]["answer"]


@pytest.mark.parametrize(("text", "words"), [
    ("Was kostet ein Flug nach Mallorca?", "Flüge"),
    ("Welche Partei soll ich wählen?", "Parteien"),
    ("Wer ist der Bürgermeister?", "Internetseite Ihrer Gemeinde"),
])
async def test_prices_politics_and_the_mayor_get_a_neutral_scope_reply(run_action, text, words):
    messages, slots = await run_action(ActionAnswerService(), make_tracker(text, "search_service"))
    assert responses(messages) == ["utter_adjacent"] and words in messages[0]["answer"]
    assert "service_id" not in slots


async def test_the_mayor_read_as_a_question_about_the_bot_still_gets_the_scope_reply(run_action):
    messages, slots = await run_action(ActionBotChallenge(), make_tracker("Wer ist der Bürgermeister?", "bot_challenge"))
    assert responses(messages) == ["utter_adjacent"] and "Internetseite Ihrer Gemeinde" in messages[0]["answer"]
    messages, _ = await run_action(ActionBotChallenge(), make_tracker("Bist du ein echter Mensch?", "bot_challenge"))
    assert responses(messages) == ["utter_iamabot"]


async def test_elterngeld_is_still_a_leistung(run_action):
    messages, slots = await run_action(ActionAnswerService(), make_tracker("Elterngeld beantragen", "search_service"))
    assert slots["service_id"] == "elterngeld"


async def test_chit_chat_gets_the_neutral_scope_reply(run_action):
    messages, _ = await run_action(ActionOutOfScope(), make_tracker("erzähl mir einen Witz", "out_of_scope"))
    assert responses(messages) == ["utter_out_of_scope"]


@pytest.mark.parametrize("text", [
    "Ich will keinen Bot, ich will einen Sachbearbeiter!!",
    "MENSCH BITTE",
    "kann ich da jemanden anrufen",
    "Mitarbeiter!!!",
])
@pytest.mark.parametrize("intent", ["nlu_fallback", "out_of_scope", "search_service"])
async def test_every_explicit_wish_for_a_person_gets_the_handoff(run_action, text, intent):
    action = {"search_service": ActionAnswerService(), "out_of_scope": ActionOutOfScope(),
              "nlu_fallback": ActionFallback()}[intent]
    tracker = make_tracker(text, intent, slots={"place_ags": "08119020", "failures": 1.0}, confidence=0.3)
    messages, slots = await run_action(action, tracker)
    assert responses(messages) == ["utter_handoff"]
    assert "Stadt Fellbach" in messages[0]["contact"] and slots["failures"] == 0.0


async def test_handoff_intent_names_the_office_of_the_focus(run_action):
    tracker = make_tracker("Ich will keinen Bot, ich will einen Sachbearbeiter!!", "human_handoff",
                           slots={"service_id": "reisepass", "place_ags": "08421000"})
    messages, _ = await run_action(ActionHandoff(), tracker)
    assert "Universitätsstadt Ulm" in messages[0]["contact"]


async def test_parking_card_for_people_with_disabilities_is_no_handoff(run_action):
    tracker = make_tracker("Parkausweis für Menschen mit Behinderung", "search_service")
    messages, slots = await run_action(ActionAnswerService(), tracker)
    assert "utter_handoff" not in responses(messages)
    assert slots["service_id"].startswith("parkausweis")


def _more(messages: list[dict]) -> dict:
    return next(m for m in messages if m.get("response") == "utter_more_needs")


async def test_death_with_hunting_weapons_answers_sterbefall_and_offers_the_weapons(run_action):
    tracker = make_tracker("Mein Opa ist verstorben und hatte Jagdwaffen, was müssen wir tun?", "search_service",
                           slots={"place_ags": "08421000"})
    messages, slots = await run_action(ActionAnswerService(), tracker)
    assert slots["service_id"] == "sterbefall_anzeigen"
    assert messages[0]["name"] == "Sterbefall anzeigen"
    titles = [b["title"] for b in _more(messages)["buttons"]]
    assert titles == ["Waffenbesitzkarte im Erbfall beantragen"]


async def test_move_with_dog_and_car_answers_the_anmeldung_and_offers_dog_and_car(run_action):
    tracker = make_tracker("Ich ziehe um, habe einen Hund und ein Auto", "search_service", slots={"place_ags": "08421000"})
    messages, slots = await run_action(ActionAnswerService(), tracker)
    assert slots["service_id"] == "wohnsitz_anmelden"
    payloads = [b["payload"] for b in _more(messages)["buttons"]]
    assert payloads == ['/search_service{"service": "hund_anmelden"}', '/search_service{"service": "kfz_ummeldung"}']


@pytest.mark.parametrize(("text", "service"), [
    # the whole message fits two Leistungen equally; the first clause names one of them clearly
    ("Meine Partnerin und ich wollen uns trauen lassen. Was ist alles zu erledigen?", "eheschliessung_anmelden"),
])
async def test_a_clause_that_names_one_of_the_close_matches_settles_it(run_action, text, service):
    messages, slots = await run_action(ActionAnswerService(), make_tracker(text, "search_service",
                                                                          slots={"place_ags": "08421000"}))
    assert "utter_did_you_mean" not in responses(messages) and "utter_more_needs" not in responses(messages)
    assert slots["service_id"] == service


async def test_one_need_with_a_place_is_not_split_into_two(run_action):
    tracker = make_tracker("Ich brauche einen neuen Personalausweis, ich wohne in Fellbach", "search_service")
    messages, _ = await run_action(ActionAnswerService(), tracker)
    assert "utter_more_needs" not in responses(messages)


async def test_move_keeps_the_order_of_mention_when_the_nlu_tags_only_the_car(run_action):
    tracker = make_tracker("Ich ziehe um, habe einen Hund und ein Auto", "search_service",
                           [{"entity": "service", "value": "Auto"}], slots={"place_ags": "08421000"})
    messages, slots = await run_action(ActionAnswerService(), tracker)
    assert slots["service_id"] == "wohnsitz_anmelden"
    assert [b["title"] for b in _more(messages)["buttons"]] == ["Hund anmelden (Hundesteuer)",
                                                                "Fahrzeug ummelden (Halterwechsel oder Umzug)"]


async def test_after_the_adjacent_answer_a_follow_up_is_about_the_offered_leistung(run_action):
    messages, slots = await run_action(ActionOutOfScope(), make_tracker("Brauche ich für den Hund eine Tierhalterhaftpflicht?",
                                                                        "out_of_scope"))
    assert responses(messages) == ["utter_adjacent"] and slots["service_id"] == "hund_anmelden"
    tracker = make_tracker("und wie viel kostet die Steuer für ihn?", "ask_fees", slots={"service_id": "hund_anmelden"})
    messages, _ = await run_action(ActionAnswerFees(), tracker)
    assert {m.get("name") for m in messages if m.get("name")} == {"Hund anmelden (Hundesteuer)"}
