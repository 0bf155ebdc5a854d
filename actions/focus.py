"""The Leistung in focus: which Leistung a message is about, given the one under discussion.

One policy, used by every follow-up (``actions.services._service_or_ask``), by the search answer and
by the fallback. A follow-up ("Welche Unterlagen brauche ich?", "und wenn ich ihn verloren habe?")
stays with the Leistung in focus (slot ``service_id``) unless the message itself names another one
with confidence: an NLU ``service`` entity, or a search hit clearly above the threshold on words that
are not question words. Variants of the focus move along ``data/catalogue/relations.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rasa_sdk import Tracker

from actions.context import (
    AMBIGUITY_MARGIN,
    answer_language,
    entity_spans,
    entity_values,
    foreign_services,
    message_text,
    service_from_slot,
)
from bot.catalogue import Service
from bot.core import Core
from bot.languages import FOREIGN_LANGUAGES
from bot.relations import Relations
from bot.scope import Scope
from bot.search import GOOD_MATCH, Hit
from bot.text import fold_any_script

#: A searched Leistung is taken without an entity only this far above GOOD_MATCH (a misfiled message),
#: a variant only this far above the named Leistung itself.
SWITCH_MARGIN = 0.15
#: A follow-up whose naming words are at least this much the focus's own words (names, synonyms;
#: for a documents question also its document list) stays with the focus: "was kostet die
#: Anmeldung?" about the Gewerbeanmeldung, "Reicht der Schwerbehindertenausweis als Nachweis?" about
#: the Parkausweis (``ServiceSearch.covered``).
OWN_WORDS = 0.7
#: With a Leistung in focus, a follow-up switches to a searched Leistung only at this score. A name or
#: synonym scores 0.85-1.0, also misspelt ("fürungszeugnis" 0.90, "persnalausweis" 0.90); one word of
#: another Leistung's description scores 0.65-0.80 ("Ausfertigung" -> Lebenspartnerschaftsurkunde,
#: "Versicherung" -> Sterbeurkunde) and does not name it with confidence (was 0.60: suite +3 turns).
FOLLOW_UP_SWITCH = 0.8


@dataclass
class Focus:
    service: Service | None
    new: bool = False  # named in this message and not the Leistung in focus
    how: str = "none"  # entity | search | variant | focus | ambiguous | none
    hits: list[Hit] = field(default_factory=list)
    score: float = 1.0  # of the search hit, for how == "search"


def _good(core: Core, text: str, limit: int = 5) -> list[Hit]:
    return [h for h in core.search(text, limit) if h.score >= GOOD_MATCH] if text.strip() else []


def _close(hits: list[Hit]) -> list[Hit]:
    return [h for h in hits if h.score >= hits[0].score - AMBIGUITY_MARGIN] if hits else []


def resolve_focus(core: Core, scope: Scope, relations: Relations, tracker: Tracker,
                  follow_up: bool = True) -> Focus:
    """Which Leistung this message is about. ``follow_up``: the NLU read a question about a Leistung
    (documents, fees, …), so the focus wins unless another Leistung is named with confidence."""
    focus = service_from_slot(core, tracker)
    text = message_text(tracker)
    values = entity_values(tracker, "service")

    payload = text.startswith("/")

    def found(service: Service, how: str) -> Focus:
        return Focus(service, focus is None or service.id != focus.id, how)

    def named(service: Service) -> Focus:
        """A Leistung named with its variant in the same message ("Ausweis geklaut", "my passport was stolen")."""
        variant = None if text.startswith("/") else relations.first_variant(service.id, text, service.name, service.synonyms)
        if variant is not None and (related := core.catalogue.get(variant.target)) is not None:
            service = related  # named as surely as the entity itself
        elif (not text.startswith("/") and answer_language(tracker) not in FOREIGN_LANGUAGES
              and (better := _searched_variant(core, scope, relations, service, text))):  # German words only
            service = better  # "Mein Behindertenausweis läuft Ende des Jahres ab": the Verlängerung
        return found(service, "entity")

    follow = focus is not None and follow_up and not payload
    kinds = relations.kinds_in(text) if focus is not None and not payload else {}
    documents = focus is not None and not payload and _asks_documents(scope, tracker, text)

    def own(words: str, with_documents: bool = False) -> bool:
        """The words are the focus's own ("die Anmeldung" while the Gewerbeanmeldung is in focus), also
        when the NLU reads the follow-up as a new search ("Wie viel Steuer zahlt man für einen Hund?")."""
        return focus is not None and not payload and core.covered(focus, words, with_documents) >= OWN_WORDS

    # A button, an entity the synonyms map to an id, or, with nothing in focus, one that is a name or
    # synonym written with a hyphen, as Leichte Sprache does ("Reise-Pass"; the NLU maps only exact spellings).
    mapped = [(typed, s) for typed, value in entity_spans(tracker, "service")
              if (s := core.catalogue.get(value) or (core.exactly_named(typed) if focus is None and not payload
                                                     and "-" in typed else None)) is not None]
    variant = relations.related(focus.id, kinds) if focus is not None and kinds else None

    def variant_word(typed: str) -> bool:
        """The entity is only the variant's word ("verloren" read as the Fundbüro after the Reisepass), or
        only the word of the variant the focus itself is ("Ehrenamtliche" while the erweitertes
        Führungszeugnis is in focus)."""
        words = set(fold_any_script(typed).split())
        if variant is not None and words <= variant.words:
            return True
        return focus is not None and any(words <= matched and relations.leads_to(focus.id, kind)
                                         for kind, matched in kinds.items())

    if other := [s for typed, s in mapped
                 if not (focus is not None and s.id != focus.id and (own(typed) or variant_word(typed)))]:
        return named(other[0])
    if mapped:  # each names the focus in its own words
        return _variant_or_focus(core, relations, focus, kinds)
    if payload:  # a quick reply carries no citizen words
        return Focus(focus, False, "focus") if focus else Focus(None)

    variant_words = frozenset().union(*kinds.values()) if kinds else frozenset()
    moving = scope.moving if focus is not None and core.place(text).in_bw is not None else frozenset()  # "wir ziehen nach …"
    own_words = scope.residual(text, variant_words | scope.place_statement | moving)  # may name a different Leistung
    if own(scope.need_words(text), documents):  # "… beilegen, Geburtsurkunden?" about the Unterhaltsvorschuss
        return _variant_or_focus(core, relations, focus, kinds)
    if values and all(own(v, documents) for v in values):  # "wie früh müssen wir das anmelden"
        return _variant_or_focus(core, relations, focus, kinds)
    values = [v for v in values if not (own(v, documents) or variant_word(v))]
    hits = _good(core, own_words)
    threshold = FOLLOW_UP_SWITCH if (focus is not None and follow_up) else GOOD_MATCH
    entity_hits = [h for v in values for h in _good(core, scope.residual(v))]
    if entity_hits:  # an entity names a Leistung with confidence: rank its candidates by the whole message
        ids = {h.service.id for h in entity_hits}
        ranked = [h for h in core.search(scope.need_words(text), 20) if h.service.id in ids] or entity_hits
        hits, threshold = sorted(ranked, key=lambda h: -h.score), 0.0
    if hits and hits[0].score >= threshold:
        if not entity_hits and variant_words:  # "Führerschein verloren" while the Perso is in focus
            hits = _good(core, scope.need_words(text)) or hits
        close = _close(hits)
        if focus is not None and any(h.service.id == focus.id for h in close):
            return _variant_or_focus(core, relations, focus, kinds)
        variant = relations.related(focus.id, kinds) if focus is not None and kinds else None
        if variant is not None and any(h.service.id == variant.target for h in close):
            return _variant_or_focus(core, relations, focus, kinds)  # "was vorläufiges?" after the Perso
        if len(close) > 1 and not (focus is not None and follow_up):
            return Focus(None, False, "ambiguous", close[:3])
        if len(close) > 1 and follow and not entity_hits:  # no other Leistung named with confidence
            return _variant_or_focus(core, relations, focus, kinds)
        chosen = found(close[0].service, "search")
        chosen.score = close[0].score
        return chosen
    if focus is not None:
        return _variant_or_focus(core, relations, focus, kinds)
    if foreign := foreign_services(core, tracker):  # nothing in focus, nothing found: foreign words
        return named(foreign[0])
    return Focus(None)


def _searched_variant(core: Core, scope: Scope, relations: Relations, service: Service, text: str) -> Service | None:
    """A variant of the named Leistung that the whole message fits clearly better than the Leistung
    itself: the NLU names the document ("Behindertenausweis"), the rest of the message says what
    about it ("läuft Ende des Jahres ab")."""
    hits = _good(core, scope.need_words(text), 3)
    if not hits or hits[0].service.id == service.id or not relations.variant_of(service.id, hits[0].service.id):
        return None
    own = next((h.score for h in hits if h.service.id == service.id), 0.0)
    return hits[0].service if hits[0].score >= own + SWITCH_MARGIN else None


def _asks_documents(scope: Scope, tracker: Tracker, text: str) -> bool:
    """A question about what to bring: the things it names are documents, not Leistungen."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent == "ask_documents" or scope.question_type(text) == "documents"


def _variant_or_focus(core: Core, relations: Relations, focus: Service, kinds) -> Focus:
    variant = relations.related(focus.id, kinds) if kinds else None
    if variant is not None and (related := core.catalogue.get(variant.target)) is not None:
        return Focus(related, True, "variant")
    return Focus(focus, False, "focus")
