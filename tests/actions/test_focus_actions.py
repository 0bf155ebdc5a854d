"""Typed follow-ups keep the Leistung in focus; variants move along relations.yml; first answers are whole."""

from __future__ import annotations

import pytest

from actions.places import ActionSetPlace
from actions.services import (
    ActionAnswerDocuments,
    ActionAnswerFees,
    ActionAnswerOffice,
    ActionAnswerOnline,
    ActionAnswerService,
)
from actions.support import ActionAnswerAppointment, ActionAnswerOpeningHours, ActionFallback, ActionOutOfScope
from tests.actions.conftest import make_tracker, responses

ULM = "08421000"


def _names(messages: list[dict]) -> set[str]:
    return {m["name"] for m in messages if m.get("name")}


@pytest.mark.parametrize(("action", "text", "intent"), [
    (ActionAnswerDocuments(), "Welche Unterlagen brauche ich?", "ask_documents"),
    (ActionAnswerDocuments(), "welche unterlagen brauche ich dafür", "ask_documents"),
    (ActionAnswerOnline(), "Geht das online?", "ask_online"),
    (ActionAnswerOnline(), "kann ich das online beantragen", "ask_online"),
    (ActionAnswerFees(), "Was kostet das?", "ask_fees"),
    (ActionAnswerFees(), "was kostet der antrag", "ask_fees"),
])
async def test_typed_follow_up_answers_for_the_leistung_in_focus(run_action, action, text, intent):
    tracker = make_tracker(text, intent, slots={"service_id": "reisepass", "place_ags": ULM})
    messages, slots = await run_action(action, tracker)
    assert _names(messages) == {"Reisepass beantragen"}
    assert slots["service_id"] == "reisepass"
    assert "utter_service_summary" not in responses(messages)


async def test_follow_up_read_as_a_search_still_answers_for_the_focus(run_action):
    """The NLU may call "welche unterlagen brauche ich dafür" a search: the question words pick nothing."""
    tracker = make_tracker("welche unterlagen brauche ich dafür", "search_service",
                           slots={"service_id": "hund_anmelden", "place_ags": ULM})
    messages, slots = await run_action(ActionAnswerService(), tracker)
    assert responses(messages) == ["utter_service_documents_for"]
    assert messages[0]["name"] == "Hund anmelden (Hundesteuer)"


async def test_follow_up_filed_as_off_topic_is_answered_for_the_focus(run_action):
    tracker = make_tracker("Was kostet das?", "out_of_scope", slots={"service_id": "reisepass"})
    messages, _ = await run_action(ActionOutOfScope(), tracker)
    assert responses(messages) == ["utter_service_fees"] and messages[0]["name"] == "Reisepass beantragen"


async def test_low_confidence_follow_up_is_answered_for_the_focus(run_action):
    tracker = make_tracker("und online?", "nlu_fallback", slots={"service_id": "personalausweis"}, confidence=0.3)
    messages, _ = await run_action(ActionFallback(), tracker)
    assert responses(messages) == ["utter_service_online"]
    assert messages[0]["name"] == "Personalausweis beantragen"


async def test_question_words_alone_never_pick_a_leistung(run_action):
    messages, slots = await run_action(ActionAnswerDocuments(), make_tracker("Welche Unterlagen brauche ich?", "ask_documents"))
    assert responses(messages) == ["utter_which_service"]
    assert "service_id" not in slots


async def test_follow_up_naming_another_leistung_switches_and_gets_the_whole_answer(run_action):
    tracker = make_tracker("Welche Unterlagen brauche ich für das Führungszeugnis?", "ask_documents",
                           slots={"service_id": "reisepass", "place_ags": ULM})
    messages, slots = await run_action(ActionAnswerDocuments(), tracker)
    assert slots["service_id"] == "fuehrungszeugnis"
    said = responses(messages)
    assert said[0] == "utter_service_summary" and "utter_office" in said
    assert said.count("utter_service_documents") + said.count("utter_service_documents_for") == 1


async def test_entity_names_a_different_leistung_with_confidence(run_action):
    tracker = make_tracker("was kostet ein Führerschein", "ask_fees", [{"entity": "service", "value": "fuehrerschein"}],
                           slots={"service_id": "reisepass", "place_ags": ULM})
    messages, slots = await run_action(ActionAnswerFees(), tracker)
    assert slots["service_id"] == "fuehrerschein"
    assert responses(messages)[-1] in ("utter_service_fees", "utter_service_no_fees")


@pytest.mark.parametrize(("focus", "text", "intent", "expected"), [
    ("personalausweis", "gibts da auch was vorläufiges?", "search_service", "vorlaeufiger_personalausweis"),
    ("personalausweis", "und für mein Kind?", "search_service", "reisepass_kind"),
    ("personalausweis", "und wenn ich ihn verloren habe?", "ask_documents", "personalausweis_verlust"),
    ("reisepass", "gibt es auch einen vorläufigen?", "ask_documents", "vorlaeufiger_reisepass"),
    ("reisepass", "und wenn er gestohlen wurde?", "search_service", "reisepass_verlust"),
    ("fuehrerschein", "und wenn ich ihn verloren habe?", "search_service", "fuehrerschein_verlust"),
    ("hund_anmelden", "gibt es eine ermäßigung?", "ask_fees", "hundesteuer_befreiung"),
    ("fuehrungszeugnis", "und das erweiterte?", "search_service", "fuehrungszeugnis_erweitert"),
])
async def test_variant_of_the_focus_moves_to_the_related_leistung(run_action, focus, text, intent, expected):
    action = {"search_service": ActionAnswerService(), "ask_documents": ActionAnswerDocuments(),
              "ask_fees": ActionAnswerFees()}[intent]
    tracker = make_tracker(text, intent, slots={"service_id": focus, "place_ags": ULM})
    messages, slots = await run_action(action, tracker)
    assert slots["service_id"] == expected
    assert responses(messages)[0] == "utter_service_summary"


async def test_the_word_of_the_variant_in_focus_names_no_other_leistung(run_action):
    """The NLU maps "Ehrenamtliche" to an Ehrenamt Leistung; with the erweitertes Führungszeugnis in focus (the
    variant for volunteers) the question is about it."""
    text = "Müssen Ehrenamtliche dafür auch eine Gebühr zahlen?"
    start = text.index("Ehrenamtliche")
    entity = {"entity": "service", "value": "sbw-6006879", "start": start, "end": start + len("Ehrenamtliche")}
    tracker = make_tracker(text, "ask_fees", [entity], slots={"service_id": "fuehrungszeugnis_erweitert", "place_ags": ULM})
    messages, _ = await run_action(ActionAnswerFees(), tracker)
    assert responses(messages) == ["utter_service_fees"]
    assert messages[0]["name"] == "Erweitertes Führungszeugnis beantragen"


async def test_variant_out_of_the_nlu_fallback_is_answered_too(run_action):
    tracker = make_tracker("was vorläufiges?", "nlu_fallback", slots={"service_id": "personalausweis"}, confidence=0.2)
    _, slots = await run_action(ActionFallback(), tracker)
    assert slots["service_id"] == "vorlaeufiger_personalausweis"


async def test_another_place_as_follow_up_names_the_office_there(run_action):
    tracker = make_tracker("und in Heidelberg?", "inform_place", [{"entity": "place", "value": "Heidelberg"}],
                           slots={"service_id": "reisepass", "place_ags": ULM})
    messages, slots = await run_action(ActionSetPlace(), tracker)
    office = next(m for m in messages if m.get("response") in ("utter_office", "utter_office_no_link"))
    assert office["place"] == "Heidelberg" and "Heidelberg" in office["office"]
    assert slots["place_ags"] == "08221000"


@pytest.mark.parametrize("text", ["wo ist das?", "wer ist zuständig?"])
async def test_office_follow_up_keeps_the_focus(run_action, text):
    tracker = make_tracker(text, "ask_responsible_office", slots={"service_id": "reisepass", "place_ags": ULM})
    messages, _ = await run_action(ActionAnswerOffice(), tracker)
    office = next(m for m in messages if m.get("response") in ("utter_office", "utter_office_no_link"))
    assert office["office"].startswith("Universitätsstadt Ulm")
    assert "utter_service_summary" not in responses(messages)


@pytest.mark.parametrize("action", [ActionAnswerOpeningHours(), ActionAnswerAppointment()])
async def test_opening_hours_and_appointment_use_the_focus(run_action, action):
    tracker = make_tracker("wann hat das offen? brauche ich einen termin?", "ask_opening_hours",
                           slots={"service_id": "kfz_zulassung", "place_ags": "08119020"})
    messages, _ = await run_action(action, tracker)
    assert messages[-1]["office"] == "Landratsamt Rems-Murr-Kreis – Zulassungsstelle"


async def test_opening_hours_without_any_leistung_stay_generic(run_action):
    messages, _ = await run_action(ActionAnswerOpeningHours(), make_tracker("wann hat das rathaus offen", "ask_opening_hours"))
    assert responses(messages) == ["utter_opening_hours_generic"]


async def test_first_question_read_as_documents_gets_the_whole_answer(run_action):
    tracker = make_tracker("Ich brauche einen Personalausweis", "ask_documents",
                           [{"entity": "service", "value": "personalausweis"}], metadata={"tenant_ags": ULM})
    messages, slots = await run_action(ActionAnswerDocuments(), tracker)
    said = responses(messages)
    assert said[0] == "utter_service_summary" and "utter_service_documents" in said and "utter_office" in said
    assert "utter_service_documents_for" not in said  # the documents are not listed twice
    assert slots["service_id"] == "personalausweis"


async def test_first_question_with_a_place_always_names_the_office(run_action):
    tracker = make_tracker("Wo reiche ich meinen Bauantrag ein? Ich wohne in Fellbach", "ask_documents",
                           [{"entity": "service", "value": "Bauantrag"}, {"entity": "place", "value": "Fellbach"}])
    messages, slots = await run_action(ActionAnswerDocuments(), tracker)
    office = next(m for m in messages if m.get("response") in ("utter_office", "utter_office_no_link"))
    assert "Fellbach" in office["place"]
    assert slots["service_id"] == "baugenehmigung" and slots["place_ags"] == "08119020"
    assert responses(messages)[0] == "utter_service_summary"


async def test_follow_up_with_a_place_names_the_office_there_too(run_action):
    tracker = make_tracker("Welche Unterlagen brauche ich in Fellbach?", "ask_documents",
                           [{"entity": "place", "value": "Fellbach"}], slots={"service_id": "reisepass", "place_ags": ULM})
    messages, slots = await run_action(ActionAnswerDocuments(), tracker)
    said = responses(messages)
    assert "utter_office" in said and said[-1] == "utter_service_documents_for"
    assert slots["place_ags"] == "08119020"


async def test_bafoeg_question_is_not_a_strafantrag(run_action):
    """The NLU maps "BAföG" to the BAföG for a Studium (data/nlu/synonyms_longtail.yml)."""
    tracker = make_tracker("Mein Sohn studiert ab Oktober in Mannheim, wo stellt er den BAföG Antrag?",
                           "ask_responsible_office", [{"entity": "service", "value": "sbw-577"},
                                                      {"entity": "place", "value": "Mannheim"}])
    messages, slots = await run_action(ActionAnswerOffice(), tracker)
    assert slots["service_id"] == "sbw-577"
    assert messages[0]["name"] == "BAföG für ein Studium beantragen"
    assert all("Strafantrag" not in str(m) for m in messages)


async def test_unmapped_bafoeg_entity_offers_the_bafoeg_leistungen_not_a_strafantrag(run_action):
    tracker = make_tracker("Mein Sohn studiert ab Oktober in Mannheim, wo stellt er den BAföG Antrag?",
                           "search_service", [{"entity": "service", "value": "BAföG"}])
    messages, _ = await run_action(ActionAnswerService(), tracker)
    offered = [b["title"] for m in messages for b in m.get("buttons", [])] + [m.get("name", "") for m in messages]
    assert any("BAföG" in t for t in offered)
    assert all("Strafantrag" not in str(m) for m in messages)


async def test_variant_filed_as_a_place_message_is_answered(run_action):
    tracker = make_tracker("und für mein Kind?", "inform_place", slots={"service_id": "personalausweis", "place_ags": ULM})
    messages, slots = await run_action(ActionSetPlace(), tracker)
    assert slots["service_id"] == "reisepass_kind"


async def test_unknown_place_with_a_focus_still_asks_for_a_bw_place(run_action):
    tracker = make_tracker("in Atlantis", "inform_place", slots={"service_id": "personalausweis"})
    messages, _ = await run_action(ActionSetPlace(), tracker)
    assert responses(messages) == ["utter_place_unknown"]


async def test_processing_time_question_stays_with_the_focus(run_action):
    tracker = make_tracker("Und wie lange dauert das?", "search_service", slots={"service_id": "reisepass", "place_ags": ULM})
    messages, slots = await run_action(ActionAnswerService(), tracker)
    assert messages and "utter_service_summary" not in responses(messages)
    assert {m["name"] for m in messages if m.get("name")} <= {"Reisepass beantragen"}
    assert slots["service_id"] == "reisepass"


async def test_variant_filed_as_off_topic_is_answered(run_action):
    tracker = make_tracker("und wenn ich ihn verloren habe?", "out_of_scope", slots={"service_id": "personalausweis"})
    _, slots = await run_action(ActionOutOfScope(), tracker)
    assert slots["service_id"] == "personalausweis_verlust"


async def test_a_variant_among_close_search_hits_follows_the_focus_not_a_did_you_mean(run_action):
    """Vorläufiger Reisepass and vorläufiger Personalausweis both match "was vorläufiges"; the Perso is in focus."""
    tracker = make_tracker("gibts da auch was vorläufiges?", "search_service",
                           [{"entity": "service", "value": "vorläufig"}],
                           slots={"service_id": "personalausweis", "place_ags": "08119020"})
    messages, slots = await run_action(ActionAnswerService(), tracker)
    assert slots["service_id"] == "vorlaeufiger_personalausweis"
    assert "utter_did_you_mean" not in responses(messages)


def _entity(text: str, typed: str, value: str | None = None) -> dict:
    start = text.index(typed)
    return {"entity": "service", "start": start, "end": start + len(typed), "value": value or typed}


@pytest.mark.parametrize(("focus", "text", "intent", "typed", "value"), [
    # the NLU maps "Anmeldung" to the Wohnsitz; while the marriage is in focus it is the marriage's own word
    ("eheschliessung_anmelden", "Was brauchen wir alles für die Anmeldung?", "ask_documents", "Anmeldung",
     "wohnsitz_anmelden"),
    ("gewerbe_anmelden", "was kostet die anmeldung", "ask_fees", "anmeldung", "wohnsitz_anmelden"),
    ("veranstaltung_strasse", "wie früh müssen wir das anmelden", "search_service", "anmelden", None),
    ("kfz_zulassung", "Was muss ich zur Zulassung alles mitnehmen, Brief und Schein?", "ask_documents",
     "Zulassung", None),
])
async def test_a_word_of_the_leistung_in_focus_does_not_switch_to_another(run_action, focus, text, intent,
                                                                          typed, value):
    tracker = make_tracker(text, intent, entities=[_entity(text, typed, value)],
                           slots={"service_id": focus, "place_ags": ULM})
    action = ActionAnswerService() if intent == "search_service" else {
        "ask_documents": ActionAnswerDocuments(), "ask_fees": ActionAnswerFees()}[intent]
    _, slots = await run_action(action, tracker)
    assert slots.get("service_id", focus) == focus


@pytest.mark.parametrize(("focus", "text"), [
    ("unterhaltsvorschuss", "was muss ich dem Antrag beilegen, Geburtsurkunden?"),  # a document of the UVG
    ("parkausweis_orange", "Reicht der Schwerbehindertenausweis als Nachweis?"),
    ("personalausweis", "was nehm ich da mit"),  # several long-tail names fit equally: none is named
    ("steuernummer_beantragen", "was muss ich da alles angeben?"),
])
async def test_a_document_named_in_a_documents_question_keeps_the_focus(run_action, focus, text):
    tracker = make_tracker(text, "ask_documents", slots={"service_id": focus, "place_ags": ULM})
    messages, slots = await run_action(ActionAnswerDocuments(), tracker)
    assert slots.get("service_id", focus) == focus
    assert "utter_service_summary" not in responses(messages)


@pytest.mark.parametrize(("focus", "text", "intent", "typed", "value", "expected"), [
    ("personalausweis", "Welche Unterlagen brauche ich für den Reisepass?", "ask_documents", "Reisepass",
     "reisepass", "reisepass"),
    ("reisepass", "und was kostet der Kinderreisepass?", "ask_fees", "Kinderreisepass", "kinderreisepass",
     "kinderreisepass"),  # a longer compound says more than the focus
    ("gewerbe_anmelden", "und wie melde ich meinen Wohnsitz an?", "ask_documents", None, None,
     "wohnsitz_anmelden"),
])
async def test_another_leistung_named_in_a_follow_up_still_switches(run_action, focus, text, intent, typed,
                                                                    value, expected):
    entities = [_entity(text, typed, value)] if typed else []
    tracker = make_tracker(text, intent, entities=entities, slots={"service_id": focus, "place_ags": ULM})
    action = {"ask_documents": ActionAnswerDocuments(), "ask_fees": ActionAnswerFees()}[intent]
    _, slots = await run_action(action, tracker)
    assert slots["service_id"] == expected


@pytest.mark.parametrize("text", ["wie viele tage vorher muss ich das beantragen",
                                  "nach wie vielen tagen hab ich das im briefkasten"])
async def test_lead_time_questions_filed_elsewhere_get_the_processing_time(run_action, text):
    tracker = make_tracker(text, "out_of_scope", slots={"service_id": "fuehrungszeugnis", "place_ags": ULM})
    messages, _ = await run_action(ActionOutOfScope(), tracker)
    assert responses(messages)[0].startswith("utter_processing_time"), responses(messages)


@pytest.mark.parametrize(("text", "typed", "value", "expected"), [
    ("Mein Behindertenausweis läuft Ende des Jahres ab, was muss ich tun?", "Behindertenausweis",
     "schwerbehindertenausweis", "schwerbehindertenausweis_verlaengern"),
    ("Hilfe, mein Ausweis ist weg, ich glaub er wurde mir im Zug geklaut", "Ausweis", "personalausweis",
     "personalausweis_verlust"),
    ("Ich brauche einen neuen Personalausweis", "Personalausweis", "personalausweis", "personalausweis"),
])
async def test_a_first_message_gets_the_variant_it_describes_around_the_named_document(run_action, text, typed,
                                                                                     value, expected):
    tracker = make_tracker(text, "search_service", entities=[_entity(text, typed, value)],
                           slots={"place_ags": ULM})
    _, slots = await run_action(ActionAnswerService(), tracker)
    assert slots["service_id"] == expected


async def test_a_variant_word_read_as_another_leistung_is_still_the_variant(run_action):
    """The NLU may map "verloren" to the Fundbüro; after the Reisepass it is the lost passport."""
    text = "und wenn ich ihn verloren habe?"
    tracker = make_tracker(text, "search_service", entities=[_entity(text, "verloren", "fundsache")],
                           slots={"service_id": "reisepass", "place_ags": ULM})
    _, slots = await run_action(ActionAnswerService(), tracker)
    assert slots["service_id"] == "reisepass_verlust"


@pytest.mark.parametrize(("text", "typed", "value", "expected"), [
    ("Kann ich für meine Tochter noch einen Kinderreisepass verlängern lassen?", "Kinderreisepass",
     "kinderreisepass", "kinderreisepass"),  # a child's Leistung already: "Tochter" is no variant of it
    ("Ich muss einen Reisepass für meine Tochter beantragen, sie ist 8", "Reisepass", "reisepass",
     "reisepass_kind"),
])
async def test_the_variant_in_a_first_message_is_one_the_leistung_is_not_already(run_action, text, typed, value,
                                                                                 expected):
    tracker = make_tracker(text, "search_service", entities=[_entity(text, typed, value)],
                           slots={"place_ags": ULM})
    _, slots = await run_action(ActionAnswerService(), tracker)
    assert slots["service_id"] == expected


async def test_an_unmapped_variant_word_entity_is_the_variant_too(run_action):
    text = "und wenn ich ihn verloren habe?"
    tracker = make_tracker(text, "search_service", entities=[_entity(text, "verloren")],
                           slots={"service_id": "fuehrerschein", "place_ags": ULM})
    _, slots = await run_action(ActionAnswerService(), tracker)
    assert slots["service_id"] == "fuehrerschein_verlust"


async def test_a_leistung_named_in_a_message_filed_as_off_topic_is_answered(run_action):
    text = "Wie viel Vorlauf brauche ich für einen Reisepass? Wir reisen im August nach Kanada"
    tracker = make_tracker(text, "out_of_scope", entities=[_entity(text, "Reisepass", "reisepass")],
                           slots={"place_ags": ULM})
    messages, slots = await run_action(ActionOutOfScope(), tracker)
    assert slots["service_id"] == "reisepass" and "utter_out_of_scope" not in responses(messages)


async def test_off_topic_without_a_named_leistung_stays_off_topic(run_action):
    tracker = make_tracker("Was kostet ein Flug nach Mallorca?", "out_of_scope", slots={"place_ags": ULM})
    messages, slots = await run_action(ActionOutOfScope(), tracker)
    assert "service_id" not in slots


@pytest.mark.parametrize(("focus", "text", "place"), [
    ("kfz_zulassung", "wir ziehen aber nächste woche nach Mannheim, also da", "Mannheim"),
    ("finanzamt_finden", "und wenn ich nach Heidelberg umziehe?", "Heidelberg"),
])
async def test_moving_to_another_place_keeps_the_leistung_in_focus(run_action, focus, text, place):
    start = text.index(place)
    entity = {"entity": "place", "start": start, "end": start + len(place), "value": place}
    tracker = make_tracker(text, "search_service", entities=[entity], slots={"service_id": focus, "place_ags": ULM})
    _, slots = await run_action(ActionAnswerService(), tracker)
    assert slots.get("service_id", focus) == focus


async def test_moving_without_a_leistung_in_focus_is_still_the_anmeldung(run_action):
    tracker = make_tracker("wir ziehen nach Stuttgart, was muss ich machen?", "search_service", slots={})
    _, slots = await run_action(ActionAnswerService(), tracker)
    assert slots["service_id"] == "wohnsitz_anmelden"


async def test_the_focus_own_words_hold_when_the_nlu_reads_a_new_search(run_action):
    text = "Wie viel Steuer zahlt man in Ulm im Jahr für einen Hund?"
    tracker = make_tracker(text, "search_service", entities=[_entity(text, "Steuer")],
                           slots={"service_id": "hund_anmelden", "place_ags": ULM})
    _, slots = await run_action(ActionAnswerService(), tracker)
    assert slots.get("service_id", "hund_anmelden") == "hund_anmelden"


@pytest.mark.parametrize(("action", "text", "intent", "answer"), [
    (ActionAnswerDocuments(), "Welche Gebühr fällt da an?", "ask_documents", "utter_service_fees"),
    (ActionAnswerFees(), "Was muss ich alles mitbringen?", "ask_fees", "utter_service_documents_for"),
    (ActionAnswerDocuments(), "Geht das auch online?", "ask_documents", "utter_service_online"),
    # mixed words: the NLU's choice stands
    (ActionAnswerDocuments(), "Welche Unterlagen brauche ich für den Online-Antrag?", "ask_documents",
     "utter_service_documents_for"),
])
async def test_the_words_of_a_follow_up_overrule_a_misfiled_question_type(run_action, action, text, intent, answer):
    """'Mit welcher Gebühr … muss ich rechnen?' filed as a documents question still gets the fee."""
    tracker = make_tracker(text, intent, slots={"service_id": "reisepass", "place_ags": ULM})
    messages, slots = await run_action(action, tracker)
    assert responses(messages) == [answer]
    assert _names(messages) == {"Reisepass beantragen"}


async def test_a_first_message_with_a_hyphenated_name_gets_that_leistung(run_action):
    """Leichte Sprache writes compounds with a hyphen; the NLU's entity 'Reise-Pass' maps to no id."""
    text = "Ich brauche einen neuen Reise-Pass. Ich fliege in den Urlaub."
    start = text.index("Reise-Pass")
    entity = {"entity": "service", "value": "Reise-Pass", "start": start, "end": start + len("Reise-Pass")}
    tracker = make_tracker(text, "ask_processing_time", entities=[entity], slots={"place_ags": ULM})
    messages, slots = await run_action(ActionAnswerDocuments(), tracker)
    assert slots["service_id"] == "reisepass"
    assert "utter_service_summary" in responses(messages)


@pytest.mark.parametrize(("focus", "name", "text", "intent"), [
    # one word of another Leistung's description (sbw-838 0.77, sbw-1664 0.74) does not name it
    ("schwerbehindertenausweis", "Schwerbehindertenausweis beantragen", "Muss ich dafür vorher zum Arzt?", "ask_documents"),
    ("einbuergerung", "Einbürgerung beantragen", "Was kostet ein Dolmetscher dafür?", "ask_fees"),
    # a misspelt name does (0.90)
    ("reisepass", "Führungszeugnis beantragen", "und was kostet ein fürungszeugnis?", "ask_fees"),
])
async def test_a_follow_up_switches_only_for_a_named_leistung(run_action, focus, name, text, intent):
    action = ActionAnswerDocuments() if intent == "ask_documents" else ActionAnswerFees()
    messages, _ = await run_action(action, make_tracker(text, intent, slots={"service_id": focus, "place_ags": ULM}))
    assert _names(messages) == {name}, messages
