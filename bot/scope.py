"""Honest scope: topics next to the Gemeinde's services, and the words a follow-up question is made of.

Data: ``data/scope/adjacent.yml`` (topic, keywords, German answer naming who helps instead) and
``data/scope/dialogue_words.yml`` (question-type words, filler words, explicit wishes for a person).
Plain Python, no Rasa; loaded once with the core (:func:`get_scope`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import catalogue_dir
from bot.keywords import contains, normalise_keywords
from bot.text import tokens

#: Question types a follow-up can carry, in the order they are tried when several words occur.
QUESTION_TYPES = ("documents", "fees", "online", "processing_time", "opening_hours", "appointment", "office")
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


@dataclass(frozen=True)
class Scope:
    topics: tuple[Topic, ...]
    questions: dict[str, tuple[str, ...]]
    fillers: frozenset[str]
    handoff_words: tuple[str, ...]
    handoff_unless: tuple[str, ...]
    place_statement: frozenset[str] = frozenset()
    actions: frozenset[str] = frozenset()

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
        words = tokens(text)[:MAX_WORDS]
        for kind in QUESTION_TYPES:
            if set(words) & set(self.questions.get(kind, ())):
                return kind
        return None

    def residual(self, text: str, drop: set[str] | frozenset[str] = frozenset()) -> str:
        """The words that could name a Leistung: without question-type, filler and ``drop`` words."""
        words = tokens(text)[:MAX_WORDS]
        question = {w for ws in self.questions.values() for w in ws}
        return " ".join(w for w in words if w not in question and w not in self.fillers and w not in drop)

    def need_words(self, text: str) -> str:
        """Like :meth:`residual`, also without the words of a bare place statement ("ich wohne in …")."""
        return self.residual(text, self.place_statement)

    def names_own_need(self, text: str) -> bool:
        """Whether a clause says more than what to do ("wie abmelden?" is about the Leistung before it)."""
        return bool(set(self.need_words(text).split()) - self.actions)


def _list(doc: dict, key: str, where: str) -> tuple[str, ...]:
    value = doc.get(key) or []
    if not isinstance(value, list):
        raise ScopeError(f"{where}: '{key}' muss eine Liste sein")
    return normalise_keywords(value)


def parse_scope(adjacent: dict, words: dict) -> Scope:
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
        topics.append(Topic(name, keywords, _list(item, "ausser", where), answer,
                            _list(item, "zusammen_mit", where)))
    questions_doc = words.get("questions") or {}
    if not isinstance(questions_doc, dict):
        raise ScopeError("dialogue_words: 'questions' muss ein Objekt sein")
    unknown = set(questions_doc) - set(QUESTION_TYPES)
    if unknown:
        raise ScopeError(f"dialogue_words: unbekannte Fragearten {sorted(unknown)}; erlaubt: {list(QUESTION_TYPES)}")
    questions = {k: _list(questions_doc, k, "dialogue_words") for k in questions_doc}
    handoff = words.get("handoff") or {}
    return Scope(tuple(topics), questions, frozenset(_list(words, "fuellwoerter", "dialogue_words")),
                 _list(handoff, "words", "handoff"), _list(handoff, "ausser", "handoff"),
                 frozenset(_list(words, "wohnort", "dialogue_words")),
                 frozenset(_list(words, "handlungen", "dialogue_words")))


def _read(path: Path) -> dict:
    if not path.is_file():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(doc, dict):
        raise ScopeError(f"{path.name}: erwartet ein Objekt auf oberster Ebene")
    return doc


def scope_dir(catalogue: str | Path | None = None) -> Path:
    return catalogue_dir(catalogue).parent / "scope"


def load_scope(folder: Path) -> Scope:
    return parse_scope(_read(folder / "adjacent.yml"), _read(folder / "dialogue_words.yml"))


@functools.lru_cache(maxsize=4)
def get_scope(catalogue: str | None = None) -> Scope:
    """The scope data next to the catalogue (``data/scope/``), read once per process."""
    return load_scope(scope_dir(catalogue))
