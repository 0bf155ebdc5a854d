"""The domain core as one object: register, resolver, catalogue, search and Zuständigkeit.

Shared by the CLI, the custom actions and the HTTP API. Loading reads the data once
(~0.5 s); :func:`get_core` caches the loaded core per data/catalogue directory.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from bot.catalogue import Catalogue, Service
from bot.config import PROJECT_ROOT, catalogue_dir, data_dir
from bot.foreign_terms import ForeignTerms
from bot.languages import Languages, Texts
from bot.places import PlaceResolver, PlaceResult, Register
from bot.responsibility import Office, Responsibility
from bot.search import GOOD_MATCH, Hit, ServiceSearch
from bot.text import bounded

#: An entity longer than this is no single name or synonym.
MAX_SPELLED = 80
#: Search score of words that are all one name or synonym of a Leistung, and how far ahead of the
#: next Leistung it must be to count as named (:meth:`Core.exactly_named`).
EXACT = 0.999
EXACT_MARGIN = 0.15


def _read_word_list(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def load_places(ddir: Path, places_dir: Path) -> tuple[Register, PlaceResolver]:
    """The register and a resolver with the curated aliases and common-word list."""
    register = Register.load(ddir)
    common = _read_word_list(places_dir / "common_words.txt")
    return register, PlaceResolver(register, places_dir / "aliases.yml", common)


@dataclass
class Lookup:
    """The answer to "which service, and who is responsible here?"."""

    hits: list[Hit]
    place: PlaceResult | None
    office: Office | None

    @property
    def top(self) -> Hit | None:
        return self.hits[0] if self.hits else None

    def to_dict(self) -> dict:
        place = None
        if self.place is not None and self.place.in_bw is not None:
            place = self.place.to_dict()
        return {
            "services": [h.to_dict() for h in self.hits],
            "place": place,
            "office": (
                {"name": self.office.name, "kind": self.office.kind, "url": self.office.url,
                 "authority": self.office.authority, "confirmed": self.office.confirmed,
                 "source": self.office.source, "stand": self.office.stand, "note": self.office.note,
                 "place_role": self.office.place_role}
                if self.office else None
            ),
        }


class Core:
    """Everything the assistant knows, loaded from data files."""

    def __init__(self, register: Register, resolver: PlaceResolver, catalogue: Catalogue,
                 responsibility: Responsibility, families: dict[str, list[str]] | None = None,
                 search: ServiceSearch | None = None, languages: Languages | None = None) -> None:
        self.register = register
        self.resolver = resolver
        self.catalogue = catalogue
        self.responsibility = responsibility
        self.search_engine = search or ServiceSearch(catalogue, families)
        self.languages = languages or Languages()
        self._foreign: ForeignTerms | None = None

    @classmethod
    def load(cls, data: str | Path | None = None, catalogue: str | Path | None = None) -> Core:
        ddir, cdir = data_dir(data), catalogue_dir(catalogue)
        register, resolver = load_places(ddir, cdir.parent / "places")
        responsibility = Responsibility.load(cdir / "responsibility.yml")
        responsibility.attach_sourced_data(cdir.parent / "zustaendigkeit", register, ddir)
        cat = Catalogue.load(cdir, ddir, responsibility.longtail_meta)
        search = ServiceSearch.load(cat, cdir.parent / "search", ddir)
        return cls(register, resolver, cat, responsibility, search=search, languages=Languages.load(cdir))

    def warm(self) -> Core:
        """Build the lazy indexes and load the word-frequency list now (~2 s once per process).

        Servers call this at start-up in a worker thread, so that no message pays for it on the
        event loop: ``await asyncio.to_thread(lambda: get_core().warm())``.
        """
        self.resolver.warm()
        self.search_engine.search("Personalausweis Stutgart")
        self.foreign_service_id("passport")
        return self

    # -- the operations the CLI, actions and API share --------------------------------------------
    def place(self, text: str) -> PlaceResult:
        return self.resolver.resolve(text)

    def texts(self, service: Service, language: str | None) -> Texts:
        """What to say about ``service`` in ``language`` (standard German where it has no text)."""
        return self.languages.texts(service, language)

    def add_texts(self, hits: list[dict], language: str) -> list[dict]:
        """Each service of a lookup result (``Lookup.to_dict()["services"]``) gets its ``texts`` in ``language``."""
        for hit in hits:
            if (service := self.catalogue.get(hit["id"])) is not None:
                hit["texts"] = self.texts(service, language).to_dict()
        return hits

    def foreign_service_id(self, text: str) -> str | None:
        """The catalogue id that English, Turkish or Ukrainian service words name (bot.foreign_terms)."""
        if self._foreign is None:
            self._foreign = ForeignTerms.load(PROJECT_ROOT / "data" / "nlu_i18n")
        return self._foreign.service_id(text)

    def exactly_named(self, words: str) -> Service | None:
        """The Leistung that ``words`` (an entity the NLU found) are exactly a name or synonym of, spelled
        as the citizen likes ("Reise-Pass", "reisepaß"), clearly ahead of every other; else None."""
        hits = self.search(bounded(words)[:MAX_SPELLED], 2)
        if not hits or hits[0].score < EXACT:
            return None
        if len(hits) > 1 and hits[1].score > hits[0].score - EXACT_MARGIN:
            return None
        return hits[0].service

    def search(self, text: str, limit: int = 5) -> list[Hit]:
        """Ranked services; place names in the text are not counted as service words."""
        return self.search_engine.search(text, limit, self.resolver.place_words(text))

    def covered(self, service: Service, text: str, documents: bool = False) -> float:
        """How much of ``text`` is ``service``'s own words (:meth:`ServiceSearch.covered`); places do not count."""
        return self.search_engine.covered(service.id, text, documents, self.resolver.place_words(text))

    def office(self, service: Service, place: PlaceResult) -> Office | None:
        g = place.unique
        if g is None:
            return None
        return self.responsibility.office(service, g, g.plz_in(place.text))

    def lookup(self, text: str, place_text: str | None = None, limit: int = 5) -> Lookup:
        """Services for ``text``; the place from ``place_text`` or else from ``text`` itself."""
        hits = [h for h in self.search(text, limit) if h.score >= GOOD_MATCH]
        place = self.place(place_text) if place_text else self.place(text)
        if place.in_bw is None and not place_text:
            place = None
        office = self.office(hits[0].service, place) if hits and place and place.in_bw else None
        return Lookup(hits, place, office)


@functools.lru_cache(maxsize=4)
def get_core(data: str | None = None, catalogue: str | None = None) -> Core:
    """The loaded core, cached (data is read once per process)."""
    return Core.load(data, catalogue)
