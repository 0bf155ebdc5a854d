"""Several needs in one message: "Ich ziehe um, habe einen Hund und ein Auto".

The message is split into clauses (punctuation, conjunctions), each clause is searched with the
core's search, and the distinct good hits are returned in the order they were mentioned. A clause
that names a second need of the first Leistung (``relations.yml``: Umzug + Auto -> Fahrzeug ummelden,
Sterbefall + Jagdwaffen -> Waffenbesitzkarte im Erbfall) gets that related Leistung. Bounded: at most
:data:`MAX_PARTS` clauses of the first :data:`MAX_CHARS` characters, at most :data:`MAX_NEEDS` results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalogue import Service
from bot.core import Core
from bot.relations import Relations

MAX_CHARS = 400
MAX_PARTS = 6
MAX_NEEDS = 3
#: A clause must match at least this well to count as a need of its own (a whole message needs less).
PART_MATCH = 0.6
_SPLIT = re.compile(r"[,;:.!?]+|\s+(?:und|sowie|außerdem|ausserdem|zudem|plus|dazu|und dann|danach|oder)\s+",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Need:
    service: Service
    part: str
    score: float


def clauses(text: str) -> list[str]:
    """The message cut at punctuation and conjunctions; empty and one-letter parts dropped."""
    parts = [p.strip() for p in _SPLIT.split(text[:MAX_CHARS])]
    return [p for p in parts if len(p) > 1][:MAX_PARTS]


def find_needs(core: Core, relations: Relations, text: str, clean=lambda s: s) -> list[Need]:
    """Distinct Leistungen the clauses of ``text`` ask for, in the order of mention.

    ``clean``: turns a clause into the words that may name a Leistung (drops question words).
    """
    needs: list[Need] = []
    for part in clauses(text):
        if len(needs) >= MAX_NEEDS:
            break
        query = clean(part)
        service, score = None, 0.0
        if needs:  # a second need of the first Leistung ("… und ein Auto" after the Umzug)
            variant = relations.variant(needs[0].service.id, part)
            if variant is not None and (related := core.catalogue.get(variant.target)) is not None:
                service, score = related, 1.0
        if service is None and query:
            hits = core.search(query, 1)
            if hits and hits[0].score >= PART_MATCH:
                service, score = hits[0].service, hits[0].score
        if service is not None and all(n.service.id != service.id for n in needs):
            needs.append(Need(service, part, score))
    return needs
