"""Service answers: what the Leistung is, asking once for the place, the office, follow-up questions."""

from __future__ import annotations

from actions.services import (
    ActionAnswerDocuments,
    ActionAnswerFees,
    ActionAnswerOffice,
    ActionAnswerOnline,
    ActionAnswerService,
)
from tests.actions.conftest import custom, make_tracker, responses


async def test_service_without_place_describes_it_and_asks_for_the_place(run_action):
    tracker = make_tracker("Ich brauche einen neuen Perso", "search_service", [{"entity": "service", "value": "Perso"}])
    messages, slots = await run_action(ActionAnswerService(), tracker)
    assert responses(messages) == ["utter_service_summary", "utter_service_documents", "utter_ask_place"]
    assert messages[0]["name"] == "Personalausweis beantragen"
    assert slots["service_id"] == "personalausweis"
    assert slots["pending"] == "place"


async def test_service_and_place_in_one_message_name_the_office_with_localised_link(run_action):
    tracker = make_tracker("Ich brauche einen neuen Personalausweis, ich wohne in Fellbach", "search_service")
    messages, slots = await run_action(ActionAnswerService(), tracker)
    office = next(m for m in messages if m.get("response") == "utter_office")
    assert office["office"].startswith("Stadt Fellbach – ")
    assert office["url"] == "https://www.service-bw.de/zufi/leistungen/2020?plz=70734&ags=08119020"
    assert "utter_source" in responses(messages)
    assert slots["place_ags"] == "08119020"
    data = custom(messages)
    assert data["service"]["servicebw_id"] == "2020" and data["office"]["kind"] == "Gemeinde"


async def test_remembered_place_is_used_for_the_next_service(run_action):
    tracker = make_tracker("und wo melde ich meinen Hund an?", "search_service", slots={"place_ags": "08119020"})
    messages, _ = await run_action(ActionAnswerService(), tracker)
    office = next(m for m in messages if m.get("response") == "utter_office")
    assert office["office"].startswith("Stadt Fellbach")
    assert "utter_ask_place" not in responses(messages)


async def test_tenant_gemeinde_is_the_default_place_and_the_bot_says_so(run_action):
    tracker = make_tracker("Ich möchte meinen Hund anmelden", "search_service", metadata={"tenant_ags": "08421000"})
    messages, slots = await run_action(ActionAnswerService(), tracker)
    tenant = next(m for m in messages if m.get("response") == "utter_place_tenant")
    assert tenant["place"] == "Ulm"
    assert next(m for m in messages if m.get("response") == "utter_office")["office"].startswith("Universitätsstadt Ulm")
    assert slots["place_source"] == "tenant"


async def test_kfz_in_a_grosse_kreisstadt_goes_to_the_landratsamt(run_action):
    tracker = make_tracker("Auto zulassen", "search_service", slots={"place_ags": "08119020"})
    messages, _ = await run_action(ActionAnswerService(), tracker)
    office = next(m for m in messages if m.get("response") in ("utter_office", "utter_office_no_link"))
    assert office["office"] == "Landratsamt Rems-Murr-Kreis – Zulassungsstelle"


async def test_ambiguous_service_offers_up_to_three_buttons(run_action):
    messages, slots = await run_action(ActionAnswerService(), make_tracker("Hund", "search_service"))
    assert responses(messages) == ["utter_did_you_mean"]
    buttons = messages[0]["buttons"]
    assert 2 <= len(buttons) <= 3
    assert buttons[0]["payload"].startswith('/search_service{"service": ')
    assert slots["pending"] == "service"


async def test_button_payload_selects_the_service_directly(run_action):
    tracker = make_tracker('/search_service{"service": "kampfhund"}', "search_service",
                           [{"entity": "service", "value": "kampfhund"}])
    messages, slots = await run_action(ActionAnswerService(), tracker)
    assert slots["service_id"] == "kampfhund"


async def test_unknown_service_gets_a_rephrase_hint_with_suggestions(run_action):
    messages, slots = await run_action(ActionAnswerService(), make_tracker("Wie wird das Wetter?", "search_service"))
    assert responses(messages) == ["utter_rephrase"]
    assert messages[0]["buttons"]
    assert slots["failures"] == 1.0


async def test_office_question_uses_the_service_under_discussion(run_action):
    tracker = make_tracker("Wer ist in Stuttgart dafür zuständig?", "ask_responsible_office",
                           slots={"service_id": "kfz_zulassung"})
    messages, _ = await run_action(ActionAnswerOffice(), tracker)
    office = next(m for m in messages if m.get("response") in ("utter_office", "utter_office_no_link"))
    assert office["office"].startswith("Landeshauptstadt Stuttgart")
    assert "utter_service_summary" not in responses(messages)


async def test_follow_up_questions_answer_for_the_remembered_service(run_action):
    slots = {"service_id": "personalausweis"}
    messages, _ = await run_action(ActionAnswerOnline(), make_tracker("geht das online?", "ask_online", slots=slots))
    assert messages[0]["response"] == "utter_service_online" and messages[0]["online"]
    messages, _ = await run_action(ActionAnswerDocuments(), make_tracker("was brauche ich?", "ask_documents", slots=slots))
    assert messages[0]["response"] == "utter_service_documents_for" and "Passfoto" in messages[0]["documents"]
    messages, _ = await run_action(ActionAnswerFees(), make_tracker("was kostet das?", "ask_fees", slots=slots))
    assert messages[0]["response"] == "utter_service_fees" and "Euro" in messages[0]["fees"]


async def test_follow_up_without_any_service_asks_which_one(run_action):
    messages, slots = await run_action(ActionAnswerFees(), make_tracker("was kostet das?", "ask_fees"))
    assert responses(messages) == ["utter_which_service"]
    assert slots["pending"] == "service"


async def test_quick_reply_payload_is_not_searched_as_text(run_action):
    tracker = make_tracker("/ask_documents", "ask_documents", slots={"service_id": "hund_anmelden"})
    messages, _ = await run_action(ActionAnswerDocuments(), tracker)
    assert messages[0]["name"] == "Hund anmelden (Hundesteuer)"


async def test_answer_offers_follow_up_quick_replies(run_action):
    tracker = make_tracker("Personalausweis", "search_service", slots={"place_ags": "08119020"})
    messages, _ = await run_action(ActionAnswerService(), tracker)
    source = next(m for m in messages if m.get("response") == "utter_source")
    assert [b["payload"] for b in source["buttons"]] == ["/ask_documents", "/ask_online", "/ask_fees"]
