"""Scope data: adjacent topics, question-type words, the wish for a person; keyword matching rules."""

from __future__ import annotations

import pytest

from bot.keywords import word_matches
from bot.scope import ScopeError, get_scope, parse_scope


@pytest.mark.parametrize(("word", "keyword", "expected"), [
    ("vorlaeufiges", "vorlaeufig", True),
    ("jagdwaffen", "waffe", True),
    ("kinder", "kind", True),
    ("kindergeld", "kind", False),
    ("hundesteuer", "hund", False),
    ("wegen", "weg", True),
])
def test_keyword_matches_inflections_and_compound_tails_only(word, keyword, expected):
    assert word_matches(word, keyword) is expected


@pytest.mark.parametrize(("text", "topic"), [
    ("Wie lange kann ich in Elternzeit gehen?", "elternzeit"),
    ("Hundehaftpflicht Pflicht in BW?", "hundehaftpflicht"),
    ("Wer ist der Bürgermeister?", "buergermeister"),
    ("Was kostet ein Flug nach Mallorca?", "reisen"),
    ("Mein Vertrag läuft aus, muss ich mich jetzt schon arbeitssuchend melden?", "arbeitslosigkeit"),
])
def test_adjacent_topics_are_recognised(text, topic):
    found = get_scope().adjacent(text)
    assert found is not None and found.topic == topic


@pytest.mark.parametrize("text", [
    "Elterngeld beantragen", "Kündigung in der Elternzeit", "Reisepass für den Flug nach New York",
    "Briefwahl beantragen", "wie kann ich den Bürgermeister erreichen", "mein Perso-Chip ist kaputt",
    "Das Arbeitslosengeld reicht nicht zum Leben, kann ich mit Bürgergeld aufstocken?",
])
def test_leistungen_next_to_adjacent_words_are_no_adjacent_topic(text):
    assert get_scope().adjacent(text) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("Welche Unterlagen brauche ich?", "documents"), ("Was kostet das?", "fees"), ("Geht das online?", "online"),
    ("wer ist zuständig?", "office"), ("Und wie lange dauert das?", "processing_time"), ("und in Ulm?", None),
])
def test_question_type_from_the_words(text, kind):
    assert get_scope().question_type(text) == kind


def test_question_words_leave_nothing_to_search():
    scope = get_scope()
    assert scope.residual("Welche Unterlagen brauche ich dafür? Kann ich den Antrag online stellen?") == ""
    assert scope.residual("Wo stellt er den BAföG Antrag?") == "bafoeg"


def test_the_land_names_no_leistung():
    """A Leistung whose text says "in Baden-Württemberg" (the Fischereischein) must not be a second need of
    every question that names the Land."""
    scope = get_scope()
    assert scope.need_words("Gilt in Baden-Württemberg eine Leinenpflicht?") == "gilt leinenpflicht"
    assert scope.need_words("gilt das in baden württemberg auch") == "gilt"
    assert scope.need_words("Ich wohne in Baden-Baden") == "baden-baden"  # a Gemeinde, not the Land


def test_malformed_scope_data_is_a_german_error():
    with pytest.raises(ScopeError, match="Pflicht"):
        parse_scope({"topics": [{"topic": "x"}]}, {})
    with pytest.raises(ScopeError, match="unbekannte Gruppen"):
        parse_scope({}, {}, {"question_words": {"wetter": ["regen"]}})
    with pytest.raises(ScopeError, match="in 'fees' und in 'documents'"):
        parse_scope({}, {}, {"question_words": {"fees": ["kosten"], "documents": ["Kosten"]}})
    topic = {"topic": "kasse", "keywords": ["kasse"], "answer": "Die Kasse hilft."}
    with pytest.raises(ScopeError, match="braucht ein 'angebot'"):
        parse_scope({"topics": [{**topic, "folgefragen_zum_angebot": True}]}, {})
    with pytest.raises(ScopeError, match="true oder false"):
        parse_scope({"topics": [{**topic, "angebot": "kindergeld", "folgefragen_zum_angebot": "ja"}]}, {})
    with pytest.raises(ScopeError, match="question_words.yml"):  # one owner: not again in the dialogue file
        parse_scope({}, {"questions": {"fees": ["kosten"]}}, {"question_words": {"fees": ["kosten"]}})


def test_dialogue_and_search_read_the_question_words_from_one_file(tmp_path):
    """A word staff add to data/search/question_words.yml is a follow-up question for the dialogue and
    no service word for the search, with no second list to keep in step."""
    import shutil

    from bot.catalogue import Catalogue, Service
    from bot.config import PROJECT_ROOT
    from bot.scope import load_scope
    from bot.search import ServiceSearch
    from bot.search_words import load_search_words

    for name in ("scope", "search"):
        shutil.copytree(PROJECT_ROOT / "data" / name, tmp_path / name)
    path = tmp_path / "search" / "question_words.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  fees: [", "  fees: [obolus, "), encoding="utf-8")
    assert load_scope(tmp_path / "scope").question_type("Wie hoch ist der Obolus?") == "fees"
    catalogue = Catalogue([Service(id="obolus", name="Obolus entrichten", topic="test", curated=True)])
    assert ServiceSearch(catalogue).best("Obolus") is not None
    _, questions, _ = load_search_words(tmp_path / "search")
    assert ServiceSearch(catalogue, question_words=questions).best("Obolus") is None
