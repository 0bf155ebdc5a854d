"""Tax questions get the Finanzamt of the citizen's Gemeinde (or the honest pointer to the Zoll)."""

from __future__ import annotations

from actions.services import ActionAnswerOffice, ActionAnswerService
from tests.actions.conftest import make_tracker, responses


def _office(messages: list[dict]) -> dict:
    return next(m for m in messages if m.get("response") in ("utter_office", "utter_office_no_link"))


async def test_which_finanzamt_in_laichingen_names_bad_urach_with_address(run_action):
    tracker = make_tracker("Welches Finanzamt ist für Laichingen zuständig?", "ask_responsible_office",
                           entities=[{"entity": "service", "value": "finanzamt_finden"},
                                     {"entity": "place", "value": "Laichingen"}])
    messages, slots = await run_action(ActionAnswerOffice(), tracker)
    office = _office(messages)
    assert office["office"] == "Finanzamt Bad Urach"
    assert "Graf-Eberhard-Platz 7, 72574 Bad Urach" in office["note"]
    assert slots["service_id"] == "finanzamt_finden"


async def test_tax_return_without_place_asks_for_it(run_action):
    tracker = make_tracker("Wo reiche ich die Steuererklärung ein?", "search_service",
                           entities=[{"entity": "service", "value": "einkommensteuererklaerung"}])
    messages, slots = await run_action(ActionAnswerService(), tracker)
    assert "utter_ask_place" in responses(messages)
    assert slots["pending"] == "place"


async def test_split_city_names_every_finanzamt_and_says_the_address_decides(run_action):
    tracker = make_tracker("Steuererklärung Mannheim", "search_service",
                           entities=[{"entity": "service", "value": "einkommensteuererklaerung"},
                                     {"entity": "place", "value": "Mannheim"}])
    messages, _ = await run_action(ActionAnswerService(), tracker)
    office = _office(messages)
    assert office["office"] == "Finanzamt Mannheim-Neckarstadt oder Mannheim-Stadt"
    assert "Adresse" in office["note"]


async def test_kfz_steuer_points_to_the_zoll(run_action):
    tracker = make_tracker("Kfz-Steuer Fellbach", "search_service",
                           entities=[{"entity": "service", "value": "kfz_steuer"}, {"entity": "place", "value": "Fellbach"}])
    messages, _ = await run_action(ActionAnswerService(), tracker)
    assert _office(messages)["office"] == "Zoll (Hauptzollamt)"
