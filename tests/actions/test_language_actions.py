"""Answers in Leichter Sprache, English, Turkish and Ukrainian: the actions fill the response variables from the
catalogue's language texts for the slot ``language`` (tracker fixtures as JSON, like Rasa's tracker state); a
Leistung without a text in the language says so in the language and gives the German text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rasa_sdk import Tracker

import actions.base
from actions.facts import ActionAnswerProcessingTime
from actions.facts_text import fees_sentence
from actions.services import ActionAnswerDocuments, ActionAnswerFees, ActionAnswerOnline, ActionAnswerService
from actions.support import ActionHandoff
from bot.core import get_core
from bot.languages import LANGUAGES, Languages
from tests.actions.conftest import custom, rendered, responses

TRACKERS = Path(__file__).parent / "trackers"
ACTIONS = Path(__file__).resolve().parents[2] / "actions"


def tracker(name: str, language: str | None = None) -> Tracker:
    """A tracker fixture; ``language``: the same conversation in another answer language."""
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    if language is not None:
        state["slots"]["language"] = language
    return Tracker.from_dict(state)


def message(messages: list[dict], response: str) -> dict:
    return next(m for m in messages if m.get("response") == response)


def ls(service_id: str):
    core = get_core()
    return core.texts(core.catalogue.get(service_id), "de-LS")


async def test_first_answer_in_leichter_sprache_keeps_the_official_names(run_action):
    messages, slots = await run_action(ActionAnswerService(), tracker("ls_first_question"))
    texts = ls("personalausweis")
    summary = message(messages, "utter_service_summary")
    assert summary["title"] == texts.name != summary["name"] == "Personalausweis beantragen"
    assert summary["description"].splitlines() == list(texts.summary)
    assert summary["online"].splitlines() == list(texts.online)
    documents = message(messages, "utter_service_documents")["document_list"].splitlines()
    assert documents == [f"• {d}" for d in texts.documents]
    office = message(messages, "utter_office")
    assert office["office"].startswith("Stadt Fellbach – ")  # the official office name, always in German
    assert "utter_no_translation" not in responses(messages)
    assert custom(messages)["service"]["texts"]["language"] == "de-LS"
    assert slots["service_id"] == "personalausweis"


async def test_the_same_question_in_standard_german_gets_the_catalogue_text(run_action):
    messages, _ = await run_action(ActionAnswerService(), tracker("de_first_question"))
    service = get_core().catalogue.get("personalausweis")
    summary = message(messages, "utter_service_summary")
    assert summary["description"] == service.description and summary["title"] == service.name
    assert "texts" not in custom(messages)["service"]
    assert message(messages, "utter_service_documents")["documents"] == "; ".join(service.documents)


async def test_fees_in_leichter_sprache_name_the_amounts_without_legal_citations(run_action):
    messages, _ = await run_action(ActionAnswerFees(), tracker("ls_fees_follow_up"))
    fees = message(messages, "utter_service_fees")
    assert fees["fees"].splitlines() == list(ls("reisepass").fee)
    assert "70 Euro" in fees["fees"] and "§" not in fees["fees"] and "PassV" not in fees["fees"]
    assert fees["name"] == "Reisepass beantragen"


async def test_documents_processing_time_and_online_follow_ups(run_action):
    messages, _ = await run_action(ActionAnswerDocuments(), tracker("ls_documents_follow_up"))
    listed = message(messages, "utter_service_documents_for")["document_list"].splitlines()
    assert listed == [f"• {d}" for d in ls("reisepass_kind").documents]
    messages, _ = await run_action(ActionAnswerProcessingTime(), tracker("ls_processing_time_follow_up"))
    assert message(messages, "utter_processing_time")["time"].splitlines() == list(ls("personalausweis").processing_time)
    messages, _ = await run_action(ActionAnswerOnline(), tracker("ls_online_follow_up"))
    online = message(messages, "utter_service_online")
    assert online["online"].splitlines() == list(ls("online_ausweis_pin").online)
    assert online["url"].startswith("https://www.service-bw.de")


async def test_handoff_gives_the_office_name_for_the_plain_wording(run_action):
    messages, _ = await run_action(ActionHandoff(), tracker("ls_handoff"))
    handoff = message(messages, "utter_handoff")
    assert handoff["contact_name"].startswith("Stadt Fellbach") and "115" in handoff["contact"]
    assert handoff["contact_url"].startswith("https://")


async def test_a_leistung_without_text_in_the_language_says_so(run_action, monkeypatch):
    core = await actions.base.core()
    monkeypatch.setattr(core, "languages", Languages())  # no language texts at all
    messages, _ = await run_action(ActionAnswerService(), tracker("ls_first_question"))
    assert responses(messages)[0] == "utter_no_translation"
    summary = message(messages, "utter_service_summary")
    assert summary["description"] == core.catalogue.get("personalausweis").description  # the standard text


def in_language(service_id: str, language: str):
    core = get_core()
    return core.texts(core.catalogue.get(service_id), language)


ONLY_GERMAN = "This information is only available in German so far. Here it is in German:"


async def test_a_leistung_with_an_english_text_is_answered_in_english_with_its_german_name(run_action):
    messages, slots = await run_action(ActionAnswerService(), tracker("en_first_question"))
    texts = in_language("personalausweis", "en")
    assert texts.translated and "utter_no_translation" not in responses(messages)
    summary = message(messages, "utter_service_summary")
    assert summary["name"] == "Personalausweis beantragen" and summary["meaning"] == " — Apply for an identity card"
    shown = await rendered(messages, "en")
    assert shown[0] == "\n".join(["**Personalausweis beantragen** — Apply for an identity card", *texts.summary,
                                  *texts.online])
    assert shown[1] == "\n".join(["Please bring:", *(f"• {d}" for d in texts.documents)])
    assert shown[2] == "I assume that you live in Fellbach. If not, just tell me where you live."
    assert shown[3].startswith("Responsible in Fellbach: **Stadt Fellbach – ")  # the office's official name
    assert not any("{" in t for t in shown)
    source = message(messages, "utter_source")
    assert [(b["title"], b["payload"]) for b in source["buttons"]] == [
        ("Which documents?", "/ask_documents"), ("Can I do this online?", "/ask_online"), ("What does it cost?", "/ask_fees")]
    assert custom(messages)["service"]["texts"]["language"] == "en" and slots["service_id"] == "personalausweis"


@pytest.mark.parametrize(("language", "greeting_word"), [("tr", "Yanınızda"), ("uk", "візьміть")])
async def test_turkish_and_ukrainian_answers_come_from_their_texts(run_action, language: str, greeting_word: str):
    messages, _ = await run_action(ActionAnswerService(), tracker("en_first_question", language))
    texts = in_language("personalausweis", language)
    assert texts.translated and "utter_no_translation" not in responses(messages)
    shown = await rendered(messages, language)
    assert shown[0].startswith(f"**Personalausweis beantragen** — {texts.name}\n{texts.summary[0]}")
    assert greeting_word in shown[1] and texts.documents[0] in shown[1]
    assert not any("{" in t for t in shown)


async def test_a_leistung_without_an_english_text_says_so_in_english_then_gives_the_german_answer(run_action):
    messages, _ = await run_action(ActionAnswerService(), tracker("en_untranslated_question"))
    service = get_core().catalogue.get("baugenehmigung")
    assert in_language("baugenehmigung", "en").missing
    assert responses(messages)[:3] == ["utter_no_translation", "utter_service_summary", "utter_service_documents"]
    shown = await rendered(messages, "en")
    assert shown[0] == ONLY_GERMAN
    assert shown[1].startswith(f"**{service.name}**\n{service.description}\n")  # no English title to add
    assert shown[2] == "\n".join(["Please bring:", *(f"• {d}" for d in service.documents)])
    assert not any("{" in t for t in shown)


async def test_fees_in_english_from_the_english_text_or_honestly_in_german(run_action):
    messages, _ = await run_action(ActionAnswerFees(), tracker("en_fees_follow_up"))
    assert responses(messages) == ["utter_service_fees"]
    assert await rendered(messages, "en") == ["\n".join(["**Personalausweis beantragen** — Apply for an identity card",
                                                         "What does it cost?", *in_language("personalausweis", "en").fee])]
    messages, _ = await run_action(ActionAnswerFees(), tracker("en_fees_follow_up_untranslated"))
    assert responses(messages) == ["utter_no_translation", "utter_service_fees"]
    service = get_core().catalogue.get("baugenehmigung")
    assert await rendered(messages, "en") == [ONLY_GERMAN,
                                              f"**Baugenehmigung beantragen**\nWhat does it cost?\n{fees_sentence(service)}"]


async def test_an_answer_without_german_catalogue_content_needs_no_note(run_action):
    """A Leistung from the service-bw directory: no documents known, so the answer is wholly in English."""
    service = next(s for s in get_core().catalogue.services if not s.curated)
    state = tracker("en_fees_follow_up_untranslated")
    state.slots["service_id"] = service.id
    state.latest_message.update({"text": "/ask_documents", "intent": {"name": "ask_documents", "confidence": 1.0}})
    messages, _ = await run_action(ActionAnswerDocuments(), state)
    assert responses(messages) == ["utter_service_no_documents"]
    assert await rendered(messages, "en") == [f"**{service.name}**\nI have no information about the documents you "
                                              "need. Please ask the responsible office."]


@pytest.mark.parametrize("path", sorted(ACTIONS.glob("*.py")), ids=lambda p: p.name)
def test_action_code_has_no_language_branches(path: Path):
    """Which wording a citizen reads is data (response variants, catalogue texts), never `if lang == …`."""
    code = path.read_text(encoding="utf-8")
    assert not re.search(r"de-LS|language\s*[!=]=|lang\s*[!=]=", code), path.name


def test_every_language_has_its_own_follow_up_button_titles():
    from actions.buttons import FOLLOW_UP_PAYLOADS, follow_up

    for key, payload in FOLLOW_UP_PAYLOADS.items():
        titles = {lang: follow_up(key, lang) for lang in LANGUAGES}
        assert {b["payload"] for b in titles.values()} == {payload}
        assert len({titles[lang]["title"] for lang in ("de", "en", "tr", "uk")}) == 4, key
