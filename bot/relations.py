"""Relations between Leistungen: variants of the Leistung in focus and second needs in one message.

Data: ``data/catalogue/relations.yml`` (staff-editable; ``kinds``: variant kind -> keywords,
``languages``: language -> kind -> keywords in English, Turkish, Ukrainian …, ``relations``: from /
kind / to). Keywords and messages are folded with :func:`bot.text.fold_any_script`, so Cyrillic words
count too ("загубив" = lost). "gibts da auch was vorläufiges?" with the Personalausweis in
focus -> kind ``vorlaeufig`` -> ``vorlaeufiger_personalausweis``. Plain Python, no Rasa.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import catalogue_dir
from bot.keywords import matched_words
from bot.text import bounded, fold_any_script

MAX_WORDS = 80


class RelationsError(ValueError):
    """relations.yml is malformed (message in German, for staff)."""


@dataclass(frozen=True)
class Relation:
    source: str
    kind: str
    target: str


@dataclass(frozen=True)
class Variant:
    """A related Leistung the message asks for, and the message words that asked for it."""

    target: str
    kind: str
    words: frozenset[str]


class Relations:
    def __init__(self, kinds: dict[str, tuple[str, ...]], relations: list[Relation],
                 second_needs: frozenset[str] = frozenset(),
                 foreign: dict[str, tuple[str, ...]] | None = None) -> None:
        #: German keywords per kind, plus those of the other languages.
        self.kinds = {k: tuple(dict.fromkeys((*v, *(foreign or {}).get(k, ())))) for k, v in kinds.items()}
        #: Keywords of the other languages only (what a citizen writing English, Turkish … means).
        self.foreign = foreign or {}
        self.relations = relations
        #: Kinds that mean a second need (Umzug + Hund), not a variant of the same Leistung.
        self.second_needs = second_needs
        self._by_source: dict[str, list[Relation]] = {}
        self._pairs: set[frozenset[str]] = set()
        self._targets: set[tuple[str, str]] = {(r.target, r.kind) for r in relations}
        for r in relations:
            self._by_source.setdefault(r.source, []).append(r)
            if r.kind not in second_needs:
                self._pairs.add(frozenset((r.source, r.target)))

    @classmethod
    def load(cls, path: Path) -> Relations:
        if not path.is_file():
            return cls({}, [])
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls.parse(doc)

    @classmethod
    def parse(cls, doc: object) -> Relations:
        if not isinstance(doc, dict):
            raise RelationsError("relations.yml: erwartet ein Objekt mit 'kinds' und 'relations'")
        raw_kinds = doc.get("kinds") or {}
        if not isinstance(raw_kinds, dict):
            raise RelationsError("relations.yml: 'kinds' muss ein Objekt sein (Art -> Liste von Stichwörtern)")
        kinds: dict[str, tuple[str, ...]] = {}
        for kind, words in raw_kinds.items():
            if not isinstance(words, list) or not words:
                raise RelationsError(f"relations.yml: Art '{kind}' braucht eine nicht leere Liste von Stichwörtern")
            kinds[str(kind)] = _keywords(words)
        foreign: dict[str, tuple[str, ...]] = {}
        raw_languages = doc.get("languages") or {}
        if not isinstance(raw_languages, dict):
            raise RelationsError("relations.yml: 'languages' muss ein Objekt sein (Sprache -> Art -> Stichwörter)")
        for lang, by_kind in raw_languages.items():
            if not isinstance(by_kind, dict):
                raise RelationsError(f"relations.yml: 'languages.{lang}' muss ein Objekt sein (Art -> Stichwörter)")
            for kind, words in by_kind.items():
                if str(kind) not in kinds:
                    raise RelationsError(f"relations.yml: 'languages.{lang}': Art '{kind}' ist unter 'kinds' nicht definiert")
                if not isinstance(words, list) or not words:
                    raise RelationsError(f"relations.yml: 'languages.{lang}.{kind}' braucht eine nicht leere Liste")
                foreign[str(kind)] = tuple(dict.fromkeys((*foreign.get(str(kind), ()), *_keywords(words))))
        relations: list[Relation] = []
        for i, item in enumerate(doc.get("relations") or [], 1):
            if not isinstance(item, dict) or not all(item.get(k) for k in ("from", "kind", "to")):
                raise RelationsError(f"relations.yml: Beziehung {i} braucht 'from', 'kind' und 'to'")
            relations.append(Relation(str(item["from"]), str(item["kind"]), str(item["to"])))
        second = doc.get("second_needs") or []
        if not isinstance(second, list):
            raise RelationsError("relations.yml: 'second_needs' muss eine Liste von Arten sein")
        return cls(kinds, relations, frozenset(str(k) for k in second), foreign)

    def kinds_in(self, text: str, foreign_only: bool = False) -> dict[str, frozenset[str]]:
        """Variant kinds the message mentions, each with the words that matched.

        ``foreign_only``: only the keywords of ``languages`` (not German).
        """
        words = fold_any_script(bounded(text)).split()[:MAX_WORDS]
        found: dict[str, frozenset[str]] = {}
        for kind, keywords in (self.foreign if foreign_only else self.kinds).items():
            idx = matched_words(words, keywords)
            if idx:
                found[kind] = frozenset(words[i] for i in idx)
        return found

    def related(self, source: str, kinds: dict[str, frozenset[str]]) -> Variant | None:
        """The first relation of ``source`` whose kind the message mentions (file order)."""
        for r in self._by_source.get(source, ()):
            if r.kind in kinds:
                return Variant(r.target, r.kind, kinds[r.kind])
        return None

    def variant(self, source: str, text: str) -> Variant | None:
        return self.related(source, self.kinds_in(text))

    def second_need(self, source: str, text: str) -> Variant | None:
        """A second need of ``source`` the text names ("… und ein Auto" after the Umzug)."""
        kinds = {k: v for k, v in self.kinds_in(text).items() if k in self.second_needs}
        return self.related(source, kinds) if kinds else None

    def first_variant(self, source: str, text: str, name: str = "", synonyms: tuple[str, ...] = ()) -> Variant | None:
        """A variant named in the same message as the Leistung, in German or another language ("mein
        Ausweis wurde geklaut", "my passport was stolen": -> the lost-document Leistung). The NLU maps
        "Ausweis" to the Personalausweis itself, so the variant words around it must move it along.
        Not a variant: a second need; a kind the Leistung's ``name`` already says ("Kinderreisepass für
        meine Tochter" is about the Kinderreisepass); words its own names use ("Expresspass" is the
        Reisepass in the express procedure)."""
        kinds = {**self.kinds_in(text), **self.kinds_in(text, foreign_only=True)}
        own_name = fold_any_script(name)
        names = [own_name, *(fold_any_script(n) for n in synonyms)]
        kinds = {k: v for k, v in kinds.items() if k not in self.second_needs
                 and not any(word in own_name for word in self.kinds.get(k, ()))
                 and not any(word in n for word in v for n in names)}
        return self.related(source, kinds) if kinds else None

    def leads_to(self, target: str, kind: str) -> bool:
        """Whether some Leistung's variant of ``kind`` is ``target`` (the erweitertes Führungszeugnis is the
        variant "erweitert" of the Führungszeugnis)."""
        return (target, kind) in self._targets

    def variant_of(self, a: str, b: str) -> bool:
        """Whether a variant relation (not a second need) joins the two Leistungen, in either direction."""
        return frozenset((a, b)) in self._pairs


def _keywords(values: list) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for k in (fold_any_script(str(v)) for v in values) if k))


@functools.lru_cache(maxsize=4)
def get_relations(catalogue: str | None = None) -> Relations:
    """The relations next to the catalogue (``data/catalogue/relations.yml``), read once per process."""
    return Relations.load(catalogue_dir(catalogue) / "relations.yml")
