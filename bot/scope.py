"""Honest scope: topics next to the Gemeinde's services, and the words a follow-up question is made of.

Data: ``data/scope/adjacent.yml`` (topic, keywords, German answer naming who helps instead),
``data/scope/dialogue_words.yml`` (filler words, explicit wishes for a person) and the question-type
words, which the service search shares (``data/search/question_words.yml``, :mod:`bot.question_words`).
Plain Python, no Rasa; loaded once with the core (:func:`get_scope`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import catalogue_dir
from bot.keywords import contains, normalise_keywords
from bot.question_words import FILE as QUESTION_WORDS_FILE
from bot.question_words import QUESTION_TYPES, QuestionWordsError, parse_question_words
from bot.text import land_positions, tokens, tokens_with_compounds

#: Longest message that is analysed word by word (longer texts are cut; the work stays bounded).
MAX_WORDS = 80


class ScopeError(ValueError):
    """A scope data file is malformed (message in German, for staff)."""


@dataclass(frozen=True)
class Topic:
    topic: str
    keywords: tuple[str, ...]
    unless: tuple[str, ...]
    answer: str
    together_with: tuple[str, ...] = ()
    #: the Leistung the answer offers to help with (``angebot``): it becomes the focus of the conversation
    offer: str | None = None
    #: the topic is the body that handles the offer (``folgefragen_zum_angebot``): with the offer in focus, a
    #: follow-up question ("Welche Nachweise will die Familienkasse sehen?") is about the offer
    follow_ups_to_offer: bool = False


@dataclass(frozen=True)
class Scope:
    topics: tuple[Topic, ...]
    questions: dict[str, tuple[str, ...]]
    fillers: frozenset[str]
    handoff_words: tuple[str, ...]
    handoff_unless: tuple[str, ...]
    place_statement: frozenset[str] = frozenset()
    actions: frozenset[str] = frozenset()
    #: every question-type word, also of the groups without a question of their own ("beantragen")
    question_words: tuple[str, ...] = ()
    #: words of moving house: with a Leistung in focus and a place named, they only give the place
    moving: frozenset[str] = frozenset()

    def adjacent(self, text: str) -> Topic | None:
        """The adjacent topic the message is about (first in file order), or None."""
        words = tokens(text)[:MAX_WORDS]
        for topic in self.topics:
            if not contains(words, topic.keywords) or contains(words, topic.unless):
                continue
            if not topic.together_with or contains(words, topic.together_with):
                return topic
        return None

    def wants_person(self, text: str) -> bool:
        """An explicit wish for a person ("Ich will einen Sachbearbeiter!!", "kann ich anrufen?")."""
        words = tokens(text)[:MAX_WORDS]
        return contains(words, self.handoff_words) and not contains(words, self.handoff_unless)

    def question_type(self, text: str) -> str | None:
        """Which follow-up question the words carry ("Was kostet das?" -> "fees"), or None."""
        return next(iter(self.question_types(text)), None)

    def question_types(self, text: str) -> list[str]:
        """Every follow-up question type the words carry, in :data:`QUESTION_TYPES` order."""
        words = tokens(text)[:MAX_WORDS]
        return [kind for kind in QUESTION_TYPES if _positions(words, self.questions.get(kind, ()))]

    def residual(self, text: str, drop: set[str] | frozenset[str] = frozenset()) -> str:
        """The words that could name a Leistung: without question-type, filler and ``drop`` words and
        without the name of the Land. A hyphenated compound stays whole ("reise-pass"): the search reads
        it as the catalogue's word."""
        words = tokens_with_compounds(text)[:MAX_WORDS]
        skip = _positions(words, self.question_words) | land_positions(words)
        return " ".join(w for i, w in enumerate(words)
                        if i not in skip and w not in self.fillers and w not in drop)

    def need_words(self, text: str) -> str:
        """Like :meth:`residual`, also without the words of a bare place statement ("ich wohne in …")."""
        return self.residual(text, self.place_statement)

    def names_own_need(self, text: str) -> bool:
        """Whether a clause says more than what to do ("wie abmelden?" is about the Leistung before it)."""
        return bool(set(self.need_words(text).split()) - self.actions)


def _positions(words: list[str], entries: tuple[str, ...]) -> set[int]:
    """Indexes of ``words`` that an entry matches: the whole word, or a word sequence ("wie lange")."""
    out: set[int] = set()
    for entry in entries:
        parts = entry.split()
        if len(parts) == 1:
            out.update(i for i, w in enumerate(words) if w == entry)
            continue
        for i in range(len(words) - len(parts) + 1):
            if words[i:i + len(parts)] == parts:
                out.update(range(i, i + len(parts)))
    return out


def _list(doc: dict, key: str, where: str) -> tuple[str, ...]:
    value = doc.get(key) or []
    if not isinstance(value, list):
        raise ScopeError(f"{where}: '{key}' muss eine Liste sein")
    return normalise_keywords(value)


def parse_scope(adjacent: dict, words: dict, questions: dict | None = None) -> Scope:
    """``questions``: the document of data/search/question_words.yml (the one owner of those words)."""
    topics: list[Topic] = []
    seen: set[str] = set()
    for i, item in enumerate(adjacent.get("topics") or [], 1):
        where = f"Thema {i}"
        if not isinstance(item, dict):
            raise ScopeError(f"{where}: Eintrag muss ein Objekt sein")
        name = str(item.get("topic") or "").strip()
        answer = " ".join(str(item.get("answer") or "").split())
        keywords = _list(item, "keywords", where)
        if not name or not answer or not keywords:
            raise ScopeError(f"{where}: 'topic', 'keywords' und 'answer' sind Pflicht")
        if name in seen:
            raise ScopeError(f"{where}: Thema '{name}' steht doppelt")
        seen.add(name)
        offer = str(item.get("angebot") or "").strip() or None
        follow_ups = item.get("folgefragen_zum_angebot", False)
        if not isinstance(follow_ups, bool):
            raise ScopeError(f"{where}: 'folgefragen_zum_angebot' muss true oder false sein")
        if follow_ups and offer is None:
            raise ScopeError(f"{where}: 'folgefragen_zum_angebot' braucht ein 'angebot'")
        topics.append(Topic(name, keywords, _list(item, "ausser", where), answer,
                            _list(item, "zusammen_mit", where), offer, follow_ups))
    if "questions" in words:
        raise ScopeError(f"dialogue_words: Fragewörter gehören nach data/search/{QUESTION_WORDS_FILE} (eine Stelle "
                         "für Dialog und Suche); bitte 'questions' hier entfernen")
    try:
        groups = parse_question_words(questions) if questions is not None else {}
    except QuestionWordsError as exc:
        raise ScopeError(str(exc)) from exc
    handoff = words.get("handoff") or {}
    return Scope(tuple(topics), {k: v for k, v in groups.items() if k in QUESTION_TYPES},
                 frozenset(_list(words, "fuellwoerter", "dialogue_words")),
                 _list(handoff, "words", "handoff"), _list(handoff, "ausser", "handoff"),
                 frozenset(_list(words, "wohnort", "dialogue_words")),
                 frozenset(_list(words, "handlungen", "dialogue_words")),
                 tuple(w for ws in groups.values() for w in ws),
                 frozenset(_list(words, "umzug", "dialogue_words")))


def _read(path: Path) -> dict:
    if not path.is_file():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(doc, dict):
        raise ScopeError(f"{path.name}: erwartet ein Objekt auf oberster Ebene")
    return doc


def scope_dir(catalogue: str | Path | None = None) -> Path:
    return catalogue_dir(catalogue).parent / "scope"


def question_words_path(folder: Path) -> Path:
    """The question-word file next to a scope folder (``data/scope`` -> ``data/search/question_words.yml``)."""
    return folder.parent / "search" / QUESTION_WORDS_FILE


def load_scope(folder: Path) -> Scope:
    questions = question_words_path(folder)
    return parse_scope(_read(folder / "adjacent.yml"), _read(folder / "dialogue_words.yml"),
                       _read(questions) if questions.is_file() else None)


@functools.lru_cache(maxsize=4)
def get_scope(catalogue: str | None = None) -> Scope:
    """The scope data next to the catalogue (``data/scope/``), read once per process."""
    return load_scope(scope_dir(catalogue))
