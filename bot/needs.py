"""Several needs in one message: "Ich ziehe um, habe einen Hund und ein Auto".

The message is split into clauses (punctuation, conjunctions) and each clause is searched with the
core's search. The first need is the Leistung the whole message names (``first``) or else the first
clause that matches well. A later clause adds a need when it names a second need of the first
(``relations.yml``, kinds listed under ``second_needs``: Umzug + Auto -> Fahrzeug ummelden,
Sterbefall + Jagdwaffen -> Waffenbesitzkarte im Erbfall) or when it names another Leistung clearly
(:data:`PART_MATCH`) that is not just a variant of the first. Bounded: at most :data:`MAX_PARTS`
clauses of the first :data:`MAX_CHARS` characters, at most :data:`MAX_NEEDS` results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.catalogue import Service
from bot.core import Core
from bot.relations import Relations
from bot.search import GOOD_MATCH

MAX_CHARS = 400
MAX_PARTS = 6
MAX_NEEDS = 3
#: A first need found in a clause (not by the whole message) must match at least this well.
FIRST_MATCH = 0.6
#: A later clause must match at least this well to count as a need of its own.
PART_MATCH = 0.85
#: A later clause whose words are at least this much the first need's own words (names, synonyms) is
#: about the first need: "Brauche ich eine Erlaubnis?" after the Kampfhund, whose name is "Erlaubnis zur
#: Haltung eines Kampfhundes", although "Erlaubnis" alone finds the Fischereischein ("Angeln Erlaubnis").
FIRST_OWN_WORDS = 0.7
_SPLIT = re.compile(r"[,;:.!?]+|\s+(?:und|sowie|außerdem|ausserdem|zudem|plus|und dann|danach)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Need:
    service: Service
    part: str
    score: float
    related: bool = False  # a second need of the first by relations.yml


def clauses(text: str) -> list[str]:
    """The message cut at punctuation and conjunctions; empty and one-letter parts dropped."""
    parts = [p.strip() for p in _SPLIT.split(text[:MAX_CHARS])]
    return [p for p in parts if len(p) > 1][:MAX_PARTS]


def find_needs(core: Core, relations: Relations, text: str, clean: Callable[[str], str] = lambda s: s,
               first: Service | None = None, own_need: Callable[[str], bool] = bool,
               first_searched: bool = False) -> list[Need]:
    """Distinct Leistungen the message asks for, in the order of mention.

    ``clean``: turns a clause into the words that may name a Leistung (drops question words).
    ``first``: the Leistung the whole message names, if the caller knows it.
    ``own_need``: whether a later clause can name a need of its own ("wie abmelden?" cannot). The needs keep the order
    of mention when the first clause names a Leistung clearly (and ``first`` is among the needs);
    otherwise ``first`` leads and the clauses add the others.
    ``first_searched``: ``first`` was found by searching the whole message, not named by the NLU. When the
    clauses name a first need and a second need of it by relations.yml, they lead: the whole message mixes
    the words of both ("Mein Vater ist gestorben und sein Auto steht noch auf ihn zugelassen" searches best
    as a car registration).
    """
    parts = clauses(text)
    if len(parts) < 2:  # one clause is one need, however many words it has
        return [Need(first, text, 1.0)] if first is not None else []
    ordered = _collect(core, relations, parts, clean, [], own_need)
    if len(ordered) >= 2 and ordered[0].score >= PART_MATCH and (
            first is None or any(n.service.id == first.id for n in ordered)):
        return ordered
    if first_searched and len(ordered) >= 2 and any(n.related for n in ordered[1:]):
        return ordered  # _collect took the first clause only at FIRST_MATCH or better
    if first is None:
        if ordered and (lead := _earlier_lead(core, relations, parts, clean, ordered[0].service)):
            return _collect(core, relations, parts, clean, [lead], own_need)
        return ordered if len(ordered) >= 2 else ordered[:1]
    lead = _earlier_lead(core, relations, parts, clean, first)
    return _collect(core, relations, parts, clean, [lead or Need(first, text, 1.0)], own_need)


def _earlier_lead(core: Core, relations: Relations, parts: list[str], clean: Callable[[str], str],
                  first: Service) -> Need | None:
    """An earlier clause's Leistung of which ``first`` is a second need ("Opa verstorben" before "Jagdwaffen").

    The whole message may match the second need best (its words are rarer), but the citizen named the
    other one first; the relation says which of the two leads.
    """
    for i, part in enumerate(parts):
        query = clean(part)
        hits = core.search(query, 1) if query else []
        if not hits or hits[0].score < GOOD_MATCH or hits[0].service.id == first.id:
            continue
        for later in parts[i + 1:]:
            second = relations.second_need(hits[0].service.id, later)
            if second is not None and second.target == first.id:
                return Need(hits[0].service, part, hits[0].score)
    return None


def _collect(core: Core, relations: Relations, parts: list[str], clean: Callable[[str], str],
             needs: list[Need], own_need: Callable[[str], bool]) -> list[Need]:
    for part in parts:
        if len(needs) >= MAX_NEEDS:
            break
        query = clean(part)
        hits = core.search(query, 1) if query else []
        if not needs:
            if hits and hits[0].score >= FIRST_MATCH:
                needs.append(Need(hits[0].service, part, hits[0].score))
            continue
        head = needs[0].service.id
        if hits and hits[0].service.id == head:  # the clause about the first need itself
            continue
        service, score, by_relation = None, 0.0, False
        second = relations.second_need(head, part)
        if second is not None and (related := core.catalogue.get(second.target)) is not None:
            service, score, by_relation = related, 1.0, True
        elif (hits and hits[0].score >= PART_MATCH and own_need(part)
              and not relations.variant_of(head, hits[0].service.id)
              and core.covered(needs[0].service, query) < FIRST_OWN_WORDS):
            service, score = hits[0].service, hits[0].score
        if service is not None and all(n.service.id != service.id for n in needs):
            needs.append(Need(service, part, score, by_relation))
    return needs
