"""Leistungen whose office follows another place than the residence say so in the chat answer."""

from __future__ import annotations

from actions.services import ActionAnswerService
from tests.actions.conftest import make_tracker, rendered


async def _texts(run_action, text: str, service: str, place: str, language: str = "de") -> list[str]:
    tracker = make_tracker(text, "search_service", slots={"language": language},
                           entities=[{"entity": "service", "value": service}, {"entity": "place", "value": place}])
    messages, _ = await run_action(ActionAnswerService(), tracker)
    return await rendered(messages, language)


async def test_sterbefall_names_the_sterbeort_and_asks_for_it(run_action):
    texts = await _texts(run_action, "Sterbefall anzeigen in Maulburg", "sterbefall_anzeigen", "Maulburg")
    hint = next(t for t in texts if "Oben steht" in t)  # after the office, not the summary
    assert "nicht das des Wohnorts" in hint and "Maulburg" in hint and "nennen Sie mir bitte" in hint


async def test_eheschliessung_says_any_standesamt_for_the_ceremony(run_action):
    texts = await _texts(run_action, "heiraten in Fellbach", "eheschliessung_anmelden", "Fellbach")
    assert any("bei jedem Standesamt in Deutschland" in t for t in texts)


async def test_fundsache_follows_the_fundort(run_action):
    texts = await _texts(run_action, "Fundsache in Aidlingen", "fundsache", "Aidlingen")
    assert any("gefunden wurde oder verloren ging" in t for t in texts)


async def test_residence_services_get_no_place_hint(run_action):
    texts = await _texts(run_action, "Personalausweis in Fellbach", "personalausweis", "Fellbach")
    assert not any("nennen Sie mir bitte" in t for t in texts)


async def test_the_hint_is_in_the_conversations_language(run_action):
    texts = await _texts(run_action, "death of my father in Maulburg", "sterbefall_anzeigen", "Maulburg", "en")
    hint = next(t for t in texts if "Above is the registry office" in t)
    assert "where the person died" in hint and "Maulburg" in hint and "please tell me that place" in hint
