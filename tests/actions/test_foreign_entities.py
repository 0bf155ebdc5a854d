"""English, Turkish and Ukrainian messages: the NLU's ``service`` entity carries the catalogue id
(data/nlu_i18n annotations), and that id selects the Leistung — not the German search of the foreign
words around it. Foreign everyday words do not make the German search find a Leistung either."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa_sdk import Tracker

from actions.context import named_services, service_from_message
from actions.focus import resolve_focus
from actions.services import ActionAnswerDocuments, ActionAnswerService
from bot.core import get_core
from bot.relations import get_relations
from bot.scope import get_scope
from bot.search import GOOD_MATCH
from tests.actions.conftest import make_tracker

TRACKERS = Path(__file__).parent / "trackers"
CASES = [("en_lost_id_card", "personalausweis_verlust"), ("tr_perso_stolen", "personalausweis_verlust"),
         ("uk_temporary_id", "vorlaeufiger_personalausweis")]


def tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize(("name", "service_id"), CASES)
def test_the_entity_id_selects_the_leistung_the_search_would_miss(name: str, service_id: str) -> None:
    core, t = get_core(), tracker(name)
    searched = core.search(t.latest_message["text"], 1)
    assert searched and searched[0].service.id != service_id  # the German search alone gets it wrong
    assert service_from_message(core, t).service.id == service_id
    focus = resolve_focus(core, get_scope(), get_relations(), t, follow_up=False)
    assert (focus.service.id, focus.how) == (service_id, "entity")


@pytest.mark.parametrize(("name", "service_id"), CASES)
async def test_the_answer_is_about_that_leistung(run_action, name: str, service_id: str) -> None:
    messages, slots = await run_action(ActionAnswerService(), tracker(name))
    assert slots["service_id"] == service_id
    names = {m["name"] for m in messages if m.get("name")}
    assert get_core().catalogue.get(service_id).name in names  # the official German name is shown


async def test_a_foreign_follow_up_naming_another_leistung_by_id_switches(run_action) -> None:
    t = make_tracker("what documents do i need for the passport", "ask_documents",
                     [{"entity": "service", "value": "reisepass", "start": 35, "end": 43}],
                     slots={"service_id": "hund_anmelden", "language": "en"})
    _, slots = await run_action(ActionAnswerDocuments(), t)
    assert slots["service_id"] == "reisepass"


def test_only_exact_ids_count_and_each_once() -> None:
    entities = [{"entity": "service", "value": v} for v in ("kimlik kartı", "Personalausweis", "reisepass",
                                                            "reisepass", "personalausweis")]
    t = make_tracker("kimlik kartı ve pasaport", "search_service", entities)
    assert [s.id for s in named_services(get_core(), t)] == ["reisepass", "personalausweis"]


@pytest.mark.parametrize("text", ["good night", "i'm lost", "help, i'm lost"])
def test_foreign_everyday_words_find_no_leistung(text: str) -> None:
    core = get_core()
    assert [h for h in core.search(text, 3) if h.score >= GOOD_MATCH] == []
    assert service_from_message(core, make_tracker(text, "help")).service is None
    focus = resolve_focus(core, get_scope(), get_relations(),
                          make_tracker(text, "help", slots={"service_id": "hund_anmelden"}), follow_up=True)
    assert (focus.service.id, focus.how) == ("hund_anmelden", "focus")


def test_english_synonyms_of_the_catalogue_still_match() -> None:
    assert get_core().search("lost and found", 1)[0].service.id == "fundsache"
    assert get_core().search("certificate of good conduct", 1)[0].service.id == "fuehrungszeugnis"


async def test_foreign_words_of_the_entity_name_the_leistung_in_a_foreign_conversation(run_action) -> None:
    text = "Добрий день, мені потрібен новий закордонний паспорт"
    entity = [{"entity": "service", "value": "новий закордонний паспорт", "start": 27, "end": 52}]
    messages, slots = await run_action(ActionAnswerService(),
                                       make_tracker(text, "search_service", entity, slots={"language": "uk"}))
    assert slots["service_id"] == "reisepass"
    assert "Reisepass beantragen" in {m["name"] for m in messages if m.get("name")}
    # a German conversation does not read Ukrainian annotations
    german = make_tracker(text, "search_service", entity, slots={"language": "de"})
    assert named_services(get_core(), german) == []


@pytest.mark.parametrize(
    ("text", "entity_text", "lang", "expected"),
    [
        ("hi, my passport was stolen at the station in Heidelberg", "passport", "en", "reisepass_verlust"),
        ("я загубив закордонний паспорт, що робити?", "закордонний паспорт", "uk", "reisepass_verlust"),
        ("kızım için pasaport lazım", "pasaport", "tr", "reisepass_kind"),
    ],
)
async def test_a_first_message_with_leistung_and_variant_gets_the_variant(run_action, text, entity_text, lang,
                                                                          expected) -> None:
    start = text.index(entity_text)
    entity = [{"entity": "service", "value": "reisepass", "start": start, "end": start + len(entity_text)}]
    messages, slots = await run_action(ActionAnswerService(),
                                       make_tracker(text, "search_service", entity, slots={"language": lang}))
    assert slots["service_id"] == expected
    assert get_core().catalogue.get(expected).name in {m["name"] for m in messages if m.get("name")}


async def test_a_foreign_follow_up_moves_to_the_variant(run_action) -> None:
    t = make_tracker("and what if it gets stolen on holiday?", "ask_documents",
                     slots={"service_id": "reisepass", "language": "en"})
    _, slots = await run_action(ActionAnswerDocuments(), t)
    assert slots["service_id"] == "reisepass_verlust"


def test_several_foreign_spans_name_the_leistung_together() -> None:
    """Alone "записати" (register) is also the Kita's word and "собаку" (dog) fits several dog
    Leistungen; together with "податок" (tax) they are the dog tax registration."""
    text = "за собаку платять податок, куди її записати?"
    entities = [{"entity": "service", "start": text.index(w), "end": text.index(w) + len(w), "value": w}
                for w in ("за собаку", "податок", "записати")]
    t = make_tracker(text, "search_service", entities=entities, slots={"language": "uk"})
    focus = resolve_focus(get_core(), get_scope(), get_relations(), t, follow_up=False)
    assert focus.service is not None and focus.service.id == "hund_anmelden"
