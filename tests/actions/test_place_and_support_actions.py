"""Place handling, fallback and handoff, feedback, and the never-silent guarantee."""

from __future__ import annotations

import actions.base
from actions.places import ActionSetPlace
from actions.support import ActionDeny, ActionFallback, ActionFeedback, ActionHandoff, ActionOutOfScope
from tests.actions.conftest import make_tracker, responses


async def test_place_without_a_service_is_remembered(run_action):
    messages, slots = await run_action(ActionSetPlace(), make_tracker("ich wohne in 70734", "inform_place"))
    assert responses(messages) == ["utter_place_set"]
    assert messages[0]["place"] == "Fellbach" and messages[0]["kreis"] == "Rems-Murr-Kreis"
    assert slots["place_ags"] == "08119020"


async def test_place_change_answers_the_pending_service_for_the_new_place(run_action):
    tracker = make_tracker("ich ziehe nach Ulm", "inform_place",
                           slots={"service_id": "wohnsitz_anmelden", "place_ags": "08119020"})
    messages, slots = await run_action(ActionSetPlace(), tracker)
    office = next(m for m in messages if m.get("response") in ("utter_office", "utter_office_no_link"))
    assert office["place"] == "Ulm"
    assert slots["place_ags"] == "08421000"


async def test_shared_place_name_asks_back_with_the_kreis_on_each_button(run_action):
    messages, slots = await run_action(ActionSetPlace(), make_tracker("Ich möchte in Altdorf bauen", "inform_place"))
    assert responses(messages) == ["utter_place_ambiguous"]
    assert messages[0]["query"] == "Altdorf"
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["Altdorf (Landkreis Böblingen)", "Altdorf (Landkreis Esslingen)"]
    assert "place_ags" not in slots


async def test_place_outside_bw_points_to_the_federal_portal(run_action):
    messages, slots = await run_action(ActionSetPlace(), make_tracker("Ich wohne in München", "inform_place"))
    assert responses(messages) == ["utter_place_outside_bw"]
    assert messages[0]["place"] == "München" and messages[0]["land"] == " (Bayern)"
    assert "place_ags" not in slots


async def test_unknown_place_asks_for_a_bw_place(run_action):
    messages, _ = await run_action(ActionSetPlace(), make_tracker("in Atlantis", "inform_place"))
    assert responses(messages) == ["utter_place_unknown"]


async def test_second_misunderstanding_in_a_row_hands_off(run_action):
    messages, slots = await run_action(ActionFallback(), make_tracker("asdf jklö", "nlu_fallback"))
    assert responses(messages) == ["utter_rephrase"] and slots["failures"] == 1.0
    tracker = make_tracker("qwertz uiop", "nlu_fallback", slots={"failures": 1.0, "place_ags": "08119020"})
    messages, slots = await run_action(ActionFallback(), tracker)
    assert responses(messages) == ["utter_handoff_after_failures"]
    assert "Stadt Fellbach" in messages[0]["contact"] and "115" in messages[0]["contact"]
    assert slots["failures"] == 0.0


async def test_fallback_still_answers_when_the_search_recognises_the_service(run_action):
    messages, _ = await run_action(ActionFallback(), make_tracker("Fischereischein", "nlu_fallback", confidence=0.3))
    assert responses(messages)[0] == "utter_service_summary"


async def test_off_topic_twice_hands_off(run_action):
    messages, _ = await run_action(ActionOutOfScope(), make_tracker("Wetter?", "out_of_scope"))
    assert responses(messages) == ["utter_out_of_scope"]
    messages, _ = await run_action(ActionOutOfScope(), make_tracker("Fußball?", "out_of_scope", slots={"failures": 1.0}))
    # no place known (no tenant, none named): the general route (115, service-bw), no office name
    assert responses(messages) == ["utter_handoff_after_failures_generic"]
    assert "115" in messages[0]["contact"] and messages[0]["contact_name"] == ""


async def test_handoff_names_the_office_for_the_current_service(run_action):
    tracker = make_tracker("Mitarbeiter bitte", "human_handoff",
                           slots={"service_id": "kfz_zulassung", "place_ags": "08115001"})
    messages, _ = await run_action(ActionHandoff(), tracker)
    assert "Landratsamt Böblingen" in messages[0]["contact"]


async def test_feedback_is_acknowledged(run_action):
    messages, _ = await run_action(ActionFeedback(), make_tracker("/feedback_negative", "feedback_negative"))
    assert responses(messages) == ["utter_feedback_negative"]


async def test_internal_failure_becomes_a_polite_message(run_action, monkeypatch):
    async def broken():
        raise RuntimeError("data directory vanished")

    monkeypatch.setattr(actions.base, "core", broken)
    monkeypatch.setattr("actions.places.core", broken)
    messages, slots = await run_action(ActionSetPlace(), make_tracker("Ulm", "inform_place"))
    assert responses(messages) == ["utter_internal_error"]
    assert slots == {}


async def test_place_message_that_also_names_a_service_answers_the_service(run_action):
    """The NLU may call "…neuen Perso, ich wohne in Fellbach" inform_place: the Perso must not get lost."""
    tracker = make_tracker("Ich brauche einen neuen Perso, ich wohne in Fellbach", "inform_place",
                           [{"entity": "service", "value": "personalausweis"}, {"entity": "place", "value": "Fellbach"}])
    messages, slots = await run_action(ActionSetPlace(), tracker)
    assert responses(messages)[0] == "utter_service_summary"
    office = next(m for m in messages if m.get("response") == "utter_office")
    assert office["office"].startswith("Stadt Fellbach")
    assert slots["service_id"] == "personalausweis"


async def test_plain_place_message_is_not_searched_as_a_service(run_action):
    messages, slots = await run_action(ActionSetPlace(), make_tracker("ich wohne in Fellbach", "inform_place"))
    assert responses(messages) == ["utter_place_set"]
    assert "service_id" not in slots


async def test_shared_plz_asks_which_gemeinde(run_action):
    messages, _ = await run_action(ActionSetPlace(), make_tracker("71111", "inform_place"))
    assert responses(messages) == ["utter_place_ambiguous_plz"]
    assert messages[0]["query"] == "71111"
    assert {b["title"] for b in messages[0]["buttons"]} == {"Waldenbuch (Landkreis Böblingen)", "Filderstadt (Landkreis Esslingen)"}


async def _office_place(run_action, action, text: str, intent: str, service: str = "kfz_zulassung"):
    tracker = make_tracker(text, intent, slots={"service_id": service, "place_ags": "08119020"})
    messages, slots = await run_action(action, tracker)
    office = next((m for m in messages if m.get("response") in ("utter_office", "utter_office_no_link")), None)
    return (office or {}).get("place"), slots.get("place_ags"), responses(messages)


async def test_a_place_the_nlu_did_not_understand_still_moves_the_leistung_in_focus(run_action):
    place, ags, _ = await _office_place(run_action, ActionFallback(), "Wir sind inzwischen nach Heilbronn gezogen, also dort",
                                        "nlu_fallback")
    assert (place, ags) == ("Heilbronn", "08121000")


async def test_no_with_a_place_gives_the_office_there_and_a_plain_no_is_acknowledged(run_action):
    place, ags, _ = await _office_place(run_action, ActionDeny(), "nein, Wohnort ist Ulm", "deny", "wohnsitz_anmelden")
    assert (place, ags) == ("Ulm", "08421000")
    _, ags, said = await _office_place(run_action, ActionDeny(), "nein danke", "deny")
    assert said == ["utter_deny_ack"] and ags is None
    messages, slots = await run_action(ActionDeny(), make_tracker("nein, ich wohne in Ulm", "deny"))  # nothing in focus
    assert responses(messages) == ["utter_deny_ack"] and slots == {}


async def test_a_complaint_naming_a_place_or_asking_for_a_person_is_answered(run_action):
    place, ags, _ = await _office_place(run_action, ActionFeedback(), "Stimmt nicht, ich bin in Freiburg gemeldet",
                                        "feedback_negative", "personalausweis")
    assert (place, ags) == ("Freiburg im Breisgau", "08311000")
    _, _, said = await _office_place(run_action, ActionFeedback(), "Das bringt nichts, ich will einen Menschen sprechen",
                                     "feedback_negative")
    assert said[0].startswith("utter_handoff")
    _, ags, said = await _office_place(run_action, ActionFeedback(), "Das war leider falsch", "feedback_negative")
    assert said == ["utter_feedback_negative"] and ags is None
