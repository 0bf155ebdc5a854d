"""Fee and processing-time answers for the Leistung in focus (tracker fixtures, real catalogue)."""

from __future__ import annotations

from actions.facts import ActionAnswerProcessingTime
from actions.services import ActionAnswerFees, ActionAnswerService
from tests.actions.conftest import custom, make_tracker, responses


async def test_processing_time_for_the_remembered_service(run_action):
    tracker = make_tracker("Und wie lange dauert das?", "ask_processing_time", slots={"service_id": "personalausweis"})
    messages, slots = await run_action(ActionAnswerProcessingTime(), tracker)
    assert responses(messages) == ["utter_processing_time"]
    assert messages[0]["name"] == "Personalausweis beantragen"
    assert "2 bis 3 Wochen" in messages[0]["time"] and "Quelle:" in messages[0]["time"]
    assert slots["service_id"] == "personalausweis"


async def test_processing_time_for_a_service_named_in_the_message(run_action):
    tracker = make_tracker("wie lange dauert ein neuer Reisepass?", "ask_processing_time",
                           [{"entity": "service", "value": "Reisepass"}], slots={"service_id": "hund_anmelden"})
    messages, slots = await run_action(ActionAnswerProcessingTime(), tracker)
    # A Leistung new in the conversation gets its whole answer first; the processing time follows.
    timing = [m for m in messages if m.get("response") == "utter_processing_time"]
    assert timing and timing[0]["name"] == "Reisepass beantragen" and "Expressverfahren" in timing[0]["time"]
    assert slots["service_id"] == "reisepass"


async def test_unknown_processing_time_is_said_honestly_with_a_service_bw_link(run_action):
    tracker = make_tracker("wie lange dauert das?", "ask_processing_time", slots={"service_id": "hund_anmelden"})
    messages, _ = await run_action(ActionAnswerProcessingTime(), tracker)
    assert responses(messages) == ["utter_processing_time_unknown"]
    assert messages[0]["link"] == "https://www.service-bw.de/zufi/leistungen/130"
    assert "time" not in messages[0]


async def test_processing_time_without_a_service_asks_which_one(run_action):
    messages, slots = await run_action(ActionAnswerProcessingTime(), make_tracker("wie lange dauert das", "ask_processing_time"))
    assert responses(messages) == ["utter_which_service"]
    assert slots["pending"] == "service"


async def test_fee_answers_follow_the_kind_of_fee(run_action):
    async def fee_text(service_id: str) -> str:
        tracker = make_tracker("was kostet das?", "ask_fees", slots={"service_id": service_id})
        messages, _ = await run_action(ActionAnswerFees(), tracker)
        assert responses(messages) == ["utter_service_fees"], service_id
        return messages[0]["fees"]

    fixed = await fee_text("personalausweis")
    assert "46,00 Euro (ab 24 Jahren)" in fixed and "Rechtsgrundlage: PAuswGebV" in fixed and "Stand 01.12.2026" in fixed
    assert (await fee_text("wohnsitz_anmelden")).startswith("Das ist gebührenfrei.")
    local = await fee_text("gewerbe_anmelden")
    assert local.startswith("Ob und welche Gebühr anfällt, legt Ihre Gemeinde in ihrer Satzung fest.") and "Euro" not in local
    assert "service-bw.de/zufi/leistungen/496" in local


async def test_every_curated_answer_offers_the_fee_button_and_sends_the_fee_data(run_action):
    tracker = make_tracker("Ich möchte meinen Hund anmelden", "search_service", slots={"place_ags": "08119020"})
    messages, _ = await run_action(ActionAnswerService(), tracker)
    source = next(m for m in messages if m.get("response") == "utter_source")
    assert "/ask_fees" in [b["payload"] for b in source["buttons"]]
    data = custom(messages)
    assert data["service"]["fee"]["kind"] == "local" and data["service"]["fee"]["source"]
    assert data["service"]["processing_time"] is None
