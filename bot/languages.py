"""Answer texts of the curated Leistungen in other languages, next to the catalogue.

One directory per answer language, one file per topic with the stem of its catalogue file::

    data/catalogue/languages/<lang>/<topic>.yml      # lang: de-LS, en, tr, uk (same shape)

    language: de-LS
    stand: "2026-12-02"
    source: "Eigene Übertragung in Leichte Sprache …"
    services:
      personalausweis:                 # id from data/catalogue/services/<topic>.yml
        name: Einen neuen Personal-Ausweis bekommen
        summary: [Ab 16 Jahren brauchen Sie einen Ausweis., …]
        documents: [Ihren alten Personal-Ausweis oder Ihren Reise-Pass., …]
        online: [Das geht nicht im Internet., …]
        fee: [Der Ausweis kostet 46 Euro., …]
        processing_time: [Das dauert meistens 2 bis 3 Wochen.]   # only where the standard text has one

:meth:`Languages.texts` gives what the bot says about a Leistung in a language; every field the
language does not have falls back to the standard German text (``translated`` tells which). The
loader checks only the shape (a wrong shape stops loading, like the catalogue); content rules
(missing texts, sentence length, abbreviations, amounts) are ``bot validate``'s job
(``bot.staff.checks_languages``). Nothing is read at import time; files are read bounded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.catalogue import CatalogueError, Service
from bot.config import catalogue_dir

#: The standard language: the catalogue's own texts.
STANDARD = "de"
#: The languages a conversation may be in (gateway ``lang``, Rasa slot ``language`` in domain/core.yml).
LANGUAGES = (STANDARD, "de-LS", "en", "tr", "uk")
#: The answer languages whose citizens type words other than German.
FOREIGN_LANGUAGES = ("en", "tr", "uk")
#: The language directories the catalogue may have (read and checked; served once listed in LANGUAGES).
DATA_LANGUAGES = ("de-LS", "en", "tr", "uk")
#: The BCP 47 tag a widget element gets for each language (Leichte Sprache is German).
HTML_LANG = {STANDARD: "de", "de-LS": "de", "en": "en", "tr": "tr", "uk": "uk"}
#: How the gateway names the languages in its German messages.
LANGUAGE_NAMES = {STANDARD: "Deutsch", "de-LS": "Leichte Sprache", "en": "Englisch", "tr": "Türkisch",
                  "uk": "Ukrainisch"}
#: The Rasa slot that holds a conversation's language (domain/core.yml).
SLOT = "language"


def slot_event(language: str) -> dict:
    """The tracker event that sets a conversation's language (Rasa HTTP API, ``/tracker/events``)."""
    return {"event": "slot", "name": SLOT, "value": language}
LANGUAGES_DIR = "languages"
TEXT_FIELDS = ("summary", "documents", "online", "fee", "processing_time")
#: Bounds: a language file larger than this, or a field with more items, is refused.
MAX_FILE_BYTES = 512 * 1024
MAX_ITEMS = 40
MAX_CHARS = 600

_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LanguageError(CatalogueError):
    """A language file with a shape the bot cannot use (message names file and entry, in German)."""


def canonical(language: object, known: tuple[str, ...] = LANGUAGES) -> str | None:
    """``"de-ls"`` → ``"de-LS"``; None for anything that is not one of ``known`` (the served languages)."""
    if not isinstance(language, str) or len(language) > 16:
        return None
    folded = language.casefold()
    return next((lang for lang in known if lang.casefold() == folded), None)


@dataclass(frozen=True)
class ServiceText:
    """One Leistung's entry in one language file (only the fields the file has)."""

    service_id: str
    language: str
    name: str
    summary: tuple[str, ...] = ()
    documents: tuple[str, ...] | None = None  # None: not given; () only where the standard has none
    online: tuple[str, ...] = ()
    fee: tuple[str, ...] = ()
    processing_time: tuple[str, ...] = ()
    source: str = ""
    stand: str = ""
    file: str = ""


@dataclass(frozen=True)
class Texts:
    """What the bot says about a Leistung in ``language``.

    ``name`` is the title in that language (the official German name where there is none);
    ``official_name`` is always the catalogue's German name, shown beside it. ``online``, ``fee``
    and ``processing_time`` are empty where the standard German sentence applies.
    """

    service_id: str
    language: str
    translated: bool
    name: str
    official_name: str
    summary: tuple[str, ...]
    documents: tuple[str, ...]
    online: tuple[str, ...] = ()
    fee: tuple[str, ...] = ()
    processing_time: tuple[str, ...] = ()
    source: str = ""
    stand: str = ""

    @property
    def standard(self) -> bool:
        """The conversation is in standard German (the catalogue's own texts)."""
        return self.language == STANDARD

    @property
    def missing(self) -> bool:
        """Another language was asked for, and this Leistung has no text in it (yet)."""
        return not self.standard and not self.translated

    def to_dict(self) -> dict:
        """The API shape (``texts`` of a service record)."""
        return {"language": self.language, "translated": self.translated, "name": self.name,
                "official_name": self.official_name, "summary": list(self.summary),
                "documents": list(self.documents), "online": list(self.online), "fee": list(self.fee),
                "processing_time": list(self.processing_time), "source": self.source, "stand": self.stand}


def _text(value: object, where: str, key: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise LanguageError(f"{where}: '{key}' muss Text sein")
    text = " ".join(str(value).split())
    if len(text) > MAX_CHARS:
        raise LanguageError(f"{where}: '{key}' ist länger als {MAX_CHARS} Zeichen")
    return text


def _sentences(value: object, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise LanguageError(f"{where}: '{key}' muss eine Liste von Sätzen sein (jede Zeile mit „- “)")
    if len(value) > MAX_ITEMS:
        raise LanguageError(f"{where}: '{key}' hat mehr als {MAX_ITEMS} Einträge")
    out = []
    for pos, item in enumerate(value, 1):
        if isinstance(item, dict):
            raise LanguageError(f"{where}: Eintrag {pos} in '{key}' ist kein Text (enthält der Satz einen "
                                "Doppelpunkt? Dann in Anführungszeichen setzen)")
        if text := _text(item, where, f"{key}, Eintrag {pos}"):
            out.append(text)
    return tuple(out)


def parse_entry(sid: str, entry: object, language: str, file: str, defaults: dict) -> ServiceText:
    """One ``services:`` entry → :class:`ServiceText` (shape only)."""
    where = f"{file}, Leistung '{sid}'"
    if not isinstance(entry, dict):
        raise LanguageError(f"{where}: erwartet einen Abschnitt mit name, summary, documents, online, fee")
    documents = entry.get("documents")
    return ServiceText(
        service_id=sid, language=language,
        name=_text(entry.get("name") or "", where, "name"),
        summary=_sentences(entry.get("summary"), where, "summary"),
        documents=None if documents is None else _sentences(documents, where, "documents"),
        online=_sentences(entry.get("online"), where, "online"),
        fee=_sentences(entry.get("fee"), where, "fee"),
        processing_time=_sentences(entry.get("processing_time"), where, "processing_time"),
        source=_text(entry.get("source") or defaults.get("source") or "", where, "source"),
        stand=_text(entry.get("stand") or defaults.get("stand") or "", where, "stand"),
        file=file,
    )


def parse_file(doc: object, language: str, file: str) -> list[ServiceText]:
    """A language file's document → its entries (raises :class:`LanguageError` on a wrong shape)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("services"), dict):
        raise LanguageError(f"{file}: Schlüssel 'services' mit einem Abschnitt je Leistung fehlt")
    defaults = {k: str(doc.get(k) or "") for k in ("source", "stand")}
    return [parse_entry(str(sid), entry, language, file, defaults) for sid, entry in doc["services"].items()]


def read_bounded(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise LanguageError(f"{path.name}: Datei ist größer als {MAX_FILE_BYTES // 1024} KiB")
    return path.read_text(encoding="utf-8")


class Languages:
    """Every language file's entries, by language and Leistung id."""

    def __init__(self, entries: dict[str, dict[str, ServiceText]] | None = None) -> None:
        self.entries = entries or {}

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages with at least one file, standard German first."""
        return (STANDARD, *sorted(lang for lang in self.entries if lang != STANDARD))

    def get(self, service_id: str, language: str) -> ServiceText | None:
        return self.entries.get(language, {}).get(service_id)

    def texts(self, service: Service, language: str | None) -> Texts:
        """The Leistung's texts in ``language``; field by field the standard German where it has none."""
        language = canonical(language, (STANDARD, *DATA_LANGUAGES)) or STANDARD
        entry = self.get(service.id, language) if service.curated else None
        standard_summary = (service.description,) if service.description else ()
        if entry is None:
            return Texts(service.id, language, False, service.name, service.name, standard_summary,
                         service.documents, source=service.source, stand=service.stand)
        return Texts(
            service_id=service.id, language=language, translated=True,
            name=entry.name or service.name, official_name=service.name,
            summary=entry.summary or standard_summary,
            documents=entry.documents if entry.documents else service.documents,
            online=entry.online,
            fee=entry.fee if service.fee is not None else (),
            processing_time=entry.processing_time if service.processing_time is not None else (),
            source=entry.source, stand=entry.stand,
        )

    @classmethod
    def load(cls, catalogue: Path) -> Languages:
        """Read ``<catalogue>/languages/<lang>/*.yml`` (no directory: no other languages)."""
        entries: dict[str, dict[str, ServiceText]] = {}
        folder = catalogue / LANGUAGES_DIR
        for lang_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
            language = canonical(lang_dir.name, DATA_LANGUAGES)
            if language is None:
                continue  # reported by bot validate
            for path in sorted(lang_dir.glob("*.yml")):
                label = f"{LANGUAGES_DIR}/{lang_dir.name}/{path.name}"
                try:
                    doc = yaml.load(read_bounded(path), Loader=_FAST)
                except yaml.YAMLError as exc:
                    raise LanguageError(f"{label}: kein gültiges YAML ({exc})") from None
                for text in parse_file(doc, language, label):
                    entries.setdefault(language, {})[text.service_id] = text
        return cls(entries)


@functools.lru_cache(maxsize=4)
def get_languages(catalogue: str | None = None) -> Languages:
    """The loaded language texts, cached per catalogue directory."""
    return Languages.load(catalogue_dir(catalogue))
