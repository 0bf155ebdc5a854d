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
])
def test_adjacent_topics_are_recognised(text, topic):
    found = get_scope().adjacent(text)
    assert found is not None and found.topic == topic


@pytest.mark.parametrize("text", [
    "Elterngeld beantragen", "Kündigung in der Elternzeit", "Reisepass für den Flug nach New York",
    "Briefwahl beantragen", "wie kann ich den Bürgermeister erreichen", "mein Perso-Chip ist kaputt",
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


def test_malformed_scope_data_is_a_german_error():
    with pytest.raises(ScopeError, match="Pflicht"):
        parse_scope({"topics": [{"topic": "x"}]}, {})
    with pytest.raises(ScopeError, match="unbekannte Fragearten"):
        parse_scope({}, {"questions": {"wetter": ["regen"]}})
