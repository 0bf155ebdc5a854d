"""What the current message and the conversation so far say about service and place."""

from __future__ import annotations

from dataclasses import dataclass

from rasa_sdk import Tracker

from bot.catalogue import Service
from bot.core import Core
from bot.languages import FOREIGN_LANGUAGES
from bot.places import Gemeinde, PlaceResult
from bot.search import GOOD_MATCH, Hit

#: Hits this close to the best one make the request ambiguous ("Meinten Sie …?").
AMBIGUITY_MARGIN = 0.04


@dataclass
class ServiceChoice:
    hits: list[Hit]
    ambiguous: bool = False

    @property
    def service(self):
        return self.hits[0].service if self.hits and not self.ambiguous else None


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    return [str(e.get("value")) for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]


def entity_spans(tracker: Tracker, entity: str) -> list[tuple[str, str]]:
    """``(typed words, value)`` of each ``entity`` in the message: the value may be a catalogue id the
    synonyms mapped the words to ("die Anmeldung" -> wohnsitz_anmelden)."""
    text = message_text(tracker)
    out = []
    for e in tracker.latest_message.get("entities", []):
        if e.get("entity") != entity:
            continue
        start, end = e.get("start"), e.get("end")
        typed = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
        out.append((typed or str(e.get("value")), str(e.get("value"))))
    return out


def message_text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def answer_language(tracker: Tracker) -> str | None:
    """The conversation's answer language (slot ``language``, set by the gateway; ``bot.languages.LANGUAGES``)."""
    value = tracker.get_slot("language")
    return value if isinstance(value, str) else None


def metadata(tracker: Tracker) -> dict:
    meta = tracker.latest_message.get("metadata") or tracker.get_slot("session_started_metadata") or {}
    return meta if isinstance(meta, dict) else {}


def named_services(core: Core, tracker: Tracker) -> list[Service]:
    """The Leistungen whose catalogue id is exactly the value of a ``service`` entity, in message order.

    The NLU maps the words citizens type in any language to the id: German ones through the catalogue's
    synonyms, English, Turkish and Ukrainian ones through the annotations of ``data/nlu_i18n``
    (``[kimlik kartı]{"entity": "service", "value": "personalausweis"}``); a button sends the id too.
    Such a value is the Leistung, whatever the German search would make of the foreign words around it
    ("i lost my ID card" searches as the Personalausweis itself)."""
    found = (core.catalogue.get(value) for value in entity_values(tracker, "service"))
    return list({s.id: s for s in found if s is not None}.values())


def foreign_services(core: Core, tracker: Tracker) -> list[Service]:
    """In an English, Turkish or Ukrainian conversation: the Leistungen whose annotations in
    ``data/nlu_i18n`` the words of a ``service`` entity match (``bot.foreign_terms``: "новий
    закордонний паспорт" → reisepass). Weaker than an id or a German search hit, so only a last resort
    (a generic word such as "card" must not replace the Leistung in focus)."""
    if answer_language(tracker) not in FOREIGN_LANGUAGES:
        return []
    values = entity_values(tracker, "service")
    # All spans together first: "за собаку … податок … записати" is the dog tax, though "записати"
    # alone (also the Kita's word) and "собаку" alone (several dog Leistungen) say less.
    texts = [" ".join(values)] + values if len(values) > 1 else values
    ids = (core.foreign_service_id(text) for text in texts)
    found = (core.catalogue.get(sid) for sid in ids if sid)
    return list({s.id: s for s in found if s is not None}.values())


def service_from_message(core: Core, tracker: Tracker, entities_only: bool = False) -> ServiceChoice:
    """The Leistung the message names: a button id, the NLU entity, or a search of the whole text.

    ``entities_only``: ignore the free text (a place message like "ich wohne in …" would otherwise
    hit "Wohnung anmelden").
    """
    if named := named_services(core, tracker):
        return ServiceChoice([Hit(named[0], 1.0, named[0].id)])
    # The whole message carries more context than the entity ("wo melde ich meinen Hund an" vs "Hund").
    # A button payload ("/ask_documents") is not citizen text: only its entities count.
    text = message_text(tracker)
    use_text = not (text.startswith("/") or entities_only)
    texts = [*([text] if use_text else []), *entity_values(tracker, "service")]
    fallback: ServiceChoice | None = None
    for text in texts:
        hits = [h for h in core.search(text, 3) if h.score >= GOOD_MATCH]
        if hits:
            close = [h for h in hits if h.score >= hits[0].score - AMBIGUITY_MARGIN]
            if len(close) == 1:
                return ServiceChoice(hits[:1])
            fallback = fallback or ServiceChoice(close, ambiguous=True)
    if fallback is None and (foreign := foreign_services(core, tracker)):
        return ServiceChoice([Hit(foreign[0], GOOD_MATCH, foreign[0].id)])
    return fallback or ServiceChoice([])


def service_from_slot(core: Core, tracker: Tracker):
    sid = tracker.get_slot("service_id")
    return core.catalogue.get(sid) if sid else None


def place_from_message(core: Core, tracker: Tracker) -> PlaceResult | None:
    """The place the message names (entity first, then the whole text); None if it names none."""
    for value in entity_values(tracker, "place"):
        res = core.place(value)
        if res.in_bw is not None:
            return res
    text = message_text(tracker)
    if text.startswith("/"):
        return None
    res = core.place(text)
    return res if res.in_bw is not None else None


def known_place(core: Core, tracker: Tracker) -> tuple[Gemeinde | None, str]:
    """The place remembered for this conversation, else the tenant's Gemeinde. Returns (Gemeinde, source)."""
    ags = tracker.get_slot("place_ags")
    if ags and (g := core.register.by_ags(ags)) is not None:
        return g, tracker.get_slot("place_source") or "citizen"
    tenant = str(metadata(tracker).get("tenant_ags") or "")
    if tenant and (g := core.register.by_ags(tenant)) is not None:
        return g, "tenant"
    return None, ""
