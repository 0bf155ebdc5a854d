"""The slot ``language`` in Rasa itself: it survives a new session (action_session_start) and makes Rasa
pick the Leichte-Sprache variant of a response (``condition`` in domain/*.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.actions.action import ActionSessionStart
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
LS_CONDITION = [{"type": "slot", "name": "language", "value": "de-LS"}]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


def variant(domain: Domain, response: str, condition: list | None) -> dict:
    return next(v for v in domain.responses[response] if v.get("condition") == condition)


def test_the_slot_takes_exactly_the_languages_the_gateway_accepts(domain: Domain):
    slot = next(s for s in domain.slots if s.name == "language")
    assert [v.lower() for v in LANGUAGES] == [v for v in slot.values if v != "__other__"]
    assert not slot.influence_conversation and slot.initial_value == "de"


async def test_language_survives_a_new_session(domain: Domain):
    assert domain.session_config.carry_over_slots
    old = DialogueStateTracker.from_events("s", [
        ActionExecuted("action_listen"), SlotSet("language", "de-LS"), SlotSet("service_id", "personalausweis"),
        UserUttered("Hallo"),
    ], slots=domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    events = await ActionSessionStart().run(CollectingOutputChannel(), nlg, old, domain)
    new = DialogueStateTracker.from_events("s", events, slots=domain.slots)
    assert new.get_slot("language") == "de-LS" and new.get_slot("service_id") == "personalausweis"


@pytest.mark.parametrize("response", ["utter_greet", "utter_ask_place", "utter_rephrase", "utter_out_of_scope",
                                      "utter_handoff", "utter_service_summary", "utter_office", "utter_service_fees"])
async def test_rasa_picks_the_variant_of_the_conversations_language(domain: Domain, response: str):
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    values = {"name": "Personalausweis beantragen", "title": "Einen neuen Personal-Ausweis bekommen",
              "description": "…", "online": "…", "office": "Stadt Fellbach – Bürgerbüro", "place": "Fellbach",
              "note": "", "url": "https://www.service-bw.de", "fees": "…", "contact": "…",
              "contact_name": "Stadt Fellbach", "contact_url": "https://www.service-bw.de"}
    for language, condition in (("de-LS", LS_CONDITION), ("de", None)):
        tracker = DialogueStateTracker.from_events("s", [SlotSet("language", language)], slots=domain.slots)
        generated = await nlg.generate(response, tracker, "rest", **values)
        expected = variant(domain, response, condition)["text"]
        assert generated["text"] == expected.format(**values), language
    # a conversation whose slot was never set is in standard German
    unset = DialogueStateTracker.from_events("s", [], slots=domain.slots)
    generated = await nlg.generate(response, unset, "rest", **values)
    assert generated["text"] == variant(domain, response, None)["text"].format(**values)


def test_every_leichte_sprache_variant_has_a_standard_variant(domain: Domain):
    with_ls = [name for name, variants in domain.responses.items()
               if any(v.get("condition") == LS_CONDITION for v in variants)]
    assert len(with_ls) >= 40
    for name in with_ls:
        assert any(not v.get("condition") for v in domain.responses[name]), name
