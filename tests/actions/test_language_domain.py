"""The slot ``language`` in Rasa itself: it survives a new session (action_session_start) and makes Rasa
pick the variant of a response in Leichter Sprache, English, Turkish or Ukrainian (``condition`` in
domain/*.yml); every response has one in each of en, tr, uk, filled from the variables the action passes."""

from __future__ import annotations

import re
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


# --- English, Turkish, Ukrainian (issue 13) -------------------------------------------------------
OTHER = ("en", "tr", "uk")
VARIABLE = re.compile(r"{([^\n{}]+?)}")
#: Letters outside the {variables}: a variant that has words (not only markup around variables).
WORDS = re.compile(r"[^\W\d_]{2,}")
CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")
#: Informal "you" in Ukrainian (ти …) and the polite pronoun written small (Ви, Вам, Ваш … are capitalised).
UK_INFORMAL = re.compile(r"\b(ти|тебе|тобі|твій|твоя|твоє|твої|ви|вам|вас|ваш\w*|вами)\b")
TR_INFORMAL = re.compile(r"\b(sen|seni|sana|senin|sende|senden)\b", re.IGNORECASE)


def condition(language: str) -> list:
    return [{"type": "slot", "name": "language", "value": language}]


def variables(text: str) -> set[str]:
    return set(VARIABLE.findall(text))


def has_words(text: str) -> bool:
    return bool(WORDS.search(VARIABLE.sub("", text)))


def allowed_variables(domain: Domain, response: str) -> list[set[str]]:
    """The variable sets a variant may use: the standard text's or the Leichte-Sprache variant's (the action
    fills both); a Leistung answer ({name}) also {meaning}, the Leistung's name in the conversation's language."""
    standard = variables(variant(domain, response, None)["text"])
    extra = {"meaning"} if "name" in standard else set()
    sets = [standard | extra]
    if any(v.get("condition") == LS_CONDITION for v in domain.responses[response]):
        sets.append(variables(variant(domain, response, LS_CONDITION)["text"]) | extra)
    return sets


@pytest.mark.parametrize("language", OTHER)
def test_every_response_has_exactly_one_variant_in_the_language(domain: Domain, language: str):
    assert len(domain.responses) >= 50
    for name, variants in domain.responses.items():
        matching = [v for v in variants if v.get("condition") == condition(language)]
        assert len(matching) == 1 and matching[0].get("text"), (name, language)


@pytest.mark.parametrize("language", OTHER)
def test_variants_use_the_variables_the_action_fills_and_name_the_leistung_in_german(domain: Domain, language: str):
    for name in domain.responses:
        standard = variant(domain, name, None)
        own = variant(domain, name, condition(language))
        assert variables(own["text"]) in allowed_variables(domain, name), (name, language)
        if "name" in variables(standard["text"]):  # an answer about a Leistung
            assert "**{name}**{meaning}" in own["text"], (name, language)
        assert own.get("buttons") == standard.get("buttons"), (name, language)


def test_the_three_languages_fill_the_same_variables(domain: Domain):
    for name in domain.responses:
        sets = {lang: variables(variant(domain, name, condition(lang))["text"]) for lang in OTHER}
        assert sets["en"] == sets["tr"] == sets["uk"], name


def test_the_variants_are_written_in_their_language(domain: Domain):
    for name in domain.responses:
        standard = variant(domain, name, None)["text"]
        en, tr, uk = (variant(domain, name, condition(lang))["text"] for lang in OTHER)
        if not has_words(en):  # only markup around variables ("**{name}**{meaning}\n{description}")
            assert en == tr == uk, name
            continue
        assert len({standard, en, tr, uk}) == 4, name
        assert CYRILLIC.search(uk) and not UK_INFORMAL.search(uk), name
        assert not CYRILLIC.search(en + tr) and not TR_INFORMAL.search(tr), name


@pytest.mark.parametrize("language", OTHER)
async def test_rasa_picks_the_variant_of_each_language_for_every_response(domain: Domain, language: str):
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    tracker = DialogueStateTracker.from_events("s", [SlotSet("language", language)], slots=domain.slots)
    for name in domain.responses:
        own = variant(domain, name, condition(language))
        values = {var: f"<{var}>" for var in variables(own["text"])}
        generated = await nlg.generate(name, tracker, "rest", **values)
        assert generated["text"] == own["text"].format(**values) and "{" not in generated["text"], (name, language)
