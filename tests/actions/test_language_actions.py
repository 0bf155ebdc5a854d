"""Answers in Leichter Sprache: the actions fill the response variables from the catalogue's language texts
when the slot ``language`` is "de-LS" (tracker fixtures as JSON, like Rasa's tracker state)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rasa_sdk import Tracker

import actions.base
from actions.facts import ActionAnswerProcessingTime
from actions.services import ActionAnswerDocuments, ActionAnswerFees, ActionAnswerOnline, ActionAnswerService
from actions.support import ActionHandoff
from bot.core import get_core
from bot.languages import Languages
from tests.actions.conftest import custom, responses

TRACKERS = Path(__file__).parent / "trackers"
ACTIONS = Path(__file__).resolve().parents[2] / "actions"


def tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8")))


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


@pytest.mark.parametrize("path", sorted(ACTIONS.glob("*.py")), ids=lambda p: p.name)
def test_action_code_has_no_language_branches(path: Path):
    """Which wording a citizen reads is data (response variants, catalogue texts), never `if lang == …`."""
    code = path.read_text(encoding="utf-8")
    assert not re.search(r"de-LS|language\s*[!=]=|lang\s*[!=]=", code), path.name
